"""A Xero simulator: OAuth2/Identity, the Accounting API, rate limits, webhooks and faults.

Plain Python (Werkzeug + SQLite); it never imports Odoo. Paths mirror Xero's, so a client
only changes its base URLs. See harness/README.md for routes, the admin API and guesses
made where Xero's public material is silent.
"""

from .app import HarnessApp, create_app  # noqa: F401
from .server import HarnessServer  # noqa: F401
