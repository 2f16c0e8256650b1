"""Every request to a ledger and every delivery from it, with secrets redacted.

Entries are written in the caller's transaction (code paths that can fail catch the error
and commit, so the exact message survives). Credentials are redacted where they are (headers,
the OAuth2 forms and token answers); API bodies are kept as sent, and a row says whether its
request body was stored whole.

Retry never trusts a logged body to describe a record: a row of a record's sync (a contact,
an item, a document: the outbox's "sync …" requests) re-queues **the record as it is now**
through the outbox — its request still in doubt is resent as fixed, with its idempotency key,
by the outbox; otherwise the record is built again from Odoo. Only a row no record stands
behind (a note, a look-up, a call made by hand) re-sends the logged request, with the same
method, path, body and idempotency key, and only if its body was stored whole. Which rows are
the ledger's API calls, and how one is sent again, is the ledger's (``_ledger_*`` hooks).
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..access import MANAGER, USER, check_caller
from ..const import LOG_RETENTION_DAYS, MAX_LOGGED_BODY, MAX_LOGGED_REFUSED
from ..errors import LedgerError
from ..utils import log_text, pretty, redact_headers, referenced_record, to_text


class LedgerRequestLog(models.Model):
    _name = "ledger.request.log"
    _description = "Ledger request log"
    _order = "id desc"
    _rec_name = "operation"
    _check_company_auto = True

    direction = fields.Selection([("outbound", "Odoo → ledger"), ("inbound", "Ledger → Odoo")], required=True,
                                 default="outbound", index=True)
    tenant_id = fields.Many2one("ledger.tenant", string="Organisation", index=True, ondelete="set null",
                                check_company=True)
    company_id = fields.Many2one("res.company", index=True)
    operation = fields.Char(required=True)
    entity = fields.Char(help="The ledger's collection or event category concerned")
    res_model = fields.Char(string="Odoo model", index=True)
    res_id = fields.Many2oneReference(string="Odoo record", model_field="res_model")
    record_name = fields.Char(compute="_compute_record_name")
    method = fields.Char()
    url = fields.Char(string="URL")
    request_headers = fields.Text()
    request_body = fields.Text()
    # NULL on rows logged before it existed: those are not re-sent as logged (not known whole)
    request_body_state = fields.Selection(
        [("whole", "Stored whole"), ("cut", "Cut (too long)"), ("redacted", "Secrets redacted")],
        string="Request body stored", readonly=True,
        help="Whether the request body in the log is the one sent: only a whole body may be sent again")
    response_headers = fields.Text()
    response_body = fields.Text()
    # stored on one line (cheaper to write at every call), indented for reading
    request_body_view = fields.Text(string="Request body (indented)", compute="_compute_body_views")
    response_body_view = fields.Text(string="Response body (indented)", compute="_compute_body_views")
    status_code = fields.Integer(string="HTTP status")
    error_message = fields.Text(string="Error")
    remote_messages = fields.Text(string="The ledger's messages", help="Its validation messages, one per line")
    outcome = fields.Char(help="Webhook deliveries: what Odoo did with the events")
    duration_ms = fields.Integer(string="Duration (ms)")
    idempotency_key = fields.Char(index=True)
    attempt = fields.Integer(default=1)
    retry_of_id = fields.Many2one("ledger.request.log", string="Retry of", ondelete="set null")
    state = fields.Selection([("success", "Success"), ("failure", "Failure")], required=True, index=True)
    state_icon = fields.Char(string=" ", compute="_compute_state_icon")
    can_retry = fields.Boolean(compute="_compute_can_retry")
    # Webhook deliveries: where they came from; refused ones (bad signature, too large,
    # malformed, replays) share one row per source, kind and minute, counted.
    remote_addr = fields.Char(string="Source", help="The sender's IP address (the client's behind a proxy "
                                                    "when Odoo runs with --proxy-mode)")
    delivery_count = fields.Integer(string="Deliveries", default=1,
                                    help="Refused webhook deliveries counted in this row")
    last_seen = fields.Datetime(help="Last refused delivery counted in this row")
    aggregate_key = fields.Char(readonly=True, copy=False)

    _sql_constraints = [("aggregate_key_unique", "unique(aggregate_key)",
                         "One request-log row per source, kind of refusal and minute.")]

    @api.depends("state")
    def _compute_state_icon(self):
        for log in self:
            log.state_icon = "✔" if log.state == "success" else "✘"

    @api.depends("request_body", "response_body")
    def _compute_body_views(self):
        for log in self:
            log.request_body_view = pretty(log.request_body)
            log.response_body_view = pretty(log.response_body)

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for log in self:
            record = referenced_record(self.env, log.res_model, log.res_id)
            log.record_name = record.display_name if record else False

    @api.depends("direction", "tenant_id", "url", "method")
    def _compute_can_retry(self):
        for log in self:
            log.can_retry = bool(log.direction == "outbound" and log.tenant_id and log.url
                                 and log.method in ("GET", "PUT", "POST") and log._ledger_is_api_call())

    # --- what each ledger provides ---------------------------------------------------------------
    def _ledger_is_api_call(self):
        """Whether this outbound row is a call to the ledger's API (which Retry may send again),
        not to its identity service (tokens, connections)."""
        return False

    def _ledger_retry_request(self, context):
        """Send this row's request again, as logged (same method, path, body and idempotency
        key), for its organisation, logging with ``context``. Raises LedgerError."""
        raise NotImplementedError(self.env._("No ledger re-sends requests for %s.", self.tenant_id.code))

    def _ledger_record_target(self, record, tenant):
        """-> (why not, the entity ``record`` syncs as to ``tenant``): why is a sentence when the
        record is not sent again; the entity None when the organisation does not sync it."""
        return None, None

    @api.model
    def _ledger_refused_source(self, minute, kind, source):
        """The source a refused delivery is counted under (a ledger may bound how many per
        minute, so that a flood from many addresses adds a bounded number of rows)."""
        return (source or "?")[:64]

    # --- writing ---------------------------------------------------------------------------------
    @api.model
    def _log_exchange(self, entry, tenant=None, context=None):
        """Called by the ledger's client for each exchange."""
        context = dict(context or {})
        tenant = tenant or self.env["ledger.tenant"]
        ok = entry.get("error") is None and (entry.get("status") or 0) < 400
        request_body, whole = log_text(entry.get("request_body"))
        return self.sudo().create({
            "direction": "outbound",
            "tenant_id": tenant.id or False,
            "company_id": tenant.company_id.id or context.get("company_id") or False,
            "operation": entry.get("operation") or "request",
            "entity": context.get("entity") or entry.get("entity") or False,
            "res_model": context.get("res_model") or False,
            "res_id": context.get("res_id") or False,
            "method": entry.get("method"),
            "url": entry.get("url"),
            "request_headers": to_text(entry.get("request_headers"), indent=2),
            "request_body": request_body,
            "request_body_state": "redacted" if entry.get("redacted") else "whole" if whole else "cut",
            "response_headers": to_text(entry.get("response_headers"), indent=2),
            "response_body": to_text(entry.get("response_body")),
            "status_code": entry.get("status") or 0,
            "error_message": entry.get("error") or False,
            "remote_messages": "\n".join(entry.get("messages") or []) or False,
            "duration_ms": entry.get("duration_ms") or 0,
            "idempotency_key": entry.get("idempotency_key") or False,
            "attempt": context.get("attempt") or 1,
            "retry_of_id": context.get("retry_of_id") or False,
            "state": "success" if ok else "failure",
        })

    @api.model
    def _log_delivery(self, entry, status, error=None, outcome=None, tenant_id=None, company_id=None,
                      aggregate=None):
        """One webhook delivery from a ledger (see ledger.event._receive), accepted or not.

        ``aggregate`` (a kind of refusal: "unsigned", "bad_signature", "too_large"...) counts the
        delivery in the row of its source, kind and minute instead of adding one: the first
        delivery's first 2 kB and headers are kept, later ones only add to ``delivery_count``
        (one atomic upsert, safe between workers), so a flood adds a bounded number of rows."""
        def text(raw):  # PostgreSQL text holds no NUL: a hostile body must still be logged
            return raw.decode("utf-8", "replace").replace("\x00", "\\x00")

        raw = entry.get("raw") or b""
        if aggregate:
            now = fields.Datetime.now()
            minute = now.strftime("%Y-%m-%d %H:%M")
            source = self._ledger_refused_source(minute, aggregate, entry.get("source"))
            limit = MAX_LOGGED_REFUSED
            headers = to_text(redact_headers(entry.get("headers") or {}), limit=limit) or None
            query, params = """
                INSERT INTO ledger_request_log (direction, operation, entity, method, url, request_headers,
                                              request_body, status_code, error_message, outcome, state,
                                              attempt, duration_ms, remote_addr, delivery_count, last_seen,
                                              aggregate_key, create_uid, write_uid, create_date, write_date)
                VALUES ('inbound', 'webhook', 'webhook', 'POST', %s, %s, %s, %s, %s, %s, %s, 1, 0, %s, 1, %s, %s,
                        %s, %s, %s, %s)
                ON CONFLICT (aggregate_key) DO UPDATE
                   SET delivery_count = ledger_request_log.delivery_count + 1, last_seen = EXCLUDED.last_seen,
                       write_date = EXCLUDED.write_date
                RETURNING id""", [
                entry.get("url") or "", headers, text(raw[:limit]) or None, status, error or None,
                outcome or error or None, "success" if status == 200 and not error else "failure", source, now,
                "%s|%s|%s" % (minute, aggregate, source), self.env.uid, self.env.uid, now, now]
            if self.env.registry.in_test_mode():  # one shared test transaction
                self.env.cr.execute(query, params)
                return self.browse(self.env.cr.fetchone()[0])
            # Its own short transaction, READ COMMITTED: concurrent workers counting in the same
            # row wait for each other's increment instead of failing to serialize (Odoo's
            # REPEATABLE READ), the row lock is held for one statement, not the whole request,
            # and the count survives whatever the request does next.
            with self.env.registry.cursor() as cr:
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                cr.execute(query, params)
                return self.browse(cr.fetchone()[0])
        return self.sudo().create({
            "direction": "inbound",
            "tenant_id": tenant_id or False,
            "company_id": company_id or False,
            "operation": "webhook",
            "entity": "webhook",
            "method": "POST",
            "url": entry.get("url") or False,
            "remote_addr": entry.get("source") or False,
            "request_headers": to_text(redact_headers(entry.get("headers") or {}), indent=2),
            "request_body": text(raw[:MAX_LOGGED_BODY]),
            "status_code": status,
            "error_message": error or False,
            "outcome": outcome or (error if status != 200 else False),
            "state": "success" if status == 200 and not error else "failure",
        })

    # --- retry ----------------------------------------------------------------------------------
    def action_retry(self):
        """Send this request again, to an organisation the caller manages: the row must be
        visible to them and so must the organisation *now* (a row logged before the organisation
        went to another company still reads as company-less). A record's sync re-queues the
        record as it is now (see the module's docstring); anything else re-sends the logged
        request, if it was stored whole. Safe pressed twice: a record already queued is not
        queued again, and a re-sent request carries its Idempotency-Key."""
        self.ensure_one()
        check_caller(self, MANAGER, "read")
        check_caller(self.tenant_id, MANAGER, "write")
        log = self.sudo()
        if not log.can_retry:
            raise UserError(self.env._("Only API calls to %s can be retried from the log.",
                                       log.tenant_id._ledger_label()))
        records = log._synced_records()
        if records:
            return log._retry_records(records)
        if log.method != "GET" and log.request_body and log.request_body_state != "whole":
            why = {"cut": self.env._("its body was longer than the log keeps and was stored cut"),
                   "redacted": self.env._("secrets were redacted from its body")}.get(
                log.request_body_state, self.env._("it was logged before Odoo marked whole bodies"))
            raise UserError(self.env._("This request cannot be sent again from the log: %(why)s. Send the "
                                       "record it concerns again from its own screen instead.", why=why))
        context = {"res_model": log.res_model, "res_id": log.res_id, "entity": log.entity,
                   "attempt": log.attempt + 1, "retry_of_id": log.id}
        try:
            log._ledger_retry_request(context)
        except LedgerError as exc:
            return log.tenant_id._toast(self.env._("Retry failed"), str(exc), "danger")
        return log.tenant_id._toast(self.env._("Retry succeeded"), self.env._(
            "%s accepted the request.", log.tenant_id._ledger_label()), "success")

    def _synced_records(self):
        """-> [(model, id)] of the records this row's request synced (an outbox batch: one
        record, or the batch's records), or [] when it is not a record's sync."""
        self.ensure_one()
        if not (self.operation or "").startswith("sync "):
            return []
        if self.res_model and self.res_id:
            return [(self.res_model, self.res_id)]
        batch = self.idempotency_key and self.env["ledger.outbox.batch"].sudo().search(
            [("tenant_id", "=", self.tenant_id.id), ("idempotency_key", "=", self.idempotency_key)], limit=1)
        return [(row.res_model, row.res_id) for row in batch.row_ids.sorted("batch_seq")] if batch else []

    def _retry_records(self, records):
        """Re-queue ``records`` ([(model, id)]) for this row's organisation as they are now.
        -> a notification saying what was done for each."""
        tenant = self.tenant_id
        Outbox = self.env["ledger.outbox"].sudo()
        said = []
        for res_model, res_id in records:
            rows = Outbox.search([("tenant_id", "=", tenant.id), ("res_model", "=", res_model),
                                  ("res_id", "=", res_id)])
            record = referenced_record(self.env, res_model, res_id)
            name = record.sudo().display_name if record else rows[-1:].record_name or "%s #%s" % (res_model, res_id)
            failed = rows.filtered(lambda r: r.state in ("error", "retry"))
            if failed:
                # a request in doubt is resent as fixed with its key (the ledger replays what it applied);
                # a row the ledger refused is built again from the record as it is now
                failed.action_retry()
                said.append(self.env._("%s: queued again", name))
                continue
            if rows.filtered(lambda r: r.state in ("queued", "waiting", "sending")):
                said.append(self.env._("%s: already queued", name))
                continue
            if not record:
                said.append(self.env._("%s: no longer in Odoo, nothing to send", name))
                continue
            record = record.sudo()
            why, entity = self._ledger_record_target(record, tenant)
            if not entity:
                said.append(self.env._("%(record)s: not sent (%(why)s)", record=name,
                                       why=why or self.env._("%s does not sync it", tenant.name)))
                continue
            outcome = Outbox._resync(record, tenant, entity)
            said.append({"queued": self.env._("%s: queued as it is now", name),
                         "pending": self.env._("%s: already queued", name),
                         "unchanged": self.env._("%(record)s: unchanged since %(ledger)s accepted it, nothing to send",
                                                record=name, ledger=tenant._ledger_label())}[
                outcome])
        return tenant._toast(self.env._("Retry through the outbox"), "; ".join(said), "info")

    def action_open_record(self):
        self.ensure_one()
        check_caller(self, USER, "read")
        if not self.res_model or not self.res_id:
            raise UserError(self.env._("This entry concerns no Odoo record."))
        return {"type": "ir.actions.act_window", "res_model": self.res_model, "res_id": self.res_id,
                "views": [(False, "form")], "target": "current"}

    # --- retention ------------------------------------------------------------------------------
    @api.model
    def _cron_purge(self):
        # the parameter Settings writes the retention to
        key = self.env["res.config.settings"]._fields["ledger_log_retention_days"].config_parameter
        days = int(self.env["ir.config_parameter"].sudo().get_param(key, LOG_RETENTION_DAYS) or LOG_RETENTION_DAYS)
        limit = fields.Datetime.now() - timedelta(days=max(days, 1))
        old = self.sudo().search([("create_date", "<", limit)])
        old.unlink()
        return len(old)
