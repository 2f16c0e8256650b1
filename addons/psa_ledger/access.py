"""Who may call what. Every public method of the addon (and every override on Odoo's models)
calls ``check_caller`` before it does anything under ``sudo()``: the caller must be in the
ledger group the action needs, and the records must be ones the caller may see and change
(access rights + record rules, so another company's records are refused whatever ids are
passed). Internal code paths (crons, the webhook controller) run as superuser and pass."""

from odoo.exceptions import AccessError

USER = "psa_ledger.group_ledger_user"
MANAGER = "psa_ledger.group_ledger_manager"
GROUP_LABEL = {USER: "Accounting ledger / User", MANAGER: "Accounting ledger / Manager"}


def check_caller(records, group=MANAGER, operation="write"):
    """-> ``records`` once the caller may act on them; raises AccessError otherwise."""
    env = records.env
    if env.su:
        return records
    if not env.user.has_group(group):
        raise AccessError(env._("This needs the %(group)s rights (Settings → Users → %(user)s).",
                                group=GROUP_LABEL.get(group, group), user=env.user.name))
    records.check_access(operation)
    return records


def check_ledger_owned(records, vals_list):
    """Refuse a write or create, by anyone but the connector's own code (``sudo()``, which RPC
    cannot reach: a context key could be passed by any client), of the fields only the ledger sets
    (the model's ``_ledger_owned_fields``): a forged "pay online" link or a "voided in the ledger"
    flag must not be typed in over JSON-RPC, whatever the view shows."""
    env = records.env
    if env.su:
        return
    owned = sorted({name for vals in vals_list for name in vals if name in records._ledger_owned_fields})
    if owned:
        raise AccessError(env._("These fields are set by the ledger, not by hand: %(fields)s (%(model)s).",
                                fields=", ".join(owned), model=records._description))
