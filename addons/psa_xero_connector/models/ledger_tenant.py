"""One Xero organisation (tenant) ↔ at most one Odoo company, synced in isolation.

Every call to Xero for a tenant goes through ``_call``: it gets a valid token from the
tenant's connection, sends through the one HTTP client, and logs the exchange.
"""

import logging
from datetime import timedelta

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models, sql_db
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.psa_ledger.access import MANAGER, USER, check_caller

from .. import const
from ..xero import presend
from ..xero.client import XeroClient, limits_remaining
from ..xero.errors import XeroAuthError, XeroError, XeroRateLimited
from ..xero.settlement import parse_date as xero_date

_logger = logging.getLogger(__name__)


# The statuses a document may be created in (Xero's Invoice / CreditNote / PurchaseOrder Status).
XERO_DOCUMENT_STATUSES = [("AUTHORISED", "Approved (AUTHORISED)"), ("SUBMITTED", "Awaiting approval (SUBMITTED)"),
                          ("DRAFT", "Draft")]


class XeroTenant(models.Model):
    _name = "ledger.tenant"
    _description = "Xero organisation"
    _inherit = ["mail.thread", "ledger.tenant.dashboard"]
    _order = "name, id"
    _check_company_auto = True

    # What Xero and the connect flow own: set under sudo by their code paths, never by a user.
    _ledger_owned_fields = frozenset({"name", "remote_id", "remote_connection_id", "connection_id", "state",
                                    "last_error", "base_currency", "country_code", "poll_since",
                                    "xero_period_lock_date", "xero_end_of_year_lock_date", "xero_short_code",
                                    "drift_snapshot", "drift_checked_at", "drift_full_at",
                                    "drift_calls", "drift_documents", "drift_error",
                                    "remote_currencies"})

    name = fields.Char(string="Organisation", required=True, tracking=True)
    remote_id = fields.Char(string="Xero tenant ID", required=True, readonly=True, index=True, copy=False)
    remote_connection_id = fields.Char(string="Xero connection ID", readonly=True, copy=False)
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
    # The currencies the organisation has in Xero (GET /Currencies: its base and those added).
    remote_currencies = fields.Char(string="Currencies in Xero", readonly=True, copy=False,
                                  help="Read from Xero on import, on Test connection and when a document needs one.")
    missing_currency_policy = fields.Selection(
        [("report", "Report an error"), ("enable", "Add it in Xero")], string="Currencies missing in Xero",
        default="report", required=True,
        help="A document in a currency this organisation has not added in Xero: report it as an error "
             "before sending (add the currency in Xero, then Retry), or add the currency in Xero "
             "(PUT Currencies) and send.")
    country_code = fields.Char(readonly=True)
    xero_short_code = fields.Char(string="Xero short code", readonly=True, copy=False,
                                  help="Organisation.ShortCode: links to Xero open in this organisation")
    # What syncs to this organisation (each entity type on or off).
    sync_customers = fields.Boolean("Customers")
    sync_suppliers = fields.Boolean("Suppliers")
    sync_products = fields.Boolean("Products")
    sync_invoices = fields.Boolean("Invoices")
    sync_bills = fields.Boolean("Vendor bills")
    sync_credit_notes = fields.Boolean("Credit notes")
    sync_purchase_orders = fields.Boolean("Purchase orders")
    # Xero's certification checkpoint 19: Draft, Awaiting approval or Approved, per document type.
    # document_status is the invoices' (and, left empty, the bills' and credit notes'); an existing
    # database keeps its behaviour on upgrade (the new fields start empty, or AUTHORISED for
    # purchase orders, which were always sent approved).
    document_status = fields.Selection(XERO_DOCUMENT_STATUSES, string="Status of invoices in Xero",
                                       default="AUTHORISED", required=True,
                                       help="Draft: they wait in Xero as drafts. Awaiting approval: they wait in "
                                            "Xero for someone to approve them. Approved: they count at once.")
    bill_status = fields.Selection(XERO_DOCUMENT_STATUSES, string="Status of bills in Xero",
                                   help="Empty: as invoices.")
    credit_note_status = fields.Selection(XERO_DOCUMENT_STATUSES, string="Status of credit notes in Xero",
                                          help="Empty: as invoices. A credit note is allocated to the invoice it "
                                               "reverses once both are approved in Xero.")
    purchase_order_status = fields.Selection(XERO_DOCUMENT_STATUSES, string="Status of purchase orders in Xero",
                                             default="AUTHORISED", required=True)
    tracking_missing_options = fields.Selection(
        [("report", "Report an error"), ("create", "Create them in Xero")], string="Tracking options missing in Xero",
        default="report", required=True,
        help="An analytic account of a plan mapped to a Xero tracking category, with no option of that category "
             "(mapped or of the same name). Report: the document waits with an error naming the account and "
             "Xero → Tracking mapping. Create: the option is created in Xero with the account's name.")
    outbox_ids = fields.One2many("ledger.outbox", "tenant_id")
    notify_success = fields.Boolean(string="Notify successful syncs",
                                    help="The user who saved gets a popup when their records reach Xero "
                                         "(one per batch: \"12 invoices synced to Xero\").")
    # one call per document: Xero has no batch for notes, and they count against its 60 calls a minute
    history_notes = fields.Selection(
        [("none", "Off"), ("create", "When created from Odoo"), ("always", "Each time Odoo sends it")],
        string="History note in Xero", default="none", required=True,
        help="A note in the document's History in Xero: \"Sent from Odoo by <user>: INV/2026/00042\". "
             "Each note is one more call to Xero (no batch exists for notes).")
    request_log_count = fields.Integer(compute="_compute_request_log_count")
    # Payments recorded in Xero, brought back by webhook (and the poll that catches what webhooks missed).
    payment_journal_id = fields.Many2one(
        "account.journal", string="Journal for Xero payments", check_company=True,
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
        help="Payments recorded in Xero land in this journal unless their Xero bank account is mapped "
             "to another below. Empty: the company's first bank journal.")
    bank_account_ids = fields.One2many("ledger.account", "tenant_id", string="Xero bank accounts",
                                       domain=[("account_type", "=", "BANK")])
    cancel_voided_invoices = fields.Boolean(
        string="Cancel documents voided in Xero",
        help="Off: a document voided in Xero is only flagged in Odoo. On: it is also cancelled in Odoo.")
    notify_payments = fields.Boolean(
        string="Notify payments from Xero",
        help="Tell the salesperson and followers when a document is paid in Xero.")
    rest_until = fields.Datetime(
        string="Xero calls resume at", readonly=True, copy=False,
        help="Xero's per-minute budget is spent (or it answered 429): the outbox and the event worker "
             "leave this organisation alone until then.")
    poll_since = fields.Datetime(string="Last check for missed changes", readonly=True, copy=False)
    event_count = fields.Integer(compute="_compute_event_count")
    # Lines whose product has no Xero item fall back to these (one per document type).
    catchall_invoice_item_id = fields.Many2one(
        "ledger.item", check_company=True, string="Catch-all item (invoices)", domain="[('tenant_id', '=', id)]",
        help="Xero item for sales invoice lines whose product has no Xero item.")
    catchall_purchase_item_id = fields.Many2one(
        "ledger.item", check_company=True, string="Catch-all item (purchase orders and bills)",
        domain="[('tenant_id', '=', id)]")
    catchall_credit_note_item_id = fields.Many2one(
        "ledger.item", check_company=True, string="Catch-all item (credit notes)", domain="[('tenant_id', '=', id)]")
    # Xero's lock dates, read on connect, import and each poll: Xero refuses an approved invoice,
    # bill or credit note dated on or before them (see xero/presend.py).
    xero_period_lock_date = fields.Date(string="Period lock date", readonly=True, copy=False,
                                        help="Xero's lock date for every user but advisers.")
    xero_end_of_year_lock_date = fields.Date(string="End of year lock date", readonly=True, copy=False,
                                             help="Xero's lock date for every user, advisers too.")
    xero_adviser = fields.Boolean(string="Connected as an adviser",
                                  help="The person who connected Odoo has Xero's adviser role: the period lock "
                                       "date does not bind the connection, the end of year lock date does.")
    lock_date_policy = fields.Selection(
        [("error", "Hold it as an error"), ("first_open_day", "Send it dated on the first open day")],
        string="Documents dated in a locked period", default="error", required=True,
        help="Hold it as an error: the document stays in the outbox with the reason until its date or Xero's lock "
             "date changes. Send it dated on the first open day: it goes to Xero dated the day after the lock "
             "date, and its chatter says so.")

    _sql_constraints = [
        ("remote_id_unique", "unique(remote_id)", "This Xero organisation is already connected."),
        ("company_unique", "unique(company_id)", "A company can sync to one Xero organisation only."),
    ]

    @api.constrains("catchall_invoice_item_id", "catchall_purchase_item_id", "catchall_credit_note_item_id")
    def _check_catchall_items(self):
        for tenant in self:
            for item in (tenant.catchall_invoice_item_id | tenant.catchall_purchase_item_id
                         | tenant.catchall_credit_note_item_id):
                if item.tenant_id != tenant or not item.active:
                    raise ValidationError(self.env._("The catch-all item %(item)s does not exist in %(org)s "
                                            "(import the items from Xero again).", item=item.display_name,
                                            org=tenant.name))

    def write(self, vals):
        if not self.env.su:
            owned = self._ledger_owned_fields & set(vals)
            if owned:
                raise AccessError(self.env._("These fields are set by Xero, not by hand: %s", ", ".join(sorted(owned))))
            # A manager assigns organisations to their own companies only (the record rules
            # check the tenant before the write, not the company it is moved to).
            if vals.get("company_id") and vals["company_id"] not in self.env.companies.ids:
                raise AccessError(self.env._("You can only assign an organisation to one of your companies."))
        result = super().write(vals)
        if {"xero_period_lock_date", "xero_end_of_year_lock_date", "xero_adviser", "lock_date_policy"} & set(vals):
            self._xero_recheck_held_documents()
        return result

    def _xero_recheck_held_documents(self):
        """A lock date, the adviser flag or the policy changed: the documents in error are
        checked again at once (one held for the old lock date goes; one still locked, or in
        error for another reason, comes back to Error with its sentence) — the field's help
        promises it, and nobody should have to press Retry for each."""
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

    def action_view_events(self):
        self.ensure_one()
        check_caller(self, USER, "read")
        action = self.env["ir.actions.act_window"]._for_xml_id("psa_xero_connector.action_ledger_event")
        action["domain"] = [("tenant_id", "=", self.id)]
        return action

    def action_check_xero_now(self):
        """The safety-net poll, now, for this organisation."""
        self.ensure_one()
        check_caller(self, MANAGER, "write")
        Inbound = self.env["xero.inbound"]
        if not Inbound._try_tenant_lock(self):  # held until this request's transaction ends
            return self._toast(self.env._("Xero"), self.env._(
                "Odoo is applying changes from %s right now (a check, or Xero's events): try again in a moment.",
                self.name), "warning")
        applied = []
        try:
            Inbound._poll(self.sudo(), applied=applied)
        except XeroError as exc:
            return self._toast(self.env._("Xero check failed"), str(exc), "danger")
        return self._toast(self.env._("Xero"), self.env._(
            "%(n)d document(s) brought in line with %(org)s.", n=len(applied), org=self.name), "success")

    # --- the client -----------------------------------------------------------------------------
    @api.model
    def _xero_settings(self):
        icp = self.env["ir.config_parameter"].sudo()
        return {key: icp.get_param(const.PARAM_PREFIX + key, default) or default
                for key, default in const.PARAMS.items()}

    @api.model
    def _xero_client(self, connection=None, tenant=None, context=None):
        """The HTTP client, logging each exchange to ledger.request.log in this transaction."""
        settings = self._xero_settings()
        if not settings["client_id"] or not settings["client_secret"]:
            raise UserError(self.env._("Set the Xero app's client ID and secret in Settings → Xero first."))
        log_model = self.env["ledger.request.log"].sudo()

        def log(entry):
            log_model._log_exchange(entry, tenant=tenant, context=context)
        return XeroClient(settings, log=log)

    def _call(self, method, path, body=None, params=None, idempotency_key=None, operation=None, context=None,
              headers=None):
        """One Accounting API call for this tenant. -> (data, headers). Raises XeroError."""
        self.ensure_one()
        tenant = self.sudo()
        if tenant.state != "connected" or not tenant.connection_id:
            raise XeroAuthError(self.env._("Xero organisation %s is not connected.", tenant.name), code="not_connected")
        token = tenant.connection_id._get_access_token()
        client = self._xero_client(tenant=tenant, context=context)
        args = dict(body=body, params=params, idempotency_key=idempotency_key, operation=operation, context=context,
                    headers=headers)
        try:
            try:
                data, answer = client.call(token, tenant.remote_id, method, path, **args)
            except XeroAuthError as exc:
                if exc.status != 401 or "TokenExpired" not in str(exc):
                    raise
                # Our clock said the token was valid, Xero's did not: refresh once, resend once.
                token = tenant.connection_id._get_access_token(rejected=token)
                data, answer = client.call(token, tenant.remote_id, method, path, **args)
        except XeroAuthError as exc:
            if exc.status == 403:
                # The organisation was disconnected at Xero (Settings → Connected apps), or the
                # app lost access to it: say so once, where its managers look.
                tenant._xero_lost_access(str(exc))
            raise
        except XeroRateLimited as exc:
            if exc.problem == "appminute":
                # the app's minute is spent over all organisations: none of them is served meanwhile
                self._rest_app(fields.Datetime.now() + timedelta(seconds=exc.retry_after))
            raise
        if limits_remaining(answer).get("app_minute") == 0:
            # the last call of the app's minute: every worker stops before earning a 429
            self._rest_app(fields.Datetime.now() + timedelta(seconds=const.LIMIT_WINDOW_SECONDS))
        return data, answer

    # --- actions ----------------------------------------------------------------------------------
    def action_test_connection(self):
        self.ensure_one()
        check_caller(self, MANAGER, "write")
        tenant = self.sudo()  # name, currency and last error are Xero's fields (see write)
        try:
            data, _headers = tenant._call("GET", "Organisation", operation="organisation")
        except XeroError as exc:
            tenant.last_error = str(exc)
            return self._toast(self.env._("Xero connection failed"), str(exc), "danger")
        org = (data or {}).get("Organisations", [{}])[0]
        tenant.write({"name": org.get("Name") or self.name, "base_currency": org.get("BaseCurrency"),
                    "country_code": org.get("CountryCode"), "xero_short_code": org.get("ShortCode") or False,
                    "last_error": False})
        tenant._xero_read_lock_dates(org)
        try:
            tenant._xero_read_currencies(organisation=org)
        except XeroError as exc:
            tenant.last_error = str(exc)
        return self._toast(self.env._("Connected to Xero"), self.env._("%s answers.", self.name), "success")

    def _xero_read_lock_dates(self, org=None):
        """Keep Xero's lock dates (from ``org``, a GET /Organisation answer's organisation, or
        asked now). Called on connect, import and each poll; raises XeroError when asked.
        -> the organisation read (for the currencies, read with it on import)."""
        self.ensure_one()
        if org is None:
            data, _headers = self._call("GET", "Organisation", operation="organisation (lock dates)")
            org = ((data or {}).get("Organisations") or [{}])[0]
        values = {"xero_period_lock_date": xero_date(org.get("PeriodLockDate")) or False,
                  "xero_end_of_year_lock_date": xero_date(org.get("EndOfYearLockDate")) or False,
                  "xero_short_code": org.get("ShortCode") or self.xero_short_code or False}
        tenant = self.sudo()
        if any(tenant[field] != value for field, value in values.items()):
            tenant.write(values)
        return org

    def _xero_lock_date(self):
        """-> (the last day Xero refuses for this connection, "period" | "end_of_year") or (None, None)."""
        self.ensure_one()
        return presend.lock_date(self.xero_period_lock_date, self.xero_end_of_year_lock_date, self.xero_adviser)

    def _xero_document_status(self, entity, record):
        """The Status a document of ``entity`` (``record``) is created with in this organisation."""
        self.ensure_one()
        if entity == "purchase_order":
            return self.purchase_order_status or "AUTHORISED"
        if entity == "credit_note":
            return self.credit_note_status or self.document_status
        if record._name == "account.move" and record.move_type == "in_invoice":
            return self.bill_status or self.document_status
        return self.document_status

    def _xero_lost_access(self, reason):
        """Xero no longer serves these organisations (disconnected on Xero's side, or the
        authorisation refused): mark them "needs reconnect" and tell their managers once — an
        organisation already marked is not announced again at each call."""
        for tenant in self.sudo():
            was = tenant.state
            tenant.write({"state": "needs_reconnect", "last_error": reason})
            if was == "connected":
                tenant._notify_managers(self.env._(
                    "Xero no longer lets Odoo reach %(org)s (%(reason)s): it was disconnected in Xero, or its "
                    "access was removed. Nothing more is sent to it until a Xero manager reconnects it: "
                    "Settings → Xero → Reconnect on %(org)s.", org=tenant.name, reason=reason))

    def _with_user_companies(self):
        """These organisations with every company of the user allowed: Settings → Xero lists the
        organisations of all the companies a manager works in, not only the active ones (the
        record rules still decide which they are)."""
        return self.with_context(allowed_company_ids=self.env.user.company_ids.ids)

    def action_disconnect(self):
        """Remove this organisation's connection at Xero; the authorisation stays for the others.
        Pressed twice, the second press finds it disconnected and calls Xero no more."""
        check_caller(self._with_user_companies(), MANAGER, "write")
        for tenant in self.sudo():
            if tenant.state == "connected" and tenant.connection_id and tenant.remote_connection_id:
                try:
                    token = tenant.connection_id._get_access_token()
                    self._xero_client(tenant=tenant).delete_connection(token, tenant.remote_connection_id)
                except XeroAuthError:
                    # the authorisation is dead anyway: nothing to remove at Xero
                    _logger.info("Xero: %s's authorisation is no longer valid, nothing to disconnect", tenant.name)
                except XeroError as exc:
                    raise UserError(self.env._("Xero did not confirm the disconnection: %s", exc)) from exc
            tenant.write({"state": "disconnected", "last_error": False})
        return True

    def action_open_import(self):
        self.ensure_one()
        check_caller(self, MANAGER, "write")
        return {"type": "ir.actions.act_window", "res_model": "ledger.import.wizard", "view_mode": "form",
                "target": "new", "name": self.env._("Import from Xero"), "context": {"default_tenant_id": self.id}}

    def action_reconnect(self):
        check_caller(self._with_user_companies(), MANAGER, "write")
        return {"type": "ir.actions.act_url", "url": const.START_ROUTE, "target": "self"}

    def action_view_request_log(self):
        self.ensure_one()
        check_caller(self, USER, "read")
        action = self.env["ir.actions.act_window"]._for_xml_id("psa_xero_connector.action_ledger_request_log")
        action["domain"] = [("tenant_id", "=", self.id)]
        action["context"] = {"search_default_today": 0}
        return action

    @staticmethod
    def _toast(title, message, kind):
        return {"type": "ir.actions.client", "tag": "display_notification",
                "params": {"title": title, "message": message, "type": kind, "sticky": kind == "danger"}}

    def _notify_managers(self, message):
        """A chatter message that reaches the inbox of the Xero managers who work with the
        organisation: its company's (the manager who connected it while it has none), never
        another company's."""
        managers = self.env.ref("psa_ledger.group_ledger_manager").sudo().users
        for tenant in self.sudo():
            partners = tenant._xero_audience(managers).partner_id
            tenant.message_post(body=message, partner_ids=partners.ids, message_type="notification",
                                subtype_xmlid="mail.mt_comment")

    def _xero_audience(self, users):
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
        """Xero's app-wide limit (10,000 calls a minute over every organisation) is reached:
        no organisation is served until ``until`` — by any worker of any Odoo host on this
        database. Kept in an ir.config_parameter row (read by the queues' SQL, never through
        get_param's per-process cache), written at once in a short READ COMMITTED transaction
        of its own like ``_rest``; the queues are woken then."""
        value = fields.Datetime.to_string(until)
        with self.env.registry.cursor() as cr:
            if isinstance(cr, sql_db.Cursor):  # not the shared cursor of a test in test mode
                cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            # the format sorts as text: GREATEST keeps the later of two workers' rests
            cr.execute("""INSERT INTO ir_config_parameter (key, value, create_uid, write_uid, create_date, write_date)
                          VALUES (%s, %s, %s, %s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
                          ON CONFLICT (key) DO UPDATE SET value = GREATEST(ir_config_parameter.value, EXCLUDED.value),
                                                          write_date = EXCLUDED.write_date""",
                       [const.APP_REST_PARAM, value, self.env.uid, self.env.uid])
        for queue in ("ledger.outbox", "ledger.event"):
            self.env[queue].sudo()._queue_trigger(at=until)

    @api.model
    def _app_rest_until(self):
        """-> when Xero's app-wide minute allows calls again (a datetime), or None if it does now."""
        self.env["ir.config_parameter"].flush_model(["key", "value"])
        self.env.cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s AND value > %s",
                            [const.APP_REST_PARAM, fields.Datetime.to_string(fields.Datetime.now())])
        row = self.env.cr.fetchone()
        return fields.Datetime.to_datetime(row[0]) if row else None

    # --- connect flow (called by the OAuth controller) ---------------------------------------------
    @api.model
    def _register_connections(self, connection, xero_connections, company=None, refused=None):
        """Create or update one tenant per organisation Xero listed. -> tenants. A known one the
        consenting user may not take (see ``_xero_consent_refusal``) keeps its authorisation and
        state, and goes into ``refused`` (a dict: tenant -> why) when given."""
        tenants = self.browse()
        refused = {} if refused is None else refused
        for conn in xero_connections:
            if conn.get("tenantType", "ORGANISATION") != "ORGANISATION":
                continue
            vals = {"name": conn.get("tenantName") or conn["tenantId"], "connection_id": connection.id,
                    "remote_connection_id": conn.get("id"), "state": "connected", "last_error": False}
            tenant = self.with_context(active_test=False).search([("remote_id", "=", conn["tenantId"])])
            if tenant:
                why = tenant._xero_consent_refusal(connection.user_id)
                if why:
                    refused[tenant] = why
                    continue
                tenant.write(vals)
            else:
                tenant = self.create(dict(vals, remote_id=conn["tenantId"]))
            tenants |= tenant
        # One new organisation and a company without one: the obvious assignment.
        if company and len(tenants) == 1 and not tenants.company_id and not company.ledger_tenant_id:
            tenants.company_id = company
        # What waited for these organisations to be reconnected is due now.
        self.env["ledger.outbox"].sudo()._wake_tenants(tenants)
        return tenants

    def _xero_consent_refusal(self, user):
        """Why ``user``'s consent at Xero must not take this known organisation over (None
        when it may): Xero lists every organisation the person can reach there, which says
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

    # --- currencies ----------------------------------------------------------------------------------
    def _xero_read_currencies(self, organisation=None):
        """Read the base currency (unless ``organisation`` was just read) and the currencies the
        organisation has in Xero. -> the set of codes. Raises XeroError."""
        self.ensure_one()
        tenant = self.sudo()
        if organisation is None:
            data, _headers = tenant._call("GET", "Organisation", operation="organisation")
            organisation = (data or {}).get("Organisations", [{}])[0]
        data, _headers = tenant._call("GET", "Currencies", operation="read currencies",
                                      context={"entity": "Currencies"})
        codes = {c.get("Code") for c in (data or {}).get("Currencies") or () if c.get("Code")}
        base = organisation.get("BaseCurrency") or tenant.base_currency
        codes |= {base} - {None, False}
        values = {"base_currency": base, "remote_currencies": ",".join(sorted(codes))}
        if any(tenant[field] != value for field, value in values.items()):
            tenant.write(values)  # only on a change: workers write the organisation's row rarely
        return codes

    def _xero_currency_codes(self):
        return set(filter(None, (self.sudo().remote_currencies or "").split(",")))

    def _xero_has_currency(self, code):
        """Whether the organisation has ``code`` in Xero: from what was last read, else read
        again — someone may just have added it in Xero — at most once per outbox build (its
        ``ledger_link_cache``), so a batch of documents in a missing currency costs one call.
        Raises XeroError."""
        self.ensure_one()
        if code in self._xero_currency_codes():
            return True
        cache = self.env.context.get("ledger_link_cache")
        if cache is not None:
            if ("currencies read", self.id) in cache:
                return False
            cache[("currencies read", self.id)] = True
        return code in self._xero_read_currencies()

    def _xero_add_currency(self, code):
        """Add ``code`` to the organisation in Xero (PUT Currencies; adding one already there is
        harmless, and the key makes a resent request a replay). Raises XeroError."""
        self.ensure_one()
        tenant = self.sudo()
        tenant._call("PUT", "Currencies", body={"Code": code}, operation="add currency",
                     idempotency_key="currency-%s-%s" % (tenant.remote_id, code), context={"entity": "Currencies"})
        tenant.write({"remote_currencies": ",".join(sorted(self._xero_currency_codes() | {code}))})
        _logger.info("Xero: added currency %s to %s", code, tenant.name)
