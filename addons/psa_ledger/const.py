"""What every ledger shares: the outbox's states, what the request log keeps and redacts."""

# Outbox rows not yet answered by the ledger (the record's badge says "queued"; a newer change
# waits behind them).
PENDING = ("queued", "waiting", "sending", "retry")

LOG_RETENTION_DAYS = 30
MAX_LOGGED_BODY = 200_000  # characters of a request/response body kept in the log
# Webhook deliveries refused (bad signature, too large, malformed, replays): the log keeps only
# this much of the body and of the headers, in one row per source, kind and minute with a count.
MAX_LOGGED_REFUSED = 2048
# Distinct (source, kind) rows per minute and Odoo process before further sources share one row.
MAX_REFUSED_SOURCES_PER_MINUTE = 30

# What never reaches the log, by where it is (not by a key name a ledger's own payloads use: an
# item's or a currency's "Code" is data, and a logged body may be sent again):
# request and response headers that carry credentials (any webhook signature header too) ...
SECRET_HEADERS = frozenset({"authorization", "cookie", "set-cookie"})
SECRET_HEADER_WORDS = ("signature",)
# ... and the fields of the OAuth2 token / revocation forms and of the token endpoint's answers.
# Accounting API bodies carry no secret and are logged whole.
OAUTH_SECRET_FIELDS = frozenset({"client_secret", "refresh_token", "access_token", "id_token", "code",
                                 "code_verifier", "token"})

# What the outbox sends: its entities (the selection of ledger.outbox.entity), and the
# documents among them (they can be cancelled, voided, totalled).
ENTITIES = [("contact", "Contact"), ("item", "Item"), ("invoice", "Invoice / bill"),
            ("credit_note", "Credit note"), ("purchase_order", "Purchase order")]
DOCUMENT_ENTITIES = ("invoice", "credit_note", "purchase_order")
# Outbox rows claimable when next_try has come (rows outside a batch), and the states an edit
# brings back to "queued" (coalescing).
DUE = ("queued", "retry")
REUSABLE = ("queued", "retry", "waiting", "error", "cancelled")
# Which organisation switch sends which kind of journal entry.
MOVE_TYPE_SWITCH = {"out_invoice": "sync_invoices", "in_invoice": "sync_bills", "out_refund": "sync_credit_notes",
                    "in_refund": "sync_credit_notes"}
