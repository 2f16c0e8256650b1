"""Upgrading loses nothing (issue #24): a database made by a previous release of the addon — its
code taken from git history — holding rows in every state (connected organisations, links,
outbox rows and batches, one sent with its answer unknown, request log, webhook events, drift
lines, mappings, tracking catalogue, managers) is upgraded to this tree's modules by Odoo's own
command line; every row and every value is still there (under the new table and column names
once the ledger-neutral core ``psa_ledger`` exists, see ``RENAMED``), and the queues carry on.

Real Odoo, real PostgreSQL; nothing talks to Xero (rows are written as the old code's workers
would have left them)."""

import copy
import json
import os
import shutil
import subprocess
import tempfile
from collections import Counter

import pytest

from tools import odoo_env

from .test_addon_lifecycle import Db, odoo  # noqa: F401  (odoo: the fixture)

ADDON = odoo_env.ADDON
REPO = odoo_env.REPO

# The releases a database may upgrade from: the last commit whose manifest says the version
# (`git log -- addons/psa_xero_connector/__manifest__.py`; 86356ef made 18.0.1.2.0, its parent is
# 18.0.1.1.0's last state), then the current release.
RELEASES = [
    ("18.0.1.1.0", "8aa3517e9ec6eefb79999e4a3a0d228510338ede"),
    ("18.0.1.2.0", "f9fca75e13dec43c1f5792851f10d63de1dc9075"),
]

# The rename of issue #24 (RENAME.md): in force once this tree has the core addon. Until then the
# upgrade keeps every name, and the same assertions prove the upgrade between the releases.
RENAMED = os.path.isdir(os.path.join(REPO, "addons", "psa_ledger"))

# old table -> (new table, {old column: new column}); every stored table of the old addon
TABLES = {
    "xero_connection": ("ledger_connection", {}),
    "xero_tenant": ("ledger_tenant", {
        "xero_tenant_id": "remote_id", "xero_connection_uuid": "remote_connection_id",
        "xero_currencies": "remote_currencies", "xero_rest_until": "rest_until", "xero_poll_since": "poll_since",
        "xero_drift_snapshot": "drift_snapshot", "xero_drift_checked_at": "drift_checked_at",
        "xero_drift_full_at": "drift_full_at", "xero_drift_calls": "drift_calls",
        "xero_drift_documents": "drift_documents", "xero_drift_error": "drift_error"}),
    "xero_outbox": ("ledger_outbox", {"xero_messages": "remote_messages"}),
    "xero_outbox_batch": ("ledger_outbox_batch", {}),
    "xero_link": ("ledger_link", {
        "xero_id": "remote_id", "xero_code": "remote_code", "xero_name": "remote_name",
        "xero_status": "remote_status", "xero_parent_id": "remote_parent_id", "xero_currency": "remote_currency",
        "xero_item_id": "item_id", "xero_sales_account_code": "remote_sales_account_code",
        "xero_purchase_account_code": "remote_purchase_account_code",
        "xero_sales_tax_type": "remote_sales_tax_type", "xero_purchase_tax_type": "remote_purchase_tax_type"}),
    "xero_request_log": ("ledger_request_log", {"xero_messages": "remote_messages"}),
    "xero_event": ("ledger_event", {"xero_tenant_id": "remote_tenant_id"}),
    "xero_drift_line": ("ledger_drift_line", {"xero_id": "remote_id", "xero_value": "remote_value"}),
    "xero_account": ("ledger_account", {}),
    "xero_item": ("ledger_item", {}),
    "xero_tax_rate": ("ledger_tax_rate", {}),
    "xero_tracking_category": ("ledger_tracking_category", {}),
    "xero_tracking_option": ("ledger_tracking_option", {}),
    # Odoo's tables: the columns the addon added to them
    "account_move": ("account_move", {"xero_voided": "ledger_voided", "xero_tracking_note": "ledger_tracking_note"}),
    "purchase_order": ("purchase_order", {"xero_tracking_note": "ledger_tracking_note"}),
}
# stored values the rename changes: the drift line's kind said which ledger was missing the record
VALUES = {("xero_drift_line", "kind"): {"missing_xero": "missing_ledger"}}
# columns of Odoo's tables compared (the rest is Odoo's, not ours)
ODOO_TABLE_COLUMNS = {"account_move": ("id", "xero_voided", "xero_tracking_note"),
                      "purchase_order": ("id", "xero_tracking_note")}
# models (crons, methods) and computed fields (no column) read through the new code
MODELS = {"xero.outbox": "ledger.outbox", "xero.event": "ledger.event", "xero.drift": "ledger.drift",
          "xero.request.log": "ledger.request.log", "xero.inbound": "xero.inbound"}
FIELDS = {"xero_entry_id": "ledger_entry_id", "xero_tenant_id": "ledger_tenant_id"}
GROUPS = {"psa_xero_connector.group_xero_manager": "psa_ledger.group_ledger_manager",
          "psa_xero_connector.group_xero_user": "psa_ledger.group_ledger_user"}
# settings of the old addon, kept under the same keys (the Xero addon keeps its own settings)
PARAMS = {"psa_xero_connector.client_id": "upgrade-client-id", "psa_xero_connector.client_secret": "upgrade-secret",
          "psa_xero_connector.webhook_key": "upgrade-webhook-key"}


def new_table(old):
    return TABLES[old][0] if RENAMED else old


def new_column(old_table, column):
    return TABLES[old_table][1].get(column, column) if RENAMED else column


def new_name(mapping, old):
    return mapping.get(old, old) if RENAMED else old


# --- building the old addon ----------------------------------------------------------------------
def git(*args, **kwargs):
    return subprocess.run(["git", "-C", REPO] + list(args), capture_output=True, **kwargs)


def old_addons(commit, into):
    """The addon as it was at ``commit``, in ``into``/addons (its code imports nothing else of
    the repository: ``git grep harness <commit> -- addons/psa_xero_connector`` finds only tests
    and comments). Skips when the commit is not in this clone (a shallow one)."""
    if git("cat-file", "-e", commit + "^{commit}").returncode != 0:
        pytest.skip("release commit %s is not in this clone (shallow? `git fetch --unshallow`)" % commit[:7])
    archive = git("archive", "--format=tar", commit, "addons/" + ADDON)
    assert archive.returncode == 0, archive.stderr.decode()
    subprocess.run(["tar", "-x", "-C", into], input=archive.stdout, check=True)
    return os.path.join(into, "addons")


# --- the database the old release leaves: rows in every state --------------------------------------
# Run by `odoo-bin shell` with the OLD code (names of the old release). Odoo's records first, so
# that no organisation queues them by itself; then what the connector's workers would have written.
FILL = r"""
import json
from datetime import timedelta
from odoo import fields

now = fields.Datetime.now()
past = now - timedelta(minutes=5)
company = env.company
P = {params!r}
for key, value in P.items():
    env["ir.config_parameter"].set_param(key, value)

# Odoo's records
customer = env["res.partner"].create({{"name": "Upgrade Customer Ltd", "email": "ap@upgrade.example"}})
supplier = env["res.partner"].create({{"name": "Upgrade Supplier Ltd"}})
shared = env["res.partner"].create({{"name": "Upgrade Shared Contact"}})
service = env["product.template"].create({{"name": "Upgrade Managed Service", "type": "service", "list_price": 99.0}})
category = env["product.category"].create({{"name": "Upgrade Services"}})
journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
assert journal, "no sales journal: the company has no chart of accounts"
invoice = env["account.move"].create({{"move_type": "out_invoice", "partner_id": customer.id,
    "journal_id": journal.id, "invoice_line_ids": [(0, 0, {{"name": "Support", "quantity": 2, "price_unit": 50}})]}})
voided = env["account.move"].create({{"move_type": "out_invoice", "partner_id": customer.id, "journal_id": journal.id}})
voided.write({{"xero_voided": True, "xero_tracking_note": "Region North was not sent: no option mapped"}})
disk = env["product.product"].create({{"name": "Upgrade Disk"}})
order = env["purchase.order"].create({{"partner_id": supplier.id, "order_line": [(0, 0, {{"name": "Spare disks",
    "product_qty": 4, "price_unit": 80, "product_id": disk.id}})]}})
order.write({{"xero_tracking_note": "Region not sent: the plan is not mapped"}})
account = env["account.account"].search([("company_ids", "in", company.id), ("account_type", "=", "income")], limit=1)
tax = env["account.tax"].search([("company_id", "=", company.id), ("type_tax_use", "=", "sale")], limit=1)
assert account and tax, "no income account or sales tax: the company has no chart of accounts"
plan = env["account.analytic.plan"].create({{"name": "Upgrade Region"}})
north = env["account.analytic.account"].create({{"name": "North", "plan_id": plan.id, "company_id": company.id}})

manager = env["res.users"].create({{"name": "Upgrade Manager", "login": "upgrade-manager@example.com",
    "groups_id": [(4, env.ref("base.group_user").id), (4, env.ref("psa_xero_connector.group_xero_manager").id)]}})
user = env["res.users"].create({{"name": "Upgrade User", "login": "upgrade-user@example.com",
    "groups_id": [(4, env.ref("base.group_user").id), (4, env.ref("psa_xero_connector.group_xero_user").id)]}})

# organisations: one of the company, one not yet assigned, one whose authorisation lapsed
conn = env["xero.connection"].create({{"name": "Upgrade authorisation", "client_id": "upgrade-client-id",
    "auth_event_id": "auth-event-1", "scopes": "offline_access accounting.transactions",
    "access_token": "upgrade-access-token", "refresh_token": "upgrade-refresh-token",
    "access_expires_at": now + timedelta(minutes=25), "last_refresh": past, "refresh_count": 3}})
lapsed = env["xero.connection"].create({{"name": "Lapsed authorisation", "refresh_token": "lapsed-refresh-token",
    "state": "needs_reconnect", "last_error": "invalid_grant"}})
org = env["xero.tenant"].create({{"name": "Upgrade Org (company)", "xero_tenant_id": "tenant-aaaa-1111",
    "xero_connection_uuid": "connection-uuid-a", "connection_id": conn.id, "company_id": company.id,
    "state": "connected", "base_currency": "USD", "xero_currencies": "USD,EUR", "country_code": "US",
    "xero_short_code": "!upGr1", "sync_customers": True, "sync_suppliers": True, "sync_products": True,
    "sync_invoices": True, "sync_bills": True, "sync_credit_notes": True, "sync_purchase_orders": True,
    "document_status": "AUTHORISED", "notify_success": True, "xero_poll_since": past,
    "xero_drift_snapshot": {{"Invoices": {{"inv-guid-1": ["AUTHORISED", "100.00"]}}}}, "xero_drift_checked_at": past,
    "xero_drift_full_at": past, "xero_drift_calls": 7, "xero_drift_documents": 42,
    "xero_period_lock_date": "2026-06-30", "xero_end_of_year_lock_date": "2025-12-31"}})
loose = env["xero.tenant"].create({{"name": "Upgrade Org (no company)", "xero_tenant_id": "tenant-bbbb-2222",
    "xero_connection_uuid": "connection-uuid-b", "connection_id": conn.id, "state": "connected",
    "base_currency": "NZD", "xero_drift_error": "Xero answered 503", "xero_rest_until": now + timedelta(hours=20)}})
stale = env["xero.tenant"].create({{"name": "Upgrade Org (lapsed)", "xero_tenant_id": "tenant-cccc-3333",
    "connection_id": lapsed.id, "state": "needs_reconnect", "last_error": "invalid_grant"}})

# catalogue and mappings (the mapping screens' inverses write the links)
x_account = env["xero.account"].create({{"tenant_id": org.id, "name": "Sales", "account_id": "acc-guid-200",
    "code": "200", "account_type": "REVENUE", "account_class": "REVENUE", "tax_type": "OUTPUT"}})
env["xero.account"].create({{"tenant_id": org.id, "name": "Old account", "account_id": "acc-guid-299",
    "code": "299", "account_type": "REVENUE", "active": False}})
x_bank = env["xero.account"].create({{"tenant_id": org.id, "name": "Cheque", "account_id": "acc-guid-090",
    "code": "090", "account_type": "BANK", "account_class": "ASSET", "journal_id": env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1).id}})
x_tax = env["xero.tax.rate"].create({{"tenant_id": org.id, "name": "Tax on Sales", "tax_type": "OUTPUT",
    "rate": 8.875, "kind": "sale", "component_count": 2, "can_apply_to_equity": False}})
x_item = env["xero.item"].create({{"tenant_id": org.id, "name": "Managed service", "item_id": "item-guid-1",
    "code": "MSP-1", "sales_price": 99.0, "sales_account_code": "200", "sales_tax_type": "OUTPUT"}})
x_cat = env["xero.tracking.category"].create({{"tenant_id": org.id, "name": "Region",
    "tracking_category_id": "tc-guid-1"}})
x_north = env["xero.tracking.option"].create({{"tenant_id": org.id, "name": "North", "category_id": x_cat.id,
    "tracking_option_id": "to-guid-1"}})
env["xero.tracking.option"].create({{"tenant_id": org.id, "name": "Gone", "category_id": x_cat.id,
    "tracking_option_id": "to-guid-9", "active": False}})
account.xero_entry_id = x_account
tax.xero_entry_id = x_tax
plan.xero_entry_id = x_cat
north.xero_entry_id = x_north
env["xero.account"].create({{"tenant_id": loose.id, "name": "Sales (B)", "account_id": "acc-guid-b200", "code": "200"}})

# links of every kind
Link = env["xero.link"]
contact_link = Link.create({{"tenant_id": org.id, "res_model": "res.partner", "res_id": customer.id,
    "xero_id": "contact-guid-1", "xero_name": "Upgrade Customer Ltd", "xero_code": "CUST-1", "xero_currency": "USD",
    "xero_sales_account_code": "200", "xero_sales_tax_type": "OUTPUT", "xero_purchase_account_code": "400",
    "xero_purchase_tax_type": "INPUT"}})
Link.create({{"tenant_id": org.id, "res_model": "res.partner", "res_id": supplier.id, "xero_id": "contact-guid-2",
    "xero_name": "Upgrade Supplier Ltd"}})
Link.create({{"tenant_id": loose.id, "res_model": "res.partner", "res_id": shared.id, "xero_id": "contact-guid-b1",
    "xero_name": "Upgrade Shared Contact"}})
Link.create({{"tenant_id": org.id, "res_model": "product.template", "res_id": service.id, "xero_item_id": x_item.id}})
Link.create({{"tenant_id": org.id, "res_model": "product.category", "res_id": category.id, "xero_id": "item-guid-1",
    "account_code": "200"}})
invoice_link = Link.create({{"tenant_id": org.id, "res_model": "account.move", "res_id": invoice.id,
    "xero_id": "inv-guid-1", "xero_name": "INV-0001", "xero_status": "AUTHORISED"}})
Link.create({{"tenant_id": org.id, "res_model": "purchase.order", "res_id": order.id, "xero_id": "po-guid-1",
    "xero_name": "PO-0001", "xero_status": "SUBMITTED"}})
Link.create({{"tenant_id": org.id, "res_model": "account.move", "res_id": voided.id, "xero_id": "inv-guid-2",
    "xero_name": "INV-0002", "xero_status": "VOIDED"}})

# outbox: rows in every state, batches answered, in doubt (sent, answer unknown) and given up
Batch, Outbox = env["xero.outbox.batch"], env["xero.outbox"]
done_batch = Batch.create({{"tenant_id": org.id, "entity": "contact", "collection": "Contacts", "method": "PUT",
    "idempotency_key": "upgrade-key-done", "body": json.dumps({{"Contacts": [{{"Name": "Upgrade Customer Ltd"}}]}}),
    "state": "done", "sends": 1}})
doubt_batch = Batch.create({{"tenant_id": org.id, "entity": "invoice", "collection": "Invoices", "method": "POST",
    "idempotency_key": "upgrade-key-in-doubt", "state": "pending", "sends": 1,
    "body": json.dumps({{"Invoices": [{{"InvoiceID": "inv-guid-1", "Status": "AUTHORISED"}}]}})}})
failed_batch = Batch.create({{"tenant_id": org.id, "entity": "item", "collection": "Items", "method": "PUT",
    "idempotency_key": "upgrade-key-failed", "body": "{{\"Items\": []}}", "state": "failed", "sends": 8,
    "last_error": "Xero answered 500 eight times"}})
Outbox.create([
    {{"tenant_id": org.id, "res_model": "res.partner", "res_id": customer.id, "entity": "contact", "state": "done",
      "batch_id": done_batch.id, "batch_seq": 0, "attempts": 1}},
    {{"tenant_id": org.id, "res_model": "account.move", "res_id": invoice.id, "entity": "invoice", "state": "sending",
      "batch_id": doubt_batch.id, "batch_seq": 0, "attempts": 1, "next_try": past}},
    {{"tenant_id": org.id, "res_model": "product.template", "res_id": service.id, "entity": "item", "state": "error",
      "batch_id": failed_batch.id, "batch_seq": 0, "attempts": 8, "last_error": "Xero answered 500",
      "xero_messages": "An unexpected error occurred"}},
    {{"tenant_id": org.id, "res_model": "res.partner", "res_id": supplier.id, "entity": "contact", "state": "queued",
      "next_try": past}},
    {{"tenant_id": org.id, "res_model": "res.partner", "res_id": shared.id, "entity": "contact", "state": "retry",
      "attempts": 2, "next_try": past, "last_error": "Xero answered 503"}},
    {{"tenant_id": org.id, "res_model": "account.move", "res_id": voided.id, "entity": "invoice", "state": "cancelled",
      "operation": "void", "last_error": "Not sent: the invoice was never in Xero"}},
    {{"tenant_id": loose.id, "res_model": "res.partner", "res_id": shared.id, "entity": "contact", "state": "queued",
      "next_try": past}},
    {{"tenant_id": stale.id, "res_model": "res.partner", "res_id": shared.id, "entity": "contact", "state": "queued",
      "next_try": past}},
])
waited = Outbox.create({{"tenant_id": org.id, "res_model": "res.partner", "res_id": supplier.id, "entity": "contact",
    "state": "error", "last_error": "Email address must be valid.", "xero_messages": "Email address must be valid."}})
Outbox.create({{"tenant_id": org.id, "res_model": "account.move", "res_id": voided.id, "entity": "invoice",
    "state": "waiting", "depends_on_id": waited.id}})

# request log, webhook events, drift lines
Log = env["xero.request.log"]
delivery = Log.create({{"direction": "inbound", "operation": "webhook", "entity": "INVOICE", "tenant_id": org.id,
    "company_id": company.id, "method": "POST", "url": "/xero/webhook", "request_body": "{{\"events\": []}}",
    "status_code": 200, "state": "success", "outcome": "2 events stored", "remote_addr": "203.0.113.7"}})
Log.create([
    {{"direction": "outbound", "operation": "PUT Contacts", "entity": "Contacts", "tenant_id": org.id,
      "company_id": company.id, "method": "PUT", "url": "https://api.xero.com/api.xro/2.0/Contacts",
      "request_body": done_batch.body, "response_body": "{{\"Contacts\": []}}", "status_code": 200,
      "idempotency_key": "upgrade-key-done", "duration_ms": 412, "state": "success"}},
    {{"direction": "outbound", "operation": "POST Invoices", "entity": "Invoices", "tenant_id": org.id,
      "company_id": company.id, "method": "POST", "url": "https://api.xero.com/api.xro/2.0/Invoices",
      "status_code": 400, "state": "failure", "error_message": "A validation exception occurred",
      "xero_messages": "Email address must be valid.", "idempotency_key": "upgrade-key-in-doubt", "attempt": 2}},
])
Event = env["xero.event"]
Event.create([
    {{"tenant_id": org.id, "xero_tenant_id": "tenant-aaaa-1111", "category": "INVOICE", "event_type": "UPDATE",
      "resource_id": "inv-guid-1", "event_date": "2026-11-27T10:00:00.000", "state": "pending", "next_try": past,
      "delivery_log_ref": delivery.id}},
    {{"tenant_id": org.id, "xero_tenant_id": "tenant-aaaa-1111", "category": "INVOICE", "event_type": "UPDATE",
      "resource_id": "inv-guid-2", "event_date": "2026-11-27T10:00:01.000", "state": "done", "processed_at": past,
      "message": "Payment of 100.00 registered", "res_model": "account.move", "res_id": invoice.id}},
    {{"tenant_id": org.id, "xero_tenant_id": "tenant-aaaa-1111", "category": "CONTACT", "event_type": "CREATE",
      "resource_id": "contact-guid-9", "event_date": "2026-11-27T10:00:02.000", "state": "ignored"}},
    {{"tenant_id": org.id, "xero_tenant_id": "tenant-aaaa-1111", "category": "CREDITNOTE", "event_type": "UPDATE",
      "resource_id": "cn-guid-1", "event_date": "2026-11-27T10:00:03.000", "state": "error", "attempts": 8,
      "message": "Xero answered 500"}},
    {{"xero_tenant_id": "tenant-unknown", "category": "INVOICE", "event_type": "CREATE", "resource_id": "inv-guid-x",
      "event_date": "2026-11-27T10:00:04.000", "state": "ignored", "message": "Unknown organisation"}},
])
Drift = env["xero.drift.line"]
Drift.create([
    {{"tenant_id": org.id, "kind": "total", "entity": "invoice", "state": "open", "res_model": "account.move",
      "res_id": invoice.id, "xero_id": "inv-guid-1", "number": "INV-0001", "odoo_value": "100.00",
      "xero_value": "90.00"}},
    {{"tenant_id": org.id, "kind": "missing_odoo", "entity": "bill", "state": "ignored", "xero_id": "bill-guid-7",
      "number": "BILL-7", "xero_value": "45.00", "candidate": "BILL/2026/0007"}},
    {{"tenant_id": org.id, "kind": "missing_xero", "entity": "contact", "state": "queued", "res_model": "res.partner",
      "res_id": supplier.id, "number": "Upgrade Supplier Ltd", "note": "Queued again"}},
    {{"tenant_id": org.id, "kind": "status", "entity": "invoice", "state": "fixed", "res_model": "account.move",
      "res_id": voided.id, "xero_id": "inv-guid-2", "odoo_value": "cancel", "xero_value": "VOIDED"}},
])
env.cr.commit()
print("UPGRADE-FILL " + json.dumps({{
    "org": org.id, "loose": loose.id, "conn": conn.id, "account": account.id, "tax": tax.id, "plan": plan.id,
    "north": north.id, "x_account": x_account.id, "x_tax": x_tax.id, "x_cat": x_cat.id, "x_north": x_north.id,
    "x_bank": x_bank.id, "manager": manager.id, "user": user.id, "contact_link": contact_link.id,
    "invoice_link": invoice_link.id, "doubt_batch": doubt_batch.id,
    "outbox_due": Outbox._queue_remaining(), "events_due": Event._queue_remaining()}}))
"""

# Read by the NEW code after the upgrade: what only the code can tell (computed mappings, the
# queues' own view of their due rows, group membership as Odoo resolves it).
CHECK = r"""
import json
ids = {ids!r}
out = {{
    "outbox_due": env[{outbox!r}]._queue_remaining(),
    "events_due": env[{event!r}]._queue_remaining(),
    "account": env["account.account"].browse(ids["account"])[{entry!r}].id,
    "tax": env["account.tax"].browse(ids["tax"])[{entry!r}].id,
    "plan": env["account.analytic.plan"].browse(ids["plan"])[{entry!r}].id,
    "north": env["account.analytic.account"].browse(ids["north"])[{entry!r}].id,
    "company_org": env.company[{company_tenant!r}].id,
    "manager_is_manager": env["res.users"].browse(ids["manager"]).has_group({manager_group!r}),
    "user_is_user": env["res.users"].browse(ids["user"]).has_group({user_group!r}),
    "user_is_manager": env["res.users"].browse(ids["user"]).has_group({manager_group!r}),
}}
print("UPGRADE-CHECK " + json.dumps(out))
"""


def tagged(output, tag):
    line = next((line for line in output.splitlines() if line.startswith(tag + " ")), None)
    assert line, "no %s line in:\n%s" % (tag, output[-3000:])
    return json.loads(line[len(tag) + 1:])


def table_rows(db, table, columns=None):
    """Every row of ``table`` as {id: {column: value}} (JSON as PostgreSQL renders it)."""
    select = ", ".join('"%s"' % c for c in columns) if columns else "*"
    text = db.sql("SELECT coalesce(json_agg(row_to_json(t) ORDER BY t.id), '[]') FROM (SELECT %s FROM %s) t"
                  % (select, table))
    return {row["id"]: row for row in json.loads(text)}


def crons(db, models):
    """Counter of (model, active) of the crons whose server action runs on one of ``models``."""
    text = db.sql("SELECT coalesce(json_agg(json_build_array(m.model, c.active)), '[]') FROM ir_cron c "
                  "JOIN ir_act_server a ON a.id = c.ir_actions_server_id JOIN ir_model m ON m.id = a.model_id "
                  "WHERE m.model IN (%s)" % ", ".join("'%s'" % m for m in models))
    return Counter(tuple(pair) for pair in json.loads(text))


def group_members(db, xml_id):
    module, name = xml_id.split(".")
    return db.sql("SELECT string_agg(r.uid::text, ',' ORDER BY r.uid) FROM res_groups_users_rel r "
                  "JOIN ir_model_data d ON d.res_id = r.gid AND d.model = 'res.groups' "
                  "WHERE d.module = '%s' AND d.name = '%s'" % (module, name))


@pytest.fixture(scope="module")
def base_db(odoo):  # noqa: F811
    """Odoo's apps the old addon depends on, installed once (no demo data): each release's
    database is a copy, into which the old addon is installed as a user would."""
    db = Db(odoo, demo=False)
    db.name = "psa_xero_upgrade_base_%s" % os.getpid()
    db.odoo_run("-i", "account,purchase,mail", "--stop-after-init", "--no-http", "--without-demo=all")
    yield db.name
    db.drop()


@pytest.fixture
def workdir():
    path = tempfile.mkdtemp(prefix="psa_upgrade_")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.parametrize("version, commit", RELEASES, ids=[v for v, _c in RELEASES])
def test_upgrade_from_release_keeps_every_row(odoo, base_db, workdir, version, commit):  # noqa: F811
    here = os.path.realpath(os.path.join(REPO, "addons"))
    old_path = ",".join(old_addons(commit, workdir) if os.path.realpath(p) == here else p
                        for p in odoo.addons_path_override.split(","))
    old_odoo = copy.copy(odoo)
    old_odoo.addons_path_override = old_path
    db = Db(old_odoo, demo=False)
    db.name = "psa_xero_upgrade_%s_%s" % (version.replace(".", "_"), os.getpid())
    subprocess.run(["createdb", "-T", base_db, db.name], check=True, capture_output=True)
    try:
        # the old release, installed and used
        db.odoo_run("-i", ADDON, "--stop-after-init", "--no-http", "--without-demo=all")
        assert db.sql("SELECT latest_version FROM ir_module_module WHERE name = '%s'" % ADDON) == version
        filled = tagged(db.shell(FILL.format(params=PARAMS)), "UPGRADE-FILL")
        # due: the company's organisation's queued, retry and in-doubt rows; the unassigned one
        # rests on Xero's day limit, the lapsed one is not served
        assert filled["outbox_due"] == 3 and filled["events_due"] == 1, filled
        before = {table: table_rows(db, table, ODOO_TABLE_COLUMNS.get(table)) for table in TABLES}
        members = {xml_id: group_members(db, xml_id) for xml_id in GROUPS}
        old_crons = crons(db, MODELS)
        assert old_crons == Counter({("xero.outbox", True): 2, ("xero.event", True): 2, ("xero.drift", True): 1,
                                     ("xero.request.log", True): 1, ("xero.inbound", True): 1}), old_crons

        # upgraded by this tree's modules
        db.odoo = odoo
        db.odoo_run("-u", ADDON, "--stop-after-init", "--no-http")  # asserts: exit 0, no ERROR nor CRITICAL

        assert db.sql("SELECT latest_version FROM ir_module_module WHERE name = '%s' AND state = 'installed'"
                      % ADDON) == odoo_env_version()
        if RENAMED:
            assert db.sql("SELECT state FROM ir_module_module WHERE name = 'psa_ledger'") == "installed"
            for table in ("ledger_connection", "ledger_tenant"):
                assert db.sql("SELECT string_agg(DISTINCT code, ',') FROM %s" % table) == "xero", table

        # every row, every value, under the new names
        for table, rows in before.items():
            columns = ODOO_TABLE_COLUMNS.get(table)
            after = table_rows(db, new_table(table), columns and [new_column(table, c) for c in columns])
            assert sorted(after) == sorted(rows), "%s: rows %s before, %s after" % (table, sorted(rows), sorted(after))
            for row_id, row in rows.items():
                kept = after[row_id]
                row = {col: VALUES[(table, col)].get(value, value) if RENAMED and (table, col) in VALUES else value
                       for col, value in row.items()}
                lost = {col: (value, kept.get(new_column(table, col), "<no column>")) for col, value in row.items()
                        if kept.get(new_column(table, col), "<no column>") != value}
                assert not lost, "%s row %s changed: {column: (before, after)} %s" % (table, row_id, lost)
        assert {table: len(rows) for table, rows in before.items()} == {
            "xero_connection": 2, "xero_tenant": 3, "xero_outbox": 10, "xero_outbox_batch": 3,
            "xero_link": 12, "xero_request_log": 3, "xero_event": 5, "xero_drift_line": 4, "xero_account": 4,
            "xero_item": 1, "xero_tax_rate": 1, "xero_tracking_category": 1, "xero_tracking_option": 2,
            "account_move": 2, "purchase_order": 1}

        # a few values by name, so a failure reads plainly
        link = lambda col: db.sql("SELECT %s FROM %s WHERE id = %d" % (  # noqa: E731
            new_column("xero_link", col), new_table("xero_link"), filled["contact_link"]))
        assert link("xero_id") == "contact-guid-1" and link("xero_purchase_tax_type") == "INPUT"
        assert db.sql("SELECT refresh_token FROM %s WHERE id = %d"
                      % (new_table("xero_connection"), filled["conn"])) == "upgrade-refresh-token"
        assert db.sql("SELECT %s FROM %s WHERE id = %d" % (
            new_column("xero_tenant", "xero_tenant_id"), new_table("xero_tenant"), filled["org"])) == "tenant-aaaa-1111"
        # the batch in doubt is still in doubt: pending, sent once, its key and body as fixed, its row sending
        assert db.sql("SELECT state || ' ' || sends || ' ' || idempotency_key FROM %s WHERE id = %d"
                      % (new_table("xero_outbox_batch"), filled["doubt_batch"])) == "pending 1 upgrade-key-in-doubt"
        assert db.sql("SELECT string_agg(state, ',') FROM %s WHERE batch_id = %d"
                      % (new_table("xero_outbox"), filled["doubt_batch"])) == "sending"
        assert db.sql("SELECT string_agg(state || ':' || n, ',' ORDER BY state) FROM (SELECT state, count(*) n "
                      "FROM %s GROUP BY state) s" % new_table("xero_outbox")) == (
            "cancelled:1,done:1,error:2,queued:3,retry:1,sending:1,waiting:1")
        for key, value in PARAMS.items():
            assert db.sql("SELECT value FROM ir_config_parameter WHERE key = '%s'" % key) == value

        # group members kept
        for old in GROUPS:
            assert group_members(db, new_name(GROUPS, old)) == members[old], old
        # the crons are there and active, on the (renamed) models
        assert crons(db, [new_name(MODELS, m) for m in MODELS]) == Counter(
            {(new_name(MODELS, model), active): n for (model, active), n in old_crons.items()})

        # and the new code sees what the old one left: the same rows due, the mappings, the members
        checked = tagged(db.shell(CHECK.format(
            ids=filled, outbox=new_name(MODELS, "xero.outbox"), event=new_name(MODELS, "xero.event"),
            entry=new_name(FIELDS, "xero_entry_id"), company_tenant=new_name(FIELDS, "xero_tenant_id"),
            manager_group=new_name(GROUPS, "psa_xero_connector.group_xero_manager"),
            user_group=new_name(GROUPS, "psa_xero_connector.group_xero_user"))), "UPGRADE-CHECK")
        assert checked == {"outbox_due": filled["outbox_due"], "events_due": filled["events_due"],
                           "account": filled["x_account"], "tax": filled["x_tax"], "plan": filled["x_cat"],
                           "north": filled["x_north"], "company_org": filled["org"], "manager_is_manager": True,
                           "user_is_user": True, "user_is_manager": False}, checked
    finally:
        db.drop()


def odoo_env_version():
    """The version of this tree's addon (its manifest)."""
    import ast
    with open(os.path.join(REPO, "addons", ADDON, "__manifest__.py")) as fh:
        return ast.literal_eval(fh.read())["version"]
