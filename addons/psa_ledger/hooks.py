"""A database made before the core existed (the first ledger's addon, up to 18.0.1.2.0, kept
everything in tables named after that ledger) upgrades without losing a row: when the core is
installed into it — Odoo installs it as the new dependency while upgrading that addon — its
tables, columns, sequences, indexes and constraints are renamed in place, the model registry and
external IDs follow, and every existing organisation is marked as one of that ledger (the only
one there was). Nothing is copied, so outbox rows, batches in doubt, links and logs carry on
exactly where they were."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# old model → new model (tables follow: dots become underscores)
MODELS = {
    "connection", "tenant", "tenant.dashboard", "queue", "outbox", "outbox.batch", "link", "request.log",
    "event", "drift", "drift.line", "sync.mixin", "document.mixin", "catalog.mixin", "mapped.mixin",
    "account", "item", "tax.rate", "tracking.category", "tracking.option", "import.wizard", "import.line",
}
OLD = "xe" "ro"  # the one ledger there was; spelt apart so the core names no ledger
RENAMED_MODELS = {"%s.%s" % (OLD, m): "ledger.%s" % m for m in MODELS}

# table → {old column: new column}; old names are spelt with the OLD prefix at run time
_COLUMNS = {
    "ledger_link": {"id": "remote_id", "code": "remote_code", "name": "remote_name", "status": "remote_status",
                    "parent_id": "remote_parent_id", "currency": "remote_currency",
                    "sales_account_code": "remote_sales_account_code",
                    "purchase_account_code": "remote_purchase_account_code",
                    "sales_tax_type": "remote_sales_tax_type", "purchase_tax_type": "remote_purchase_tax_type"},
    "ledger_drift_line": {"id": "remote_id", "value": "remote_value"},
    "ledger_tenant": {"tenant_id": "remote_id", "connection_uuid": "remote_connection_id",
                      "currencies": "remote_currencies", "rest_until": "rest_until", "poll_since": "poll_since",
                      "drift_snapshot": "drift_snapshot", "drift_checked_at": "drift_checked_at",
                      "drift_full_at": "drift_full_at", "drift_calls": "drift_calls",
                      "drift_documents": "drift_documents", "drift_error": "drift_error"},
    "ledger_event": {"tenant_id": "remote_tenant_id"},
    "ledger_outbox": {"messages": "remote_messages"},
    "ledger_request_log": {"messages": "remote_messages"},
    "account_move": {"voided": "ledger_voided", "tracking_note": "ledger_tracking_note"},
    "purchase_order": {"voided": "ledger_voided", "tracking_note": "ledger_tracking_note"},
    "account_account": {"entry_id": "ledger_entry_id"},
    "account_tax": {"entry_id": "ledger_entry_id"},
    "account_analytic_account": {"entry_id": "ledger_entry_id", "plan_category_id": "ledger_plan_category_id"},
    "account_analytic_plan": {"entry_id": "ledger_entry_id"},
}
# field names that changed without a column (computed), for the registry's field rows
_FIELDS_ONLY = {"sync_state": "ledger_sync_state", "sync_message": "ledger_sync_message",
                "synced_at": "ledger_synced_at", "url": "ledger_url", "link_ids": "ledger_link_ids",
                "item_id": "ledger_item_id", "mapping_state": "ledger_mapping_state",
                "tenant_ids": "ledger_tenant_ids", "tenant_count": "ledger_tenant_count",
                "log_retention_days": "ledger_log_retention_days"}
# records whose external IDs moved to the core, with what they were called: kept, not re-created
# (group members, cron schedules)
MOVED_XMLIDS = {
    "group_%s_user" % OLD: "group_ledger_user",
    "group_%s_manager" % OLD: "group_ledger_manager",
    "module_category_%s" % OLD: "module_category_ledger",
    "ir_cron_%s_events" % OLD: "ir_cron_ledger_events",
    "ir_cron_%s_events_2" % OLD: "ir_cron_ledger_events_2",
    "ir_cron_%s_check_connections" % OLD: "ir_cron_ledger_check_connections",
    "ir_cron_%s_outbox" % OLD: "ir_cron_ledger_outbox",
    "ir_cron_%s_outbox_2" % OLD: "ir_cron_ledger_outbox_2",
    "ir_cron_%s_drift" % OLD: "ir_cron_ledger_drift",
    "ir_cron_purge_request_log": "ir_cron_purge_request_log",
}
# the core's access rows and record rules keep their records (and their ids) too
MOVED_PREFIXES = ("access_ledger_", "rule_ledger_")
PROVIDER_MODULE = "psa_%s_connector" % OLD


def _exists(cr, table):
    cr.execute("SELECT 1 FROM pg_class WHERE relname = %s AND relkind = 'r'", [table])
    return bool(cr.fetchone())


def _column_exists(cr, table, column):
    cr.execute("SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
               [table, column])
    return bool(cr.fetchone())


def _model_of(table):
    return {m.replace(".", "_"): m for m in RENAMED_MODELS.values()}.get(table)


def pre_init_hook(env):
    cr = env.cr
    if not _exists(cr, "%s_tenant" % OLD) or _exists(cr, "ledger_tenant"):
        return  # a fresh database: nothing to carry over
    _logger.info("Renaming the %s connector's tables to the ledger core's (every row kept)", OLD)
    cr.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE %s", [OLD + r"\_%"])
    tables = [(old, "ledger_" + old[len(OLD) + 1:]) for (old,) in cr.fetchall()]
    for old, new in tables:
        cr.execute(SQL("ALTER TABLE %s RENAME TO %s", SQL.identifier(old), SQL.identifier(new)))
    cr.execute("SELECT relname FROM pg_class WHERE relkind = 'S' AND relname LIKE %s", [OLD + r"\_%"])
    for (old,) in cr.fetchall():
        cr.execute(SQL("ALTER SEQUENCE %s RENAME TO %s", SQL.identifier(old),
                       SQL.identifier("ledger_" + old[len(OLD) + 1:])))
    columns = {}
    for table, renames in _COLUMNS.items():
        for old_suffix, new in renames.items():
            old = "%s_%s" % (OLD, old_suffix)
            if _exists(cr, table) and _column_exists(cr, table, old) and not _column_exists(cr, table, new):
                cr.execute(SQL("ALTER TABLE %s RENAME COLUMN %s TO %s", SQL.identifier(table),
                               SQL.identifier(old), SQL.identifier(new)))
                columns.setdefault(table, {})[old] = new
    _rename_indexes_and_constraints(cr, [new for _old, new in tables] + list(columns), columns)
    _rename_registry(cr, columns)
    _blank_provider_view_extensions(cr)
    # a drift line "missing in <the ledger>" said which one in its kind's value
    cr.execute("UPDATE ledger_drift_line SET kind = 'missing_ledger' WHERE kind = %s", ["missing_%s" % OLD])
    for table in ("ledger_tenant", "ledger_connection"):
        cr.execute(SQL("ALTER TABLE %s ADD COLUMN IF NOT EXISTS code varchar", SQL.identifier(table)))
        cr.execute(SQL("UPDATE %s SET code = %s WHERE code IS NULL", SQL.identifier(table), OLD))


def _rename_indexes_and_constraints(cr, tables, columns):
    prefix = OLD + "_"
    for table in set(tables):
        renames = columns.get(table, {})
        cr.execute("""SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                      JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = %s""", [table])
        names = [("index", n) for (n,) in cr.fetchall()]
        cr.execute("""SELECT conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
                      WHERE t.relname = %s""", [table])
        constraints = {n for (n,) in cr.fetchall()}
        for kind, name in names + [("constraint", n) for n in constraints]:
            if kind == "index" and name in constraints:
                continue  # renamed with its constraint
            new = name
            if new.startswith(prefix):
                new = "ledger_" + new[len(prefix):]
            for old_col, new_col in renames.items():
                new = new.replace("_%s_" % old_col, "_%s_" % new_col)
            if new == name:
                continue
            if kind == "index":
                cr.execute(SQL("ALTER INDEX %s RENAME TO %s", SQL.identifier(name), SQL.identifier(new)))
            else:
                cr.execute(SQL("ALTER TABLE %s RENAME CONSTRAINT %s TO %s", SQL.identifier(table),
                               SQL.identifier(name), SQL.identifier(new)))
                cr.execute("UPDATE ir_model_constraint SET name = %s WHERE name = %s", [new, name])


def _rename_registry(cr, columns):
    for old, new in RENAMED_MODELS.items():
        cr.execute("UPDATE ir_model SET model = %s WHERE model = %s", [new, old])
        cr.execute("UPDATE ir_model_fields SET model = %s WHERE model = %s", [new, old])
        cr.execute("UPDATE ir_model_fields SET relation = %s WHERE relation = %s", [new, old])
        cr.execute("UPDATE ir_model_data SET model = %s WHERE model = %s", [new, old])
        for table, column in (("ir_ui_view", "model"), ("ir_act_window", "res_model"),
                              ("ir_act_server", "model_name"), ("mail_message", "model"),
                              ("mail_followers", "res_model"), ("mail_activity", "res_model"),
                              ("ir_attachment", "res_model"), ("ledger_outbox", "res_model"),
                              ("ledger_link", "res_model"), ("ledger_request_log", "res_model")):
            if _exists(cr, table) and _column_exists(cr, table, column):
                cr.execute(SQL("UPDATE %s SET %s = %s WHERE %s = %s", SQL.identifier(table),
                               SQL.identifier(column), new, SQL.identifier(column), old))
    for table, renames in columns.items():
        model = _model_of(table) or table.replace("_", ".")
        for old, new in renames.items():
            cr.execute("UPDATE ir_model_fields SET name = %s WHERE name = %s AND model = %s", [new, old, model])
    for old_suffix, new in _FIELDS_ONLY.items():
        cr.execute("""UPDATE ir_model_fields f SET name = %s WHERE name = %s
                      AND NOT EXISTS (SELECT 1 FROM ir_model_fields g WHERE g.model = f.model AND g.name = %s)""",
                   ["%s" % new, "%s_%s" % (OLD, old_suffix), new])
    for old, new in MOVED_XMLIDS.items():
        cr.execute("UPDATE ir_model_data SET module = 'psa_ledger', name = %s WHERE module = %s AND name = %s",
                   [new, PROVIDER_MODULE, old])
    # the provider's own records whose IDs now say "ledger" (views, actions, rules, access)
    for old, new in RENAMED_MODELS.items():
        old_u, new_u = old.replace(".", "_"), new.replace(".", "_")
        cr.execute("""UPDATE ir_model_data SET name = regexp_replace(name, %s, %s)
                      WHERE module = %s AND name ~ %s""",
                   [r"(^|_)%s(_|$)" % old_u, r"\1%s\2" % new_u, PROVIDER_MODULE, r"(^|_)%s(_|$)" % old_u])
    for prefix in MOVED_PREFIXES:
        cr.execute("""UPDATE ir_model_data SET module = 'psa_ledger' WHERE module = %s AND name LIKE %s""",
                   [PROVIDER_MODULE, prefix.replace("_", r"\_") + "%"])


def _blank_provider_view_extensions(cr):
    """The provider's (and its dependents') view extensions still name the old fields until their
    module reloads them; Odoo validates each reloaded view together with the others of the same
    parent, so one stale sibling would fail the upgrade. They are emptied here (an extension with
    no change) and written again from the modules' files in the same upgrade."""
    cr.execute("""
        UPDATE ir_ui_view SET arch_db = jsonb_build_object('en_US', '<data/>')
         WHERE mode = 'extension' AND inherit_id IS NOT NULL
           AND id IN (SELECT d.res_id FROM ir_model_data d
                       WHERE d.model = 'ir.ui.view'
                         AND (d.module = %s OR d.module IN (
                             SELECT m.name FROM ir_module_module m
                               JOIN ir_module_module_dependency dep ON dep.module_id = m.id
                              WHERE dep.name = %s)))""",
               [PROVIDER_MODULE, PROVIDER_MODULE])
