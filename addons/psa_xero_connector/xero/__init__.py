"""Xero access without Odoo: the HTTP client and its errors (and, later, pure mappings)."""
