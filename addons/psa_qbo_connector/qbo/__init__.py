"""QuickBooks Online: the HTTP client, its errors and the pure mappings (no Odoo import)."""
