"""The addon's Xero client is plain Python: import it without an Odoo server or database."""

import os

import odoo.addons

ADDONS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "addons")
if ADDONS not in odoo.addons.__path__:
    odoo.addons.__path__.append(ADDONS)
