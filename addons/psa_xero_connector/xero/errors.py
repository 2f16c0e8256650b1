"""The errors the Xero client raises: the core's kinds (``psa_ledger.errors``), marked as Xero's,
so the core decides from the kind and Xero's own code may still catch Xero's alone."""

from odoo.addons.psa_ledger.errors import (
    LedgerAuthError,
    LedgerError,
    LedgerNotFound,
    LedgerRateLimited,
    LedgerTransientError,
    LedgerValidationError,
)


class XeroError(LedgerError):
    """Base class. ``status`` is the HTTP status (None when no answer came)."""


class XeroValidationError(LedgerValidationError, XeroError):
    """Xero refused the content (400): fix the data, then retry. ``messages`` are Xero's own."""


class XeroRateLimited(LedgerRateLimited, XeroError):
    """429: wait ``retry_after`` seconds. ``problem`` is minute / day / concurrent / appminute."""


class XeroAuthError(LedgerAuthError, XeroError):
    """401/403, or the identity server refused a grant (``invalid_grant``): reconnect."""


class XeroTransientError(LedgerTransientError, XeroError):
    """5xx, timeout, connection reset: the same request may be retried (same Idempotency-Key)."""


class XeroNotFound(LedgerNotFound, XeroError):
    """404: the resource does not exist in that organisation."""
