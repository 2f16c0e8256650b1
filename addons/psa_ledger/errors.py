"""The kinds of failure every ledger's client raises (its own classes derive from these), so the
core decides what to do from the kind alone: fix the data, wait, reconnect, retry, or re-create."""


class LedgerError(Exception):
    """Base class. ``status`` is the HTTP status (None when no answer came)."""

    def __init__(self, message, status=None, body=None):
        super().__init__(message)
        self.status = status
        self.body = body


class LedgerValidationError(LedgerError):
    """The ledger refused the content: fix the data, then retry. ``messages`` are the ledger's own."""

    def __init__(self, message, messages=(), status=400, body=None):
        super().__init__(message, status, body)
        self.messages = list(messages)


class LedgerRateLimited(LedgerError):
    """Too many calls: wait ``retry_after`` seconds. ``problem`` names the limit's scope (minute,
    day, concurrent, the whole application's minute…), as the ledger reports it."""

    def __init__(self, message, retry_after=60, problem=None, status=429, body=None):
        super().__init__(message, status, body)
        self.retry_after = retry_after
        self.problem = problem


class LedgerAuthError(LedgerError):
    """The authorisation is refused or gone (401/403, ``invalid_grant``): reconnect."""

    def __init__(self, message, status=None, body=None, code=None):
        super().__init__(message, status, body)
        self.code = code


class LedgerTransientError(LedgerError):
    """5xx, timeout, connection reset: the same request may be sent again (same idempotency key)."""


class LedgerNotFound(LedgerError):
    """The resource does not exist in that organisation."""


class LedgerConflict(LedgerError):
    """The record changed in the ledger since it was read (a stale version token): read it again,
    re-apply the change, send again."""


class LedgerMappingError(LedgerValidationError):
    """The record cannot be expressed in the ledger as it is (no request was made): the message
    says what to fix. Raised by a ledger's mapping; the outbox fails the row alone with it."""

    def __init__(self, message, messages=None):
        super().__init__(message, messages if messages is not None else [message], status=None)
