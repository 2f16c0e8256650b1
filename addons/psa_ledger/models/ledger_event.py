"""Events from a ledger: stored the moment a delivery arrives, deduplicated, and processed
after the answer by a cron worker.

A ledger that notifies changes (a webhook) waits a few seconds for its answer, retries what
fails, and promises neither order nor uniqueness. So the ledger's receiver only checks the
delivery, hands the events to ``_store`` (a unique index drops repeats) and triggers the
worker; the worker asks ``ledger.inbound`` to fetch the documents' *current* state from the
ledger, several per call, and to bring Odoo in line. Events that cannot be processed yet wait
and retry; none is dropped without a line saying why.

The path goes one way: receiver → ``_store`` → worker (``_queue_work``) → ``ledger.inbound``.
``ledger.inbound`` never calls back into the events (documents it must see again are returned
to its caller), and nothing is kept in process-wide variables: the pace a claim is sized by
belongs to one worker run (``run["pace"]``).
"""

import logging
import time

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..access import MANAGER, check_caller
from ..errors import LedgerError, LedgerRateLimited
from ..utils import referenced_record

_logger = logging.getLogger(__name__)

SETTLE_QUIET = 0.2  # seconds without a new event before the worker fetches
SETTLE_MAX = 2.0
MAX_ATTEMPTS = 10


class LedgerEvent(models.Model):
    _name = "ledger.event"
    _inherit = ["ledger.queue"]
    # tenant_id, attempts and next_try are the queue's (ledger.queue)
    _queue_crons = ("psa_ledger.ir_cron_ledger_events", "psa_ledger.ir_cron_ledger_events_2")
    _queue_due_states = ("pending",)
    _queue_max_attempts = MAX_ATTEMPTS
    _queue_backoff_base = 5
    _description = "Ledger event"
    _order = "id desc"
    _rec_name = "resource_id"
    # Deliveries insert up to 100 rows while the ledger waits: no create/write uid columns (two
    # foreign-key checks per row), few indexes (see init), the company read through the tenant.
    _log_access = False

    received_at = fields.Datetime(string="Received", default=fields.Datetime.now, readonly=True)
    company_id = fields.Many2one(related="tenant_id.company_id", string="Company")
    remote_tenant_id = fields.Char(string="Organisation ID in the ledger", required=True)
    # each ledger adds the kinds of events it sends (selection_add)
    category = fields.Selection([], required=True)
    event_type = fields.Char(string="Event", required=True)
    resource_id = fields.Char(string="ID in the ledger", required=True)
    event_date = fields.Char(string="Event date (UTC)", required=True,
                             help="As the ledger sent it; with the tenant, category, type and ID it identifies "
                                  "the event")
    # A plain id, no foreign key (one check per inserted row): the log is purged after its
    # retention period and the link then simply shows nothing.
    delivery_log_ref = fields.Integer(string="Delivery log ID", readonly=True)
    log_id = fields.Many2one("ledger.request.log", string="Delivery", compute="_compute_log_id",
                             help="The delivery that brought this event")
    state = fields.Selection([("pending", "Pending"), ("done", "Processed"), ("ignored", "Ignored"),
                              ("error", "Error")], default="pending", required=True)
    processed_at = fields.Datetime(readonly=True)
    message = fields.Text(help="What processing the event changed in Odoo, or why it did not")
    res_model = fields.Char(string="Odoo model")
    res_id = fields.Many2oneReference(string="Odoo record", model_field="res_model")
    record_name = fields.Char(string="Record", compute="_compute_record_name")

    def init(self):
        res = super().init()  # the queue's turn pointer
        # The same event delivered again (retries, replays) is not stored twice; the worker
        # finds due events of a tenant, and a document's events, through these two.
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

    # --- storing (a ledger's receiver, before its answer) ----------------------------------------
    def _tenants_by_remote_id(self, remote_ids):
        """{organisation id in the ledger (lower case): (tenant id, company id)}, archived
        organisations included."""
        self.env.cr.execute("""SELECT lower(remote_id), id, company_id FROM ledger_tenant
                                WHERE lower(remote_id) = ANY(%s)""", [list(remote_ids)])
        return {rid: (tid, cid) for rid, tid, cid in self.env.cr.fetchall()}

    @api.model
    def _store(self, events, tenants):
        """Insert the events, skipping those already stored (one statement: a delivery is
        acknowledged within milliseconds). ``events``: dicts of tenant_id (the organisation's
        id in the ledger), category, event_type, resource_id, event_date, and optionally the
        state and message the ledger's receiver already decided. -> [(id, state)] of the new
        ones; the caller links them to the delivery's log entry (a replay bringing nothing
        new gets none of its own)."""
        if not events:
            return []
        now = fields.Datetime.now()
        rows = []
        for event in events:
            tenant_id, company_id = tenants.get(event["tenant_id"], (None, None))
            state, message = event.get("state") or "pending", event.get("message")
            if not company_id and state == "pending":
                state, message = "ignored", self.env._("No Odoo company syncs with this organisation.")
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

    @api.model
    def _store_again(self, tenant, kind, remote_ids):
        """Documents of ``kind`` someone changed while a poll or a manual pull applied them:
        stored as events, as if the ledger had sent them — applied again on a fresh view by the
        worker, with the queue's attempts, back-off and visible give-up."""
        category = {k: c for c, k in self._ledger_document_kinds(tenant).items()}.get(kind)
        if not remote_ids or not category:
            return
        remote_tenant = tenant.remote_id.lower()
        now = fields.Datetime.now().strftime("%Y-%m-%dT%H:%M:%S.%f")
        stored = self._store([{"tenant_id": remote_tenant, "category": category, "event_type": "UPDATE",
                               "resource_id": remote_id, "event_date": now} for remote_id in remote_ids],
                             self._tenants_by_remote_id({remote_tenant}))
        if stored:
            self._trigger_worker()

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
        """Wake every worker once this transaction has committed (Odoo's cron trigger)."""
        self._queue_trigger(every_cron=True)

    # --- the worker (after the answer) -------------------------------------------------------------
    @api.model
    def _cron_process(self, commit=True, max_seconds=25):
        """Process due events, organisations in turn, until none is due — events that arrive
        meanwhile are taken in the same run; no new unit after ``max_seconds``: a cron worker's
        turn (every job due, ours and Odoo's) must end within ``limit_time_real``, 120 s by
        default; the job is woken again at once if work is left (``_queue_hand_over``).
        -> events processed."""
        return self._queue_run(commit=commit, max_seconds=max_seconds)

    def _queue_work(self, tenant, commit, run):
        """One unit: claim what fits in the unit time at this run's pace (``run["pace"]``,
        seconds per document of the last unit; a run starts with a small claim), apply it."""
        Inbound = self.env["ledger.inbound"]
        if commit:
            self._settle(tenant)
        events = self._claim_documents(tenant, Inbound._claim_size(run.get("pace")), commit)
        if events:
            started = time.monotonic()
            with self._queue_guard(events, "processing events of %s" % tenant.name):
                events._process(tenant)
            run["pace"] = Inbound._pace(len(events), time.monotonic() - started, run.get("pace"))
        return len(events)

    def _claim_documents(self, tenant, size, commit, tries=3):
        """Claim due events and lock their documents; events of a document another event worker
        applies right now wait (their rows stay locked by this transaction until it ends, so
        that worker skips them too). This transaction's view of the database (REPEATABLE READ)
        was taken at its first statement: a worker that committed since — events done, a
        document paid — is not in it. PostgreSQL refuses to lock a row changed since (a
        serialization failure), so the claim and ``ledger.inbound._check_fresh`` prove the view
        current for these events and documents; otherwise — or on a deadlock with a writer —
        this transaction ends (under the cron) and the claim is made again on a fresh view.
        -> the events claimed, their documents this worker's."""
        Inbound = self.env["ledger.inbound"]
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
                _logger.info("Events of %s: claim %d of %d met another transaction's change (%s)",
                             tenant.name, attempt, tries, type(exc).__name__)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return self.browse()  # nothing claimed this time: the other worker goes on; this run ends

    def _settle(self, tenant):
        """While a burst is still arriving, wait a little: one fetch then covers the whole burst
        (and the worker leaves the CPU to the deliveries the ledger is waiting on)."""
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
    def _claim(self, tenant, size):
        self.flush_model()
        self.env.cr.execute("""
            SELECT id FROM ledger_event WHERE tenant_id = %s AND state = 'pending' AND next_try <= %s
             ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""", [tenant.id, fields.Datetime.now(), size])
        return self.browse([r[0] for r in self.env.cr.fetchall()])

    def _ledger_document_kinds(self, tenant):
        """{event category: document kind ``ledger.inbound`` fetches} of ``tenant``'s ledger
        (each ledger overrides it, guarded by the tenant's code); other categories fetch nothing."""
        return {}

    def _process(self, tenant):
        """One fetch per kind of document for all the documents these events name (repeats and
        several events of one document collapse), then each event gets the outcome of its document."""
        Inbound = self.env["ledger.inbound"]
        results = {}
        try:
            for category, kind in self._ledger_document_kinds(tenant).items():
                ids = sorted({e.resource_id for e in self if e.category == category})
                if ids:
                    results.update(Inbound._sync_documents(tenant, kind, ids))
        except LedgerError as exc:
            self._postpone(exc)
            return
        now = fields.Datetime.now()
        for event in self:
            state, message, record = results.get(event.resource_id, (
                "ignored", self.env._("%s sends nothing Odoo uses for this event.", tenant._ledger_label()), None))
            if state == "retry":
                event._queue_postpone(message)  # counted: gives up, visibly, after the last attempt
                continue
            event.write({"state": state, "message": message, "processed_at": now, "attempts": event.attempts + 1,
                         "res_model": record._name if record else False, "res_id": record.id if record else False})

    def _postpone(self, exc):
        """The ledger could not answer now: try again later, and give up (visibly) after the last attempt."""
        if isinstance(exc, LedgerRateLimited):
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
