"""One organisation at a ledger (tenant) ↔ at most one Odoo company, synced in isolation.

The core keeps what every ledger shares: the organisation's company and state, what syncs
to it, the catch-all items, the rests the ledger's rate limits impose, the connect flow's
bookkeeping and the people told when it breaks. Calls to the ledger are its addon's (each
overrides the ``_ledger_*`` hooks, guarded by ``code``).
"""

import logging

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models, sql_db
from odoo.exceptions import AccessError, UserError, ValidationError

from ..access import MANAGER, USER, check_caller
from ..errors import LedgerAuthError, LedgerError

_logger = logging.getLogger(__name__)


class LedgerTenant(models.Model):
    _name = "ledger.tenant"
    _description = "Ledger organisation"
    _inherit = ["mail.thread", "ledger.tenant.dashboard"]
    _order = "name, id"
    _check_company_auto = True

    # What the ledger and the connect flow own: set under sudo by their code paths, never by a user.
    _ledger_owned_fields = frozenset({"name", "remote_id", "remote_connection_id", "connection_id", "state", "code",
                                      "last_error", "base_currency", "country_code", "poll_since",
                                      "drift_snapshot", "drift_checked_at", "drift_full_at",
                                      "drift_calls", "drift_documents", "drift_error",
                                      "remote_currencies"})

    # Which ledger the organisation is at (its authorisation's): the dispatch key of every hook.
    code = fields.Selection([], string="Ledger", compute="_compute_code", store=True, precompute=True,
                            readonly=True, required=True, index=True)
    name = fields.Char(string="Organisation", required=True, tracking=True)
    remote_id = fields.Char(string="ID in the ledger", required=True, readonly=True, index=True, copy=False)
    remote_connection_id = fields.Char(string="Connection ID in the ledger", readonly=True, copy=False)
    connection_id = fields.Many2one("ledger.connection", string="Authorisation", readonly=True, ondelete="set null")
    company_id = fields.Many2one("res.company", string="Odoo company", tracking=True, index=True,
                                 help="The Odoo company whose records sync to this organisation. "
                                      "A company syncs to one organisation at most.")
    state = fields.Selection([
        ("connected", "Connected"),
        ("needs_reconnect", "Needs reconnect"),
        ("disconnected", "Disconnected"),
    ], default="connected", required=True, readonly=True, tracking=True)
    active = fields.Boolean(default=True)
    last_error = fields.Text(readonly=True)
    base_currency = fields.Char(readonly=True)
    country_code = fields.Char(readonly=True)
    # The currencies the organisation has in the ledger (its base and those added).
    remote_currencies = fields.Char(string="Currencies in the ledger", readonly=True, copy=False)
    # What syncs to this organisation (each entity type on or off).
    sync_customers = fields.Boolean("Customers")
    sync_suppliers = fields.Boolean("Suppliers")
    sync_products = fields.Boolean("Products")
    sync_invoices = fields.Boolean("Invoices")
    sync_bills = fields.Boolean("Vendor bills")
    sync_credit_notes = fields.Boolean("Credit notes")
    sync_purchase_orders = fields.Boolean("Purchase orders")
    outbox_ids = fields.One2many("ledger.outbox", "tenant_id")
    notify_success = fields.Boolean(string="Notify successful syncs",
                                    help="The user who saved gets a popup when their records reach the ledger "
                                         "(one per batch).")
    request_log_count = fields.Integer(compute="_compute_request_log_count")
    # Payments recorded in the ledger, brought back by webhook (and the poll that catches what webhooks missed).
    payment_journal_id = fields.Many2one(
        "account.journal", string="Journal for payments from the ledger", check_company=True,
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
        help="Payments recorded in the ledger land in this journal. Empty: the company's first bank journal.")
    cancel_voided_invoices = fields.Boolean(
        string="Cancel documents voided in the ledger",
        help="Off: a document voided in the ledger is only flagged in Odoo. On: it is also cancelled in Odoo.")
    notify_payments = fields.Boolean(
        string="Notify payments from the ledger",
        help="Tell the salesperson and followers when a document is paid in the ledger.")
    rest_until = fields.Datetime(
        string="Calls resume at", readonly=True, copy=False,
        help="The ledger's per-minute budget is spent (or it answered 429): the outbox and the event worker "
             "leave this organisation alone until then.")
    poll_since = fields.Datetime(string="Last check for missed changes", readonly=True, copy=False)
    event_count = fields.Integer(compute="_compute_event_count")
    # Lines whose product has no item in the ledger fall back to these (one per document type).
    catchall_invoice_item_id = fields.Many2one(
        "ledger.item", check_company=True, string="Catch-all item (invoices)", domain="[('tenant_id', '=', id)]",
        help="Item for sales invoice lines whose product has no item in the ledger.")
    catchall_purchase_item_id = fields.Many2one(
        "ledger.item", check_company=True, string="Catch-all item (purchase orders and bills)",
        domain="[('tenant_id', '=', id)]")
    catchall_credit_note_item_id = fields.Many2one(
        "ledger.item", check_company=True, string="Catch-all item (credit notes)", domain="[('tenant_id', '=', id)]")

    _sql_constraints = [
        ("remote_id_unique", "unique(code, remote_id)", "This organisation is already connected."),
        ("company_unique", "unique(company_id)", "A company can sync to one organisation only."),
    ]

    @api.depends("connection_id.code")
    def _compute_code(self):
        for tenant in self:
            # an organisation whose authorisation was deleted stays at its ledger
            tenant.code = tenant.connection_id.code or tenant.code

    # --- what each ledger provides ---------------------------------------------------------------
    def _ledger_label(self):
        """The ledger's name as its users know it (the ``code``'s label)."""
        labels = dict(self._fields["code"]._description_selection(self.env))
        return labels.get(self[:1].code) or self.env._("the ledger")

    def _ledger_test_connection(self):
        """Ask the ledger for this organisation and keep what it says (name, currency...).
        Raises LedgerError."""
        raise NotImplementedError(self.env._("No ledger tests connections for %s.", self.code))

    def _ledger_disconnect(self, token):
        """Remove this organisation's connection at the ledger (the authorisation stays).
        Raises LedgerAuthError when the authorisation is dead, LedgerError otherwise."""
        raise NotImplementedError(self.env._("No ledger disconnects organisations for %s.", self.code))

    def _ledger_reconnect(self):
        """-> the action that sends the manager through the ledger's consent again."""
        raise UserError(self.env._("%s organisations cannot be reconnected from here.", self._ledger_label()))

    @api.model
    def _ledger_app_rest_key(self):
        """The ir.config_parameter key that holds until when the ledger's app-wide limit
        (over every organisation) is spent, or None when the ledger has none."""
        return None

    # --- checks and writes --------------------------------------------------------------------
    @api.constrains("catchall_invoice_item_id", "catchall_purchase_item_id", "catchall_credit_note_item_id")
    def _check_catchall_items(self):
        for tenant in self:
            for item in (tenant.catchall_invoice_item_id | tenant.catchall_purchase_item_id
                         | tenant.catchall_credit_note_item_id):
                if item.tenant_id != tenant or not item.active:
                    raise ValidationError(self.env._(
                        "The catch-all item %(item)s does not exist in %(org)s (import the items from %(ledger)s "
                        "again).", item=item.display_name, org=tenant.name, ledger=tenant._ledger_label()))

    def write(self, vals):
        if not self.env.su:
            owned = self._ledger_owned_fields & set(vals)
            if owned:
                raise AccessError(self.env._("These fields are set by %(ledger)s, not by hand: %(fields)s",
                                             ledger=self._ledger_label(), fields=", ".join(sorted(owned))))
            # A manager assigns organisations to their own companies only (the record rules
            # check the tenant before the write, not the company it is moved to).
            if vals.get("company_id") and vals["company_id"] not in self.env.companies.ids:
                raise AccessError(self.env._("You can only assign an organisation to one of your companies."))
        return super().write(vals)

    def _recheck_held_documents(self):
        """Something that decides whether documents may be sent changed (a lock date, a
        policy): the documents in error are checked again at once (one held for the old reason
        goes; one still refused, or in error for another reason, comes back to Error with its
        sentence) — nobody should have to press Retry for each."""
        rows = self.env["ledger.outbox"].sudo().search([("tenant_id", "in", self.ids), ("state", "=", "error"),
                                                        ("res_model", "in", ("account.move", "purchase.order"))])
        if rows:
            rows.write({"state": "queued", "next_try": fields.Datetime.now(), "attempts": 0})
            rows._queue_trigger()

    def _compute_request_log_count(self):
        counts = dict(self.env["ledger.request.log"]._read_group(
            [("tenant_id", "in", self.ids)], ["tenant_id"], ["__count"]))
        for tenant in self:
            tenant.request_log_count = counts.get(tenant, 0)

    def _compute_event_count(self):
        counts = dict(self.env["ledger.event"]._read_group([("tenant_id", "in", self.ids)], ["tenant_id"], ["__count"]))
        for tenant in self:
            tenant.event_count = counts.get(tenant, 0)

    # --- actions ----------------------------------------------------------------------------------
    def action_view_events(self):
        self.ensure_one()
        check_caller(self, USER, "read")
        action = self.env["ir.actions.act_window"]._for_xml_id(self._ledger_views_module + ".action_ledger_event")
        action["domain"] = [("tenant_id", "=", self.id)]
        return action

    def action_view_request_log(self):
        self.ensure_one()
        check_caller(self, USER, "read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            self._ledger_views_module + ".action_ledger_request_log")
        action["domain"] = [("tenant_id", "=", self.id)]
        action["context"] = {"search_default_today": 0}
        return action

    def action_test_connection(self):
        self.ensure_one()
        check_caller(self, MANAGER, "write")
        tenant = self.sudo()  # name, currency and last error are the ledger's fields (see write)
        ledger = tenant._ledger_label()
        try:
            tenant._ledger_test_connection()
        except LedgerError as exc:
            tenant.last_error = str(exc)
            return self._toast(self.env._("%s connection failed", ledger), str(exc), "danger")
        return self._toast(self.env._("Connected to %s", ledger), self.env._("%s answers.", self.name), "success")

    def action_disconnect(self):
        """Remove this organisation's connection at the ledger; the authorisation stays for the
        others. Pressed twice, the second press finds it disconnected and calls the ledger no more."""
        check_caller(self._with_user_companies(), MANAGER, "write")
        for tenant in self.sudo():
            if tenant.state == "connected" and tenant.connection_id and tenant.remote_connection_id:
                try:
                    tenant._ledger_disconnect(tenant.connection_id._get_access_token())
                except LedgerAuthError:
                    # the authorisation is dead anyway: nothing to remove at the ledger
                    _logger.info("%s: %s's authorisation is no longer valid, nothing to disconnect",
                                 tenant.code, tenant.name)
                except LedgerError as exc:
                    raise UserError(self.env._("%(ledger)s did not confirm the disconnection: %(error)s",
                                               ledger=tenant._ledger_label(), error=exc)) from exc
            tenant.write({"state": "disconnected", "last_error": False})
        return True

    def action_open_import(self):
        self.ensure_one()
        check_caller(self, MANAGER, "write")
        return {"type": "ir.actions.act_window", "res_model": "ledger.import.wizard", "view_mode": "form",
                "target": "new", "name": self.env._("Import from %s", self._ledger_label()),
                "context": {"default_tenant_id": self.id}}

    def action_reconnect(self):
        check_caller(self._with_user_companies(), MANAGER, "write")
        return self._ledger_reconnect()

    def _lost_access(self, reason):
        """The ledger no longer serves these organisations (disconnected on its side, or the
        authorisation refused): mark them "needs reconnect" and tell their managers once — an
        organisation already marked is not announced again at each call."""
        for tenant in self.sudo():
            was = tenant.state
            tenant.write({"state": "needs_reconnect", "last_error": reason})
            if was == "connected":
                tenant._notify_managers(self.env._(
                    "%(ledger)s no longer lets Odoo reach %(org)s (%(reason)s): it was disconnected in %(ledger)s, "
                    "or its access was removed. Nothing more is sent to it until a %(ledger)s manager reconnects "
                    "it: Settings → %(ledger)s → Reconnect on %(org)s.",
                    ledger=tenant._ledger_label(), org=tenant.name, reason=reason))

    def _with_user_companies(self):
        """These organisations with every company of the user allowed: Settings lists the
        organisations of all the companies a manager works in, not only the active ones (the
        record rules still decide which they are)."""
        return self.with_context(allowed_company_ids=self.env.user.company_ids.ids)

    @staticmethod
    def _toast(title, message, kind):
        return {"type": "ir.actions.client", "tag": "display_notification",
                "params": {"title": title, "message": message, "type": kind, "sticky": kind == "danger"}}

    def _notify_managers(self, message):
        """A chatter message that reaches the inbox of the ledger managers who work with the
        organisation: its company's (the manager who connected it while it has none), never
        another company's."""
        managers = self.env.ref("psa_ledger.group_ledger_manager").sudo().users
        for tenant in self.sudo():
            partners = tenant._ledger_audience(managers).partner_id
            tenant.message_post(body=message, partner_ids=partners.ids, message_type="notification",
                                subtype_xmlid="mail.mt_comment")

    def _ledger_audience(self, users):
        """Of ``users``, those who may be told about this organisation: active internal users of
        its company, or, while it has none, the manager whose authorisation brought it in."""
        self.ensure_one()
        tenant = self.sudo()
        # the superuser (code run as such, crons) counts as internal: it is no person to spare
        users = users.sudo().filtered(lambda u: u._is_superuser() or (u.active and u._is_internal()))
        if tenant.company_id:
            return users.filtered(lambda u: tenant.company_id in u.company_ids)
        return users & tenant.connection_id.user_id

    @api.model
    def _sync_tenants(self, switch, company=None):
        """Organisations with ``switch`` on: the company's, or every one (shared records). One
        that needs reconnecting is included: its rows wait in the queue until it is reconnected."""
        domain = [("state", "in", ("connected", "needs_reconnect")), ("company_id", "!=", False), (switch, "=", True)]
        if company:
            domain.append(("company_id", "=", company.id))
        return self.sudo().search(domain)

    # --- rests (rate limits) ---------------------------------------------------------------------
    def _rest(self, until):
        """Leave this organisation alone until ``until`` (every worker, every queue). Written at
        once in a short transaction of its own (READ COMMITTED: concurrent workers that hit the
        limit together must not fail on each other), and the queues are woken then."""
        self.ensure_one()
        with self.env.registry.cursor() as cr:
            if isinstance(cr, sql_db.Cursor):  # not the shared cursor of a test in test mode
                cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            cr.execute("""UPDATE ledger_tenant SET rest_until = GREATEST(COALESCE(rest_until, %s), %s)
                           WHERE id = %s""", [until, until, self.id])
        self.invalidate_recordset(["rest_until"])
        for queue in ("ledger.outbox", "ledger.event"):
            self.env[queue].sudo()._queue_trigger(at=until)

    @api.model
    def _rest_app(self, until):
        """The ledger's app-wide limit (over every organisation) is reached: no organisation is
        served until ``until`` — by any worker of any Odoo host on this database. Kept in an
        ir.config_parameter row (read by the queues' SQL, never through get_param's
        per-process cache), written at once in a short READ COMMITTED transaction of its own
        like ``_rest``; the queues are woken then."""
        key = self._ledger_app_rest_key()
        if not key:
            return
        value = fields.Datetime.to_string(until)
        with self.env.registry.cursor() as cr:
            if isinstance(cr, sql_db.Cursor):  # not the shared cursor of a test in test mode
                cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            # the format sorts as text: GREATEST keeps the later of two workers' rests
            cr.execute("""INSERT INTO ir_config_parameter (key, value, create_uid, write_uid, create_date, write_date)
                          VALUES (%s, %s, %s, %s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
                          ON CONFLICT (key) DO UPDATE SET value = GREATEST(ir_config_parameter.value, EXCLUDED.value),
                                                          write_date = EXCLUDED.write_date""",
                       [key, value, self.env.uid, self.env.uid])
        for queue in ("ledger.outbox", "ledger.event"):
            self.env[queue].sudo()._queue_trigger(at=until)

    @api.model
    def _app_rest_until(self):
        """-> when the ledger's app-wide limit allows calls again (a datetime), or None if it does now."""
        key = self._ledger_app_rest_key()
        if not key:
            return None
        self.env["ir.config_parameter"].flush_model(["key", "value"])
        self.env.cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s AND value > %s",
                            [key, fields.Datetime.to_string(fields.Datetime.now())])
        row = self.env.cr.fetchone()
        return fields.Datetime.to_datetime(row[0]) if row else None

    # --- connect flow (called by the ledger's OAuth controller) ------------------------------------
    @api.model
    def _register_connections(self, connection, organisations, company=None, refused=None):
        """Create or update one tenant per organisation the ledger listed (dicts: remote_id,
        name, remote_connection_id). -> tenants. A known one the consenting user may not take
        (see ``_consent_refusal``) keeps its authorisation and state, and goes into ``refused``
        (a dict: tenant -> why) when given."""
        tenants = self.browse()
        refused = {} if refused is None else refused
        for org in organisations:
            vals = {"name": org.get("name") or org["remote_id"], "connection_id": connection.id,
                    "remote_connection_id": org.get("remote_connection_id"), "state": "connected",
                    "last_error": False}
            tenant = self.with_context(active_test=False).search([("remote_id", "=", org["remote_id"])])
            if tenant:
                why = tenant._consent_refusal(connection.user_id)
                if why:
                    refused[tenant] = why
                    continue
                tenant.write(vals)
            else:
                tenant = self.create(dict(vals, remote_id=org["remote_id"], code=connection.code))
            tenants |= tenant
        # One new organisation and a company without one: the obvious assignment.
        if company and len(tenants) == 1 and not tenants.company_id and not company.ledger_tenant_id:
            tenants.company_id = company
        # What waited for these organisations to be reconnected is due now.
        self.env["ledger.outbox"].sudo()._wake_tenants(tenants)
        return tenants

    def _consent_refusal(self, user):
        """Why ``user``'s consent at the ledger must not take this known organisation over (None
        when it may): the ledger lists every organisation the person can reach there, which says
        nothing of who works with it in Odoo. Another company's organisation keeps its
        authorisation; one its company archived stays asleep (unarchive it, then Reconnect);
        an unassigned one stays with the manager who brought it in."""
        self.ensure_one()
        tenant = self.sudo()
        if tenant.company_id:
            if tenant.company_id not in user.company_ids:
                return self.env._("it belongs to another company in Odoo")
            if not tenant.active:
                return self.env._("it is archived in Odoo: unarchive it, then reconnect it")
            return None
        owner = tenant.connection_id.user_id
        if owner and owner != user and owner.active and not user.has_group("base.group_system"):
            return self.env._("another manager connected it and has not assigned it to a company yet")
        return None
