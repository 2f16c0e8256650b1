"""The few errors the Xero client raises; callers decide from the type what to do."""


class XeroError(Exception):
    """Base class. ``status`` is the HTTP status (None when no answer came)."""

    def __init__(self, message, status=None, body=None):
        super().__init__(message)
        self.status = status
        self.body = body


class XeroValidationError(XeroError):
    """Xero refused the content (400): fix the data, then retry. ``messages`` are Xero's own."""

    def __init__(self, message, messages=(), status=400, body=None):
        super().__init__(message, status, body)
        self.messages = list(messages)


class XeroRateLimited(XeroError):
    """429: wait ``retry_after`` seconds. ``problem`` is minute / day / concurrent / appminute."""

    def __init__(self, message, retry_after=60, problem=None, status=429, body=None):
        super().__init__(message, status, body)
        self.retry_after = retry_after
        self.problem = problem


class XeroAuthError(XeroError):
    """401/403, or the identity server refused a grant (``invalid_grant``): reconnect."""

    def __init__(self, message, status=None, body=None, code=None):
        super().__init__(message, status, body)
        self.code = code


class XeroTransientError(XeroError):
    """5xx, timeout, connection reset: the same request may be retried (same Idempotency-Key)."""


class XeroNotFound(XeroError):
    """404: the resource does not exist in that organisation."""
