"""A document's settlement as every ledger states it to the core (``ledger.inbound``), and what
Odoo has to change to match. Pure functions, no server.

A ledger tells us *that* a document changed, rarely *what* changed, and in no particular order;
so the core always compares the document's current state with what Odoo already recorded
(payments are keyed by the ledger's payment id). Applying the same state twice changes nothing.

The neutral document state (each ledger's mapping builds it from its own answer)::

    {"id": str (lower case), "number": str, "status": str (the ledger's word, kept on the link),
     "voided": bool, "amount_due": Decimal,
     "payments": {payment id: {"id", "amount": Decimal, "date": date or None, "reference": str,
                               "account": {"id", "code"} or {}, "rate": Decimal or None}},
     "allocations": [{"id", "amount": Decimal, "other_id": the other document's id}]}
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

# the status a payment link keeps: live, or deleted in the ledger since Odoo recorded it
PAYMENT_LIVE = "AUTHORISED"
PAYMENT_DELETED = "DELETED"


def base_amount(payment):
    """What a payment of a foreign-currency document is worth in the base currency, as the
    ledger books it: its amount at its own rate.
    None when it carries no rate."""
    if not payment.get("rate"):
        return None
    return (payment["amount"] / payment["rate"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def payment_changes(state, recorded):
    """``recorded``: {payment id: status Odoo last saw} of the payments Odoo holds for this
    document. -> (new payments to register, payment ids deleted in the ledger since)."""
    new = [p for pid, p in sorted(state["payments"].items(), key=lambda kv: (kv[1]["date"] or dt.date.min, kv[0]))
           if pid not in recorded]
    deleted = sorted(pid for pid, status in recorded.items()
                     if status != PAYMENT_DELETED and pid not in state["payments"])
    return new, deleted
