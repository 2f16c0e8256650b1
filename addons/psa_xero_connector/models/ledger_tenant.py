"""Xero's side of an organisation (the core's ``ledger.tenant`` holds what every ledger shares).

Every call to Xero for a tenant goes through ``_call``: it gets a valid token from the
tenant's connection, sends through the one HTTP client, and logs the exchange. Xero's own
settings live here too: document statuses, lock dates, currencies, short code, History notes,
tracking options.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.psa_ledger.access import MANAGER, check_caller

from .. import const
from ..xero import presend
from ..xero.client import XeroClient, limits_remaining
from ..xero.errors import XeroAuthError, XeroError, XeroRateLimited
from ..xero.settlement import parse_date as xero_date
from .ledger_request_log import _entity_of

_logger = logging.getLogger(__name__)


# The statuses a document may be created in (Xero's Invoice / CreditNote / PurchaseOrder Status).
XERO_DOCUMENT_STATUSES = [("AUTHORISED", "Approved (AUTHORISED)"), ("SUBMITTED", "Awaiting approval (SUBMITTED)"),
                          ("DRAFT", "Draft")]


class LedgerTenant(models.Model):
    _inherit = "ledger.tenant"
    _description = "Xero organisation"
    _ledger_views_module = "psa_xero_connector"
    # the core's, and what Xero's organisation says
    _ledger_owned_fields = frozenset({"name", "remote_id", "remote_connection_id", "connection_id", "state", "code",
                                      "last_error", "base_currency", "country_code", "poll_since",
                                      "drift_snapshot", "drift_checked_at", "drift_full_at",
                                      "drift_calls", "drift_documents", "drift_error", "remote_currencies",
                                      "xero_period_lock_date", "xero_end_of_year_lock_date", "xero_short_code"})

    code = fields.Selection(selection_add=[("xero", "Xero")], ondelete={"xero": "cascade"})
    # the core's fields, labelled as Xero users know them
    remote_id = fields.Char(string="Xero tenant ID")
    remote_connection_id = fields.Char(string="Xero connection ID")
    # The currencies the organisation has in Xero (GET /Currencies: its base and those added).
    remote_currencies = fields.Char(string="Currencies in Xero",
                                    help="Read from Xero on import, on Test connection and when a document needs one.")
    notify_success = fields.Boolean(help="The user who saved gets a popup when their records reach Xero "
                                         "(one per batch: \"12 invoices synced to Xero\").")
    payment_journal_id = fields.Many2one(
        string="Journal for Xero payments",
        help="Payments recorded in Xero land in this journal unless their Xero bank account is mapped "
             "to another below. Empty: the company's first bank journal.")
    cancel_voided_invoices = fields.Boolean(
        string="Cancel documents voided in Xero",
        help="Off: a document voided in Xero is only flagged in Odoo. On: it is also cancelled in Odoo.")
    notify_payments = fields.Boolean(
        string="Notify payments from Xero",
        help="Tell the salesperson and followers when a document is paid in Xero.")
    rest_until = fields.Datetime(
        string="Xero calls resume at",
        help="Xero's per-minute budget is spent (or it answered 429): the outbox and the event worker "
             "leave this organisation alone until then.")
    catchall_invoice_item_id = fields.Many2one(help="Xero item for sales invoice lines whose product has no Xero item.")
    missing_currency_policy = fields.Selection(
        [("report", "Report an error"), ("enable", "Add it in Xero")], string="Currencies missing in Xero",
        default="report", required=True,
        help="A document in a currency this organisation has not added in Xero: report it as an error "
             "before sending (add the currency in Xero, then Retry), or add the currency in Xero "
             "(PUT Currencies) and send.")
    xero_short_code = fields.Char(string="Xero short code", readonly=True, copy=False,
                                  help="Organisation.ShortCode: links to Xero open in this organisation")
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
    # one call per document: Xero has no batch for notes, and they count against its 60 calls a minute
    history_notes = fields.Selection(
        [("none", "Off"), ("create", "When created from Odoo"), ("always", "Each time Odoo sends it")],
        string="History note in Xero", default="none", required=True,
        help="A note in the document's History in Xero: \"Sent from Odoo by <user>: INV/2026/00042\". "
             "Each note is one more call to Xero (no batch exists for notes).")
    bank_account_ids = fields.One2many("ledger.account", "tenant_id", string="Xero bank accounts",
                                       domain=[("account_type", "=", "BANK")])
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
        ("remote_id_unique", "unique(code, remote_id)", "This Xero organisation is already connected."),
        ("company_unique", "unique(company_id)", "A company can sync to one Xero organisation only."),
    ]

    def write(self, vals):
        result = super().write(vals)
        if {"xero_period_lock_date", "xero_end_of_year_lock_date", "xero_adviser", "lock_date_policy"} & set(vals):
            # the field's help promises it: documents held for a lock date are checked again at once
            self._recheck_held_documents()
        return result

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
            log_model._log_exchange(dict(entry, entity=_entity_of(entry.get("url"))), tenant=tenant, context=context)
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
                tenant._lost_access(str(exc))
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

    # --- the core's hooks ------------------------------------------------------------------------
    @api.model
    def _ledger_app_rest_key(self):
        # Xero is the only ledger with an app-wide minute (10,000 calls over every organisation)
        return const.APP_REST_PARAM

    def _ledger_test_connection(self):
        if self.code != "xero":
            return super()._ledger_test_connection()
        tenant = self.sudo()
        data, _headers = tenant._call("GET", "Organisation", operation="organisation")
        org = (data or {}).get("Organisations", [{}])[0]
        tenant.write({"name": org.get("Name") or self.name, "base_currency": org.get("BaseCurrency"),
                      "country_code": org.get("CountryCode"), "xero_short_code": org.get("ShortCode") or False,
                      "last_error": False})
        tenant._xero_read_lock_dates(org)
        try:
            tenant._xero_read_currencies(organisation=org)
        except XeroError as exc:
            tenant.last_error = str(exc)

    def _ledger_disconnect(self, token):
        if self.code != "xero":
            return super()._ledger_disconnect(token)
        return self._xero_client(tenant=self).delete_connection(token, self.remote_connection_id)

    def _ledger_reconnect(self):
        if self[:1].code != "xero":
            return super()._ledger_reconnect()
        return {"type": "ir.actions.act_url", "url": const.START_ROUTE, "target": "self"}

    @api.model
    def _register_connections(self, connection, organisations, company=None, refused=None):
        """``organisations``: Xero's GET /connections answer (its organisations; practice
        managers' and others' tenant types are skipped)."""
        if connection.code == "xero":
            organisations = [{"remote_id": c["tenantId"], "name": c.get("tenantName"),
                              "remote_connection_id": c.get("id")}
                             for c in organisations if c.get("tenantType", "ORGANISATION") == "ORGANISATION"]
        return super()._register_connections(connection, organisations, company=company, refused=refused)

    # --- Xero's own settings ----------------------------------------------------------------------
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
