"""The one queue mechanism behind the outbox (Odoo → ledger) and the webhook events (ledger → Odoo).

Both are rows of work per organisation, drained by a cron worker that Odoo wakes right
after the transaction that queued them commits (``ir.cron._trigger``). What they share:

- **Claims** with ``FOR UPDATE SKIP LOCKED``: several workers (``--workers N``, several Odoo
  hosts on one database) never take the same row.
- **Turns**: organisations are served in turn, one unit of work each, so a large backlog of
  one never starves the others. Whose turn it is comes from one pointer per queue shared by
  every worker and host (a PostgreSQL sequence holding the organisation served last: no lock,
  no transaction to conflict on), so a run cut short by its time or unit budget, or two
  workers side by side, carry on the same rotation instead of starting again from the first
  organisation. An organisation that is not connected is not served at all (its rows wait,
  untouched, until it is reconnected).
- **Locks** that cannot leak: transaction-scoped advisory locks, released by the commit or
  the rollback that ends each unit, whatever happened (a session lock released in
  ``finally`` fails when the transaction has failed, and stays held on the pooled connection).
- **Isolation**: each unit runs in a savepoint; an exception nobody expected fails the rows
  of that unit (their attempts count, the reason is on screen) and the run goes on: one
  poison row never stops the queue, nor gets the cron deactivated by Odoo.
- **Back-off** with jitter, then a visible error after the model's last attempt.
- **Rate limits**: an organisation rests (``rest_until``) when its ledger says so; a limit
  wider than one organisation (an application's quota over every organisation of a ledger) is
  the ledger's own, behind two hooks: ``_ledger_served_sql`` (the rows of the organisations it
  pauses are not due) and ``_ledger_paused_tenants`` (checked before each turn). Rows that met
  a limit wait without spending an attempt.
"""

import logging
import random
import time
from contextlib import contextmanager
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# The organisations a worker serves: connected, active, and not resting on their own limit
# (each ledger may add its wider ones: ``_ledger_served_sql``). Parameter: now.
SERVED = "t.state = 'connected' AND t.active AND (t.rest_until IS NULL OR t.rest_until <= %s)"


class LedgerQueue(models.AbstractModel):
    _name = "ledger.queue"
    _description = "Ledger work queue (claims, turns, locks, back-off)"

    # Set by each queue.
    _queue_crons = ()           # xml ids of the worker crons (each runs in one cron thread at a time)
    _queue_due_states = ()      # states of the rows the worker takes once next_try has come
    _queue_max_attempts = 8
    _queue_backoff_base = 1     # seconds; the n-th retry waits base * 2**n (at most an hour), ± 50 %

    tenant_id = fields.Many2one("ledger.tenant", string="Organisation", ondelete="cascade", index=True)
    attempts = fields.Integer(default=0, readonly=True)
    next_try = fields.Datetime(default=fields.Datetime.now, index=True, readonly=True)

    # --- waking the worker ------------------------------------------------------------------------
    def _queue_trigger(self, at=None, every_cron=False):
        """Wake the worker once this transaction commits (Odoo's cron trigger: a row in the
        same transaction, a NOTIFY after commit). Once per transaction and model.
        ``every_cron``: this queue's other crons too (``_queue_fan_out``)."""
        key = "ledger_queue_trigger:%s:%s:%s" % (self._name, at or "", every_cron)
        if not self.env.cr.precommit.data.get(key):
            self.env.cr.precommit.data[key] = True
            self.env.ref(self._queue_crons[0]).sudo()._trigger(at=at)
            if every_cron:
                self._queue_fan_out()

    def _queue_fan_out(self):
        """More than one organisation has work: wake this queue's other crons too, so that
        every cron thread (of every host) can take a share — one cron job never runs twice at
        once in Odoo. A single save wakes one cron only (the cost of posting stays one row)."""
        current = self.env.context.get("cron_id")
        for xml_id in self._queue_crons[1:]:
            cron = self.env.ref(xml_id, raise_if_not_found=False)
            if cron and cron.active and cron.id != current:
                cron.sudo()._trigger()

    # --- the worker -------------------------------------------------------------------------------------
    def _queue_due_where(self):
        """SQL condition (on ``q``, this queue's table) and parameters of the rows due now."""
        return "q.state IN %s AND q.next_try <= %s", [tuple(self._queue_due_states), fields.Datetime.now()]

    def _queue_select_due(self, select):
        """Run ``SELECT <select>`` over this queue's rows (``q``) due now, of organisations
        served now (``t``). -> rows fetched"""
        self.flush_model()
        self.env["ledger.tenant"].flush_model(["state", "active", "rest_until"])
        self.env["ir.config_parameter"].flush_model(["key", "value"])
        where, params = self._queue_due_where()
        now = fields.Datetime.now()
        served, served_params = self._ledger_served_sql(now)
        self.env.cr.execute("""SELECT %s FROM %s q JOIN ledger_tenant t ON t.id = q.tenant_id
                                WHERE %s AND %s AND %s""" % (select, self._table, where, SERVED, served),
                            params + [now] + served_params)
        return self.env.cr.fetchall()

    def _ledger_served_sql(self, now):
        """Hook: a further SQL condition on ``t`` (ledger_tenant) that the organisations served now
        meet, and its parameters — a ledger whose limit spans all its organisations (an app-wide
        quota) adds it here, for its own organisations only (``t.code``). -> (sql, params)"""
        return "TRUE", []

    def _ledger_paused_tenants(self, tenants):
        """Hook: those of ``tenants`` that no worker serves now (a limit wider than one
        organisation, reached during this run). -> ledger.tenant"""
        return tenants.browse()

    def _ledger_rests_tenant(self, tenant, exc):
        """Hook: does the rate limit ``exc`` (LedgerRateLimited) make ``tenant`` rest? False when
        its scope is wider than the organisation (the ledger has paused all of them itself)."""
        return True

    def _queue_due_tenants(self):
        """Connected organisations that have work due. -> ledger.tenant"""
        return self.env["ledger.tenant"].browse(sorted(r[0] for r in self._queue_select_due("DISTINCT q.tenant_id")))

    def _queue_work(self, tenant, commit, run):
        """Do one unit of work for ``tenant`` (holding its lock). -> units done; 0 when there
        was nothing to do, or the organisation's lock is taken. ``run``: this run's state
        (``run["resting"]``: organisations not to serve again in this run)."""
        raise NotImplementedError

    def _queue_remaining(self):
        """Rows still due (the cron's progress report: Odoo runs the job again while > 0)."""
        return self._queue_select_due("count(*)")[0][0]

    def init(self):
        if not self._abstract:
            self._queue_create_pointer()

    def _queue_create_pointer(self):
        # owned by the table: dropped with it when the addon is uninstalled
        self.env.cr.execute(SQL("CREATE SEQUENCE IF NOT EXISTS %s OWNED BY %s",
                                SQL.identifier("%s_turn_seq" % self._table), SQL.identifier(self._table, "id")))

    def _queue_next_tenant(self, tenants):
        """Whose turn it is among ``tenants`` (sorted by id): the first after the organisation
        this queue served last, by whichever worker. Two workers reading the pointer at the same
        instant may serve one organisation together (other rows, other slots): the rotation
        goes on, and no one waits for a lock to learn whose turn it is."""
        seq = "%s_turn_seq" % self._table
        self.env.cr.execute("SELECT to_regclass(%s)", [seq])
        if not self.env.cr.fetchone()[0]:
            # a database not upgraded since the pointer came: make it now rather than fail every run
            self._queue_create_pointer()
        self.env.cr.execute(SQL("SELECT last_value, is_called FROM %s", SQL.identifier(seq)))
        last, called = self.env.cr.fetchone()
        last = last if called else 0
        tenant = next((t for t in tenants if t.id > last), tenants[0])
        self.env.cr.execute("SELECT setval(%s, %s)", [seq, tenant.id])  # not transactional: seen at once
        return tenant

    @api.model
    def _queue_run(self, commit=True, max_seconds=25, max_units=None):
        """Serve the organisations in turn until nothing is due, the time is up, or
        ``max_units`` units were done. Commits after each unit (``commit=False``: inside a
        caller's transaction, e.g. a test). -> units done."""
        deadline = time.monotonic() + max_seconds
        done = 0
        run = {"resting": set()}
        self._queue_sweep()
        tenants = self._queue_due_tenants()
        if commit and len(tenants) > 1:
            self._queue_fan_out()
        while tenants and time.monotonic() < deadline and (max_units is None or done < max_units):
            busy = False
            for _turn in range(len(tenants)):
                servable = tenants - self._ledger_paused_tenants(tenants)
                if not servable:
                    break  # a limit wider than one organisation: nobody is served (woken when it ends)
                units = self._queue_work(self._queue_next_tenant(servable), commit, run)
                if commit:
                    # the unit's outcome is kept, its locks released
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                if units:
                    busy = True
                    done += units
                if max_units is not None and done >= max_units:
                    break
            if not busy:
                break  # the rest is locked by other workers, or waits
            tenants = self._queue_due_tenants()
        if commit:
            self._queue_hand_over(done)
        return done

    def _queue_hand_over(self, done):
        """End this cron run; if work is left and this run made progress, wake the job again.
        Not Odoo's progress API's "remaining": with it Odoo runs the job again up to 10 times in
        the same turn of the cron worker, and its watchdog (``limit_time_real``, 120 s by default)
        kills a worker whose turn as a whole outlasts it — the unit in flight is rolled back, and
        nothing runs until the next wake-up. A trigger starts a new turn (a new watchdog
        period) at once. No progress (the rest is claimed by another worker, or waits): no
        trigger, so two workers never spin on each other's rows."""
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)
        if done and self._queue_remaining():
            cron = self.env["ir.cron"].browse(self.env.context.get("cron_id"))
            (cron.exists() or self.env.ref(self._queue_crons[0])).sudo()._trigger()

    def _queue_sweep(self):
        """Before a run: put right what a race between workers may have left (each queue its own)."""

    @contextmanager
    def _queue_guard(self, rows, what):
        """Run one unit in a savepoint; an unexpected exception fails ``rows`` (not the run)."""
        try:
            with self.env.cr.savepoint():
                yield
        except Exception as exc:  # noqa: BLE001 - one poison unit must not stop the queue
            _logger.exception("Ledger %s failed unexpectedly", what)
            self.env.invalidate_all()
            rows._queue_postpone_safely("%s: %s" % (type(exc).__name__, exc))

    def _queue_postpone_safely(self, reason):
        """Postpone these rows even when postponing them fails too (a notification that cannot
        be written, …): then at least their attempt counts and they wait an hour."""
        try:
            with self.env.cr.savepoint():
                self.exists()._queue_postpone(reason)
        except Exception:  # noqa: BLE001 - the last resort must not raise
            _logger.exception("Ledger: could not postpone %s rows %s", self._name, self.ids)
            self.env.invalidate_all()
            self.env.cr.execute("UPDATE %s SET attempts = attempts + 1, next_try = %%s WHERE id IN %%s" % self._table,
                                [fields.Datetime.now() + timedelta(hours=1), tuple(self.ids) or (0,)])

    # --- back-off -----------------------------------------------------------------------------------------
    def _queue_delay(self, attempts, retry_after=None):
        if retry_after is not None:
            return timedelta(seconds=retry_after)
        seconds = min(3600, self._queue_backoff_base * 2 ** attempts) * (0.5 + random.random())
        return timedelta(seconds=seconds)

    def _queue_postpone(self, reason, retry_after=None, count=True):
        """Try these rows again later; after the last attempt they fail with ``reason``.
        ``count=False``: the wait is not the rows' fault (a rate limit): no attempt spent."""
        for row in self:
            attempts = row.attempts + (1 if count else 0)
            if count and attempts >= self._queue_max_attempts:
                row._queue_give_up(self.env._("Gave up after %(n)d attempts: %(error)s", n=attempts, error=reason))
                continue
            row.write(dict(row._queue_retry_values(reason), attempts=attempts,
                           next_try=fields.Datetime.now() + self._queue_delay(attempts, retry_after)))

    def _queue_rate_limited(self, tenant, exc):
        """The ledger said "too many calls": the organisation rests for Retry-After (every worker,
        both queues) — or, on a limit wider than it, the ledger has paused every organisation
        itself — and these rows wait without spending an attempt: the limit is not their fault."""
        if tenant and self._ledger_rests_tenant(tenant, exc):
            tenant._rest(fields.Datetime.now() + timedelta(seconds=exc.retry_after))
        self._queue_postpone(str(exc), retry_after=exc.retry_after, count=False)

    def _queue_retry_values(self, reason):
        """Fields a row waiting for its next try gets (each queue names its own)."""
        raise NotImplementedError

    def _queue_give_up(self, reason):
        raise NotImplementedError
