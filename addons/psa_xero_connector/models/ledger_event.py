"""Webhook events from Xero: stored the moment a signed delivery arrives, deduplicated, and
processed after the answer by a cron worker.

Xero waits 5 seconds for the 200, retries what fails for 24 hours, and promises neither order
nor uniqueness. So the controller only checks the signature, stores the events (a unique
index drops repeats) and triggers the worker; the worker fetches the documents' *current*
state from Xero, several per call, and brings Odoo in line (see ``xero.inbound``). Events
that cannot be processed yet wait and retry; none is dropped without a line saying why.
"""

import logging
import time

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from odoo.addons.psa_ledger.access import MANAGER, check_caller
from odoo.addons.psa_ledger.utils import referenced_record

from ..xero import webhook
from ..xero.errors import XeroError, XeroRateLimited

_logger = logging.getLogger(__name__)

# One unit of work is applied in one transaction (its payments in one batch), and Odoo kills a
# cron worker whose turn outlasts limit_time_real (120 s by default), rolling the unit back. A
# payment costs ~30 ms of Odoo's posting on a quiet machine and ten times that when the cron
# worker (niced by Odoo) competes for the CPU: measured 73 s for a claim of 100, then every
# following claim killed. So a claim is sized by time: as many events as took UNIT_SECONDS at
# this process's last pace, between CLAIM_MIN and CLAIM_SIZE; a process starts (again, after a
# kill) at CLAIM_START.
CLAIM_SIZE = 100
CLAIM_MIN = 5
CLAIM_START = 20
UNIT_SECONDS = 15.0
_PACE = {}  # database name -> seconds per event of the last unit this process applied
SETTLE_QUIET = 0.2  # seconds without a new event before the worker fetches
SETTLE_MAX = 2.0
MAX_ATTEMPTS = 10
DOCUMENT_KIND = {"INVOICE": "invoice", "CREDITNOTE": "credit_note"}
EVENT_CATEGORY = {kind: category for category, kind in DOCUMENT_KIND.items()}  # the other way round


class XeroEvent(models.Model):
    _name = "ledger.event"
    _inherit = ["ledger.queue"]
    # two workers: one organisation's events are applied by both at once, document by document
    _queue_crons = ("psa_xero_connector.ir_cron_xero_events", "psa_xero_connector.ir_cron_xero_events_2")
    _queue_due_states = ("pending",)
    _queue_max_attempts = MAX_ATTEMPTS
    _queue_backoff_base = 5
    _description = "Xero webhook event"
    _order = "id desc"
    _rec_name = "resource_id"
    # Deliveries insert up to 100 rows while Xero waits: no create/write uid columns (two
    # foreign-key checks per row), few indexes (see init), the company read through the tenant.
    _log_access = False

    received_at = fields.Datetime(string="Received", default=fields.Datetime.now, readonly=True)
    tenant_id = fields.Many2one("ledger.tenant", string="Organisation", ondelete="cascade")
    company_id = fields.Many2one(related="tenant_id.company_id", string="Company")
    remote_tenant_id = fields.Char(string="Xero tenant ID", required=True)
    category = fields.Selection([("INVOICE", "Invoice / bill"), ("CREDITNOTE", "Credit note"),
                                 ("CONTACT", "Contact"), ("SUBSCRIPTION", "Subscription")], required=True)
    event_type = fields.Char(string="Event", required=True)
    resource_id = fields.Char(string="Xero ID", required=True)
    event_date = fields.Char(string="Event date (UTC)", required=True,
                             help="As Xero sent it; with the tenant, category, type and ID it identifies the event")
    # A plain id, no foreign key (one check per inserted row): the log is purged after its
    # retention period and the link then simply shows nothing.
    delivery_log_ref = fields.Integer(string="Delivery log ID", readonly=True)
    log_id = fields.Many2one("ledger.request.log", string="Delivery", compute="_compute_log_id",
                             help="The webhook delivery that brought this event")
    state = fields.Selection([("pending", "Pending"), ("done", "Processed"), ("ignored", "Ignored"),
                              ("error", "Error")], default="pending", required=True)
    attempts = fields.Integer(default=0)
    next_try = fields.Datetime(default=fields.Datetime.now)
    processed_at = fields.Datetime(readonly=True)
    message = fields.Text(help="What processing the event changed in Odoo, or why it did not")
    res_model = fields.Char(string="Odoo model")
    res_id = fields.Many2oneReference(string="Odoo record", model_field="res_model")
    record_name = fields.Char(string="Record", compute="_compute_record_name")

    def init(self):
        res = super().init()  # the queue's turn pointer
        # The same event delivered again (Xero retries, replays) is not stored twice; the
        # worker finds due events of a tenant, and a document's events, through these two.
        self.env.cr.execute("""
            DROP INDEX IF EXISTS ledger_event_unique;
            CREATE UNIQUE INDEX IF NOT EXISTS ledger_event_identity
                ON ledger_event (resource_id, event_date, event_type, category, remote_tenant_id);
            CREATE INDEX IF NOT EXISTS ledger_event_due ON ledger_event (tenant_id, state, next_try)""")
        return res

    @api.depends("delivery_log_ref")
    def _compute_log_id(self):
        logs = self.env["ledger.request.log"].browse(set(self.mapped("delivery_log_ref")) - {0}).exists()
        for event in self:
            event.log_id = logs.browse(event.delivery_log_ref) & logs

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for event in self:
            record = referenced_record(self.env, event.res_model, event.res_id)
            event.record_name = record.display_name if record else False

    # --- receiving (the webhook controller, before the 200) --------------------------------------
    @api.model
    def _receive(self, raw, signature_header, request_headers=None, source=None, problem=None):
        """Check, store, log one delivery. -> HTTP status for Xero (200, 400, 401 or 413).
        Runs as superuser in the controller's request; nothing here calls Xero.

        ``problem`` is what the controller found while reading the body: "too_large" (refused
        unread) or "truncated". Refused deliveries, and replays that bring no new event, are
        counted in one log row per source, kind and minute (``_log_delivery(aggregate=…)``):
        a flood of them adds a bounded number of rows, the 2 kB of the first one kept."""
        log = self.env["ledger.request.log"].sudo()
        entry = {"raw": raw or b"", "headers": request_headers, "source": source}
        if problem == "too_large" or len(raw or b"") > webhook.MAX_BODY:
            log._log_delivery(dict(entry, raw=(raw or b"")[:2048]), 413, aggregate="too_large",
                              error=self.env._("The body is too large to be a Xero delivery (refused unread)."))
            return 413
        if problem:
            log._log_delivery(entry, 400, aggregate="truncated",
                              error=self.env._("The body ended before its announced length."))
            return 400
        key = self.env["ir.config_parameter"].sudo().get_param("psa_xero_connector.webhook_key") or ""
        if not webhook.signature_ok(key, raw, signature_header):
            kind, error = (
                ("no_key", self.env._("No webhook key is set in Settings → Xero: deliveries cannot be verified."))
                if not key
                else ("unsigned", self.env._("Unsigned delivery (no x-xero-signature header).")) if not signature_header
                else ("bad_signature", self.env._("Signature mismatch: not signed with this app's webhook key.")))
            log._log_delivery(entry, 401, error=error, aggregate=kind)
            return 401
        try:
            events, rejected = webhook.parse_delivery(raw)
        except webhook.DeliveryError as exc:
            log._log_delivery(entry, 400, error=str(exc), aggregate="malformed")
            return 400
        if not events and not rejected:
            log._log_delivery(entry, 200, outcome=self.env._("Intent to receive: signature verified."),
                              aggregate="intent")
            return 200
        tenants = self._tenants_by_xero_id({e["tenant_id"] for e in events})
        stored = self._store(events, tenants)
        outcome = self._outcome(events, stored, rejected)
        if not stored:
            # Xero's retry of a delivery it did not see acknowledged, or a replay: nothing new, yet
            # 200 (anything else and Xero retries for 24 h, then disables the webhook); counted
            log._log_delivery(entry, 200, error="\n".join(rejected) or None, outcome=outcome,
                              aggregate="no_new_event")
            return 200
        concerned = {tenants[e["tenant_id"]] for e in events if e["tenant_id"] in tenants}
        tenant_id, company_id = concerned.pop() if len(concerned) == 1 else (None, None)
        entry_log = log._log_delivery(entry, 200, error="\n".join(rejected) or None, outcome=outcome,
                                      tenant_id=tenant_id, company_id=company_id)
        if stored:
            self.env.cr.execute("UPDATE ledger_event SET delivery_log_ref = %s WHERE id = ANY(%s)",
                                [entry_log.id, [event_id for event_id, _state in stored]])
        if any(state == "pending" for _id, state in stored):
            self._trigger_worker()
        return 200

    def _tenants_by_xero_id(self, xero_ids):
        """{xero tenant id: (tenant id, company id)}, archived organisations included."""
        self.env.cr.execute("""SELECT lower(remote_id), id, company_id FROM ledger_tenant
                                WHERE lower(remote_id) = ANY(%s)""", [list(xero_ids)])
        return {xid: (tid, cid) for xid, tid, cid in self.env.cr.fetchall()}

    @api.model
    def _store(self, events, tenants):
        """Insert the events, skipping those already stored (one statement: a delivery is
        acknowledged within milliseconds). -> [(id, state)] of the new ones; the caller links
        them to the delivery's log entry (a replay bringing nothing new gets none of its own)."""
        if not events:
            return []
        now = fields.Datetime.now()
        rows = []
        for event in events:
            tenant_id, company_id = tenants.get(event["tenant_id"], (None, None))
            state, message = "pending", None
            if not company_id:
                state, message = "ignored", self.env._("No Odoo company syncs with this Xero organisation.")
            elif event["category"] == "CONTACT":
                state, message = "done", self.env._(
                    "Contact changed in Xero: logged only; Odoo stays the source of truth.")
            elif event["category"] == "SUBSCRIPTION":
                state, message = "ignored", self.env._("Subscription events concern the Xero app, not Odoo's data.")
            rows.append((tenant_id, event["tenant_id"], event["category"], event["event_type"], event["resource_id"],
                         event["event_date"], state, message))
        columns = list(zip(*rows, strict=True))
        # one statement, one array per column (cheaper to build and plan than 100 VALUES tuples)
        self.env.cr.execute("""
            INSERT INTO ledger_event (tenant_id, remote_tenant_id, category, event_type, resource_id, event_date,
                                    state, message, next_try, received_at, attempts)
            SELECT e.*, %s, %s, 0
              FROM unnest(%s::int4[], %s::varchar[], %s::varchar[], %s::varchar[], %s::varchar[], %s::varchar[],
                          %s::varchar[], %s::text[]) AS e
            ON CONFLICT DO NOTHING RETURNING id, state""", [now, now] + [list(c) for c in columns])
        return self.env.cr.fetchall()

    def _outcome(self, events, stored, rejected):
        """The delivery's line in the request log."""
        if not events:
            return self.env._("No usable event; %d malformed event(s) ignored.", len(rejected))
        states = [state for _id, state in stored]
        parts = [self.env._("%(n)d event(s) received, %(new)d new", n=len(events), new=len(stored))]
        if len(events) - len(stored):
            parts.append(self.env._("%d already received (ignored)", len(events) - len(stored)))
        if states.count("ignored"):
            parts.append(self.env._("%d for no connected company (ignored)", states.count("ignored")))
        outcome = "; ".join(parts) + "."
        if rejected:
            outcome += " " + self.env._("%d malformed event(s) ignored.", len(rejected))
        return outcome

    def _trigger_worker(self):
        """Wake both workers once this transaction has committed (Odoo's cron trigger)."""
        self._queue_trigger(every_cron=True)

    # --- the worker (after the 200) ----------------------------------------------------------------
    @api.model
    def _cron_process(self, commit=True, max_seconds=25):
        """Process due events, organisations in turn, until none is due — events that arrive
        meanwhile are taken in the same run; no new unit after ``max_seconds``: a cron worker's
        turn (every job due, ours and Odoo's) must end within ``limit_time_real``, 120 s by
        default; the job is woken again at once if work is left (``_queue_hand_over``).
        -> events processed."""
        return self._queue_run(commit=commit, max_seconds=max_seconds)

    def _queue_work(self, tenant, commit, run):
        if commit:
            self._settle(tenant)
        events = self._claim_documents(tenant, self._claim_size(), commit)
        if events:
            started = time.monotonic()
            with self._queue_guard(events, "processing webhook events of %s" % tenant.name):
                events._process(tenant)
            self._note_pace(len(events), time.monotonic() - started)
        return len(events)

    def _claim_documents(self, tenant, size, commit, tries=3):
        """Claim due events and lock their documents; events of a document another event worker
        applies right now wait (their rows stay locked by this transaction until it ends, so
        that worker skips them too). This transaction's view of the database (REPEATABLE READ)
        was taken at its first statement: a worker that committed since — events done, a
        document paid — is not in it. PostgreSQL refuses to lock a row changed since (a
        serialization failure), so the claim and ``xero.inbound._check_fresh`` prove the view
        current for these events and documents; otherwise — or on a deadlock with a writer —
        this transaction ends (under the cron) and the claim is made again on a fresh view.
        -> the events claimed, their documents this worker's."""
        Inbound = self.env["xero.inbound"]
        for attempt in range(1, tries + 1):
            if not Inbound._try_tenant_lock(tenant, shared=True):
                return self.browse()  # a manual check or the poll serves this organisation right now
            try:
                with self.env.cr.savepoint(flush=False):
                    events = self._claim(tenant, size)
                    if events:
                        mine = Inbound._try_document_locks(events.mapped("resource_id"))
                        events = events.filtered(lambda event, mine=mine: event.resource_id in mine)
                        Inbound._check_fresh(tenant, events.mapped("resource_id"))
                    return events
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as exc:
                self.env.invalidate_all()
                if not commit:
                    raise
                _logger.info("Xero events of %s: claim %d of %d met another transaction's change (%s)",
                             tenant.name, attempt, tries, type(exc).__name__)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return self.browse()  # nothing claimed this time: the other worker goes on; this run ends

    @api.model
    def _note_pace(self, count, seconds):
        """Keep the pace of a unit of ``count`` documents applied (events, or the poll's)."""
        if count:
            _PACE[self.env.cr.dbname] = seconds / count

    def _claim_size(self):
        """Events in the next claim: what fits in UNIT_SECONDS at the last unit's pace."""
        pace = _PACE.get(self.env.cr.dbname)
        if pace is None:
            return CLAIM_START
        return max(CLAIM_MIN, min(CLAIM_SIZE, int(UNIT_SECONDS / max(pace, 1e-3))))

    def _settle(self, tenant):
        """While a burst is still arriving, wait a little: one fetch then covers the whole burst
        (and the worker leaves the CPU to the deliveries Xero is waiting on)."""
        deadline = time.monotonic() + SETTLE_MAX
        while time.monotonic() < deadline:
            self.env.cr.execute("SELECT max(received_at) FROM ledger_event WHERE tenant_id = %s AND state = 'pending'",
                                [tenant.id])
            newest = self.env.cr.fetchone()[0]
            if not newest or (fields.Datetime.now() - newest).total_seconds() >= SETTLE_QUIET:
                return
            # a fresh snapshot for the next look (REPEATABLE READ would keep showing the old one)
            self.env.cr.commit()  # pylint: disable=invalid-commit
            time.sleep(SETTLE_QUIET)

    @api.model
    def _claim(self, tenant, size=CLAIM_SIZE):
        self.flush_model()
        self.env.cr.execute("""
            SELECT id FROM ledger_event WHERE tenant_id = %s AND state = 'pending' AND next_try <= %s
             ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""", [tenant.id, fields.Datetime.now(), size])
        return self.browse([r[0] for r in self.env.cr.fetchall()])

    def _process(self, tenant):
        """One fetch per category for all the documents these events name (repeats and several
        events of one document collapse), then each event gets the outcome of its document."""
        Inbound = self.env["xero.inbound"]
        results = {}
        try:
            for category, kind in DOCUMENT_KIND.items():
                ids = sorted({e.resource_id for e in self if e.category == category})
                if ids:
                    results.update(Inbound._sync_documents(tenant, kind, ids))
        except XeroError as exc:
            self._postpone(exc)
            return
        now = fields.Datetime.now()
        for event in self:
            state, message, record = results.get(event.resource_id, (
                "ignored", self.env._("Xero sends nothing Odoo uses for this event."), None))
            if state == "retry":
                event._queue_postpone(message)  # counted: gives up, visibly, after the last attempt
                continue
            event.write({"state": state, "message": message, "processed_at": now, "attempts": event.attempts + 1,
                         "res_model": record._name if record else False, "res_id": record.id if record else False})

    def _postpone(self, exc):
        """Xero could not answer now: try again later, and give up (visibly) after the last attempt."""
        if isinstance(exc, XeroRateLimited):
            self._queue_rate_limited(self.tenant_id[:1], exc)
        else:
            self._queue_postpone(str(exc))

    def _queue_retry_values(self, reason):
        return {"message": reason}

    def _queue_give_up(self, reason):
        self.write({"state": "error", "message": reason})

    def action_retry(self):
        """Process these events again (managers, own companies' events only)."""
        events = check_caller(self, MANAGER, "read").sudo().filtered("tenant_id")
        events.write({"state": "pending", "attempts": 0, "next_try": fields.Datetime.now()})
        events._trigger_worker()
        return True
