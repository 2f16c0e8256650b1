"""Ledger → Odoo: bring Odoo's invoices, bills and credit notes in line with their current state
in the ledger — payments, credit allocations, voids — whoever asked (an event, a poll, a drift fix).

Each ledger fetches its documents and states them in the neutral form of
``psa_ledger.settlement`` (``_ledger_fetch_documents``); ``_apply_documents`` compares each one
with what Odoo already recorded: a payment in the ledger becomes one Odoo payment reconciled
with the document and linked to the ledger's payment id (a unique index makes a second
registration impossible), a payment gone from the ledger cancels its Odoo payment, and a voided
document is flagged (cancelled if the organisation says so). Applying the same state again
changes nothing, so repeated, reordered or late events all end in the same place.
One poll or manual check per organisation at a time (an exclusive advisory lock); event
workers take that lock shared and each document they apply exclusively, so two event workers
apply one organisation's events side by side, never one document twice. The new payments of
one fetch are registered together (issue #14: one create, one post, one reconciliation plan),
in one savepoint; the other documents, and all of them if that batch fails, go each in a
savepoint of its own: a document Odoo cannot follow gets its reason; the others go on.

This model is the bottom of the inbound path: it calls no event queue; documents someone
changed meanwhile come back to the caller as ``"retry"``.
"""

import logging
from contextlib import closing

from psycopg2 import errors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools.misc import formatLang

from ..settlement import PAYMENT_DELETED, PAYMENT_LIVE, base_amount, payment_changes

_logger = logging.getLogger(__name__)

INBOUND_LOCK = 0x58455231
DOCUMENT_LOCK = 0x58455232  # with hashtext(the ledger's document id): one event worker per document
# what another transaction's commit after this one's view causes (a payment id linked meanwhile
# is a duplicate key): the document is tried again later, on a fresh view
RETRY_LATER = (*PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, errors.UniqueViolation)
# One unit of work is applied in one transaction (its payments in one batch), and Odoo kills a
# cron worker whose turn outlasts limit_time_real (120 s by default), rolling the unit back. A
# payment costs ~30 ms of Odoo's posting on a quiet machine and ten times that when the cron
# worker (niced by Odoo) competes for the CPU: measured 73 s for a claim of 100, then every
# following claim killed. So a unit is sized by time: as many documents as took UNIT_SECONDS at
# the pace of the run's last unit, between CLAIM_MIN and CLAIM_SIZE; a run starts at CLAIM_START.
CLAIM_SIZE = 100
CLAIM_MIN = 5
CLAIM_START = 20
UNIT_SECONDS = 15.0


class LedgerInbound(models.AbstractModel):
    _name = "ledger.inbound"
    _description = "Ledger → Odoo document state"

    # --- unit sizing (the caller keeps the pace: one run, no process-wide state) ------------------
    @api.model
    def _claim_size(self, pace=None):
        """Documents in the next unit: what fits in UNIT_SECONDS at ``pace`` (seconds per
        document of the caller's last unit; None: its first unit)."""
        if pace is None:
            return CLAIM_START
        return max(CLAIM_MIN, min(CLAIM_SIZE, int(UNIT_SECONDS / max(pace, 1e-3))))

    @api.model
    def _pace(self, count, seconds, previous=None):
        """The pace of a unit of ``count`` documents applied in ``seconds`` (``previous`` if none)."""
        return seconds / count if count else previous

    # --- locks ------------------------------------------------------------------------------------
    def _try_tenant_lock(self, tenant, shared=False):
        """One poll or manual check per organisation, alone (exclusive); event workers take
        it ``shared`` — several at once, each document locked on its own (``_try_document_locks``).
        A transaction-scoped advisory lock, released by the commit or rollback that ends the
        work — it cannot stay held on a pooled connection after a failure. -> bool"""
        function = "pg_try_advisory_xact_lock_shared" if shared else "pg_try_advisory_xact_lock"
        self.env.cr.execute("SELECT %s(%%s, %%s)" % function, [INBOUND_LOCK, tenant.id])
        return self.env.cr.fetchone()[0]

    def _try_document_locks(self, remote_ids):
        """Lock these documents for this transaction, those no other worker holds (try-locks:
        a worker never waits for another, it leaves those documents for later). -> the set of ids locked."""
        ids = list(set(remote_ids))
        if not ids:
            return set()
        self.env.cr.execute("SELECT r FROM unnest(%s::varchar[]) AS r WHERE pg_try_advisory_xact_lock(%s, hashtext(r))",
                            [ids, DOCUMENT_LOCK])
        return {r[0] for r in self.env.cr.fetchall()}

    def _check_fresh(self, tenant, remote_ids):
        """Prove this transaction's view current for the Odoo documents linked to these
        documents (and their links): under REPEATABLE READ, PostgreSQL refuses to lock a row
        another transaction changed after the view was taken (a serialization failure, raised
        to the caller). The locks are taken in a savepoint rolled back at once: proven, then
        released — a user editing one of these invoices does not wait for the whole unit (its
        call to the ledger included). Other event workers keep away through the document locks;
        anything else that changes a document meanwhile makes applying it fail, and it is tried again."""
        if remote_ids:
            with closing(self.env.cr.savepoint(flush=False)):
                self.env.cr.execute("""
                    SELECT 1 FROM ledger_link l JOIN account_move m ON m.id = l.res_id
                     WHERE l.tenant_id = %s AND l.res_model = 'account.move' AND l.remote_id = ANY(%s)
                       FOR SHARE""", [tenant.id, list(remote_ids)])

    # --- the ledger's part (hooks, overridden by each ledger guarded by the tenant's code) --------
    def _ledger_fetch_documents(self, tenant, kind, ids):
        """Fetch these documents of ``kind`` from ``tenant``'s ledger (several per call).
        -> [neutral document state] (``psa_ledger.settlement``). Raises the core's LedgerError kinds."""
        raise NotImplementedError(self.env._("No ledger fetches documents for %s.", tenant.display_name))

    def _ledger_payment_accounts(self, tenant, payment_ids):
        """{payment id: {"id", "code"} of the ledger's bank account} for new payments, when the
        ledger tells it (and it matters: the organisation maps bank accounts to journals)."""
        return {}

    def _ledger_cancel_context(self, tenant):
        """Context under which a document voided in ``tenant``'s ledger is cancelled in Odoo
        (the ledger already voided it: nothing to send back)."""
        return {"ledger_inbound": True}

    # --- fetching and applying ------------------------------------------------------------------------
    @api.model
    def _sync_documents(self, tenant, kind, ids):
        """Fetch these documents (several per call) and apply them.
        -> {remote_id: (event state, message, Odoo record or None)}. Raises LedgerError."""
        return self._apply_documents(tenant, self._ledger_fetch_documents(tenant, kind, ids), ids)

    @api.model
    def _apply_documents(self, tenant, states, ids=None):
        """Apply neutral document states to the Odoo documents linked to them; ``ids`` lists
        what was asked (those the ledger did not return are reported).
        -> {remote_id: (state, message, record)}.

        Documents whose only news is payments Odoo can take go together (one batch of payments,
        see ``_register_payments``); the others — payments deleted, voided, not posted, more
        paid than Odoo expects — one by one, each in a savepoint. If the batch fails, its
        documents go one by one too: the culprit gets its reason, the others are applied."""
        states = {s["id"]: s for s in states if s["id"]}
        ids = list(ids) if ids is not None else list(states)
        label = tenant._ledger_label()
        Link = self.env["ledger.link"].sudo()
        links = {link.remote_id.lower(): link for link in Link.search([
            ("tenant_id", "=", tenant.id), ("res_model", "=", "account.move"), ("remote_id", "in", ids)])}
        recorded = {}
        for link in Link.search([("tenant_id", "=", tenant.id), ("res_model", "=", "account.payment"),
                                 ("remote_parent_id", "in", list(links))]):
            recorded.setdefault(link.remote_parent_id, {})[link.remote_id.lower()] = link
        new_payments = {pid for rid, s in states.items() if rid in links for pid in s["payments"]} \
            - {pid for known in recorded.values() for pid in known}
        accounts = self._ledger_payment_accounts(tenant, new_payments) if new_payments else {}
        # records taken from one recordset share its prefetching: one query per field for the batch
        moves = {move.id: move for move in self.env["account.move"].sudo().browse(
            [links[x].res_id for x in ids if x in links]).exists()}
        results, work = {}, []
        for remote_id in ids:
            link = links.get(remote_id)
            if not link:
                results[remote_id] = ("ignored", self.env._(
                    "Odoo did not send this document to %s: nothing to update.", label), None)
                continue
            move = moves.get(link.res_id)
            state = states.get(remote_id)
            if not move or not state:
                results[remote_id] = ("ignored", self.env._("%s did not return this document.", label) if move
                                      else self.env._("The Odoo document was deleted."), move or None)
                continue
            work.append((remote_id, move, link, state, recorded.get(remote_id, {})))
        batchable = {item[0] for item in work if self._batchable(item)}
        batch = [item for item in work if item[0] in batchable]
        alone = [item for item in work if item[0] not in batchable]
        if len(batch) > 1:
            try:
                with self.env.cr.savepoint():
                    messages = self._apply(tenant, batch, accounts)
                    for (remote_id, move, *_rest), message in zip(batch, messages, strict=True):
                        results[remote_id] = ("done", message, move)
                batch = []
            except Exception as exc:  # noqa: BLE001 - one by one now, so that the culprit is named
                self.env.invalidate_all()
                _logger.info("Inbound: a batch of %d documents failed (%s: %s); applying them one by one",
                             len(batch), type(exc).__name__, exc)
        for item in batch + alone:
            remote_id, move = item[0], item[1]
            try:
                with self.env.cr.savepoint():
                    results[remote_id] = ("done", self._apply(tenant, [item], accounts)[0], move)
            except RETRY_LATER as exc:
                self.env.invalidate_all()
                if self._conflict_in_view(tenant, item, exc):
                    message = self.env._(
                        "%(doc)s: not brought in line with %(ledger)s (unexpected %(kind)s: %(error)s)",
                        doc=move.name, ledger=label, kind=type(exc).__name__, error=exc)
                    results[remote_id] = ("error", message, move)
                    _logger.warning("Inbound: %s", message)
                    continue
                # someone changed this document meanwhile (a user, another worker): nothing of it
                # was applied; a later try, on a fresh view, does it — or finds it done
                message = self.env._("%(doc)s: changed in Odoo meanwhile; tried again shortly (%(error)s)",
                                     doc=move.name, error=str(exc).strip().splitlines()[0])
                results[remote_id] = ("retry", message, move)
                _logger.info("Inbound: %s", message)
            except (UserError, ValidationError) as exc:
                self.env.invalidate_all()
                message = self.env._("%(doc)s: not brought in line with %(ledger)s: %(error)s",
                                     doc=move.name, ledger=label, error=exc)
                results[remote_id] = ("error", message, move)
                _logger.info("Inbound: %s", message)
            except Exception as exc:  # noqa: BLE001 - one document Odoo cannot follow must not hold up the others
                self.env.invalidate_all()
                message = self.env._("%(doc)s: not brought in line with %(ledger)s (unexpected %(kind)s: %(error)s)",
                                     doc=move.name, ledger=label, kind=type(exc).__name__, error=exc)
                results[remote_id] = ("error", message, move)
                _logger.exception("Inbound: %s", message)
        return results

    def _conflict_in_view(self, tenant, item, exc):
        """A duplicate payment id that this transaction's view already shows linked to another
        document is no race: trying again would meet it again (it needs a person). Any other
        concurrency error, or a duplicate committed after this view, is a race. -> bool"""
        if not isinstance(exc, errors.UniqueViolation):
            return False
        remote_id, _move, _link, state, _recorded = item
        return bool(self.env["ledger.link"].sudo().search_count([
            ("tenant_id", "=", tenant.id), ("res_model", "=", "account.payment"),
            ("remote_id", "in", list(state["payments"])), ("remote_parent_id", "!=", remote_id)]))

    def _batchable(self, item):
        """Nothing to cancel or void, and the new payments fit what Odoo still expects: the
        common case (a document paid in the ledger), which goes with the others."""
        _remote_id, move, _link, state, recorded = item
        new, deleted = payment_changes(state, {pid: link.remote_status for pid, link in recorded.items()})
        if deleted or state["voided"] or (new and move.state != "posted"):
            return False
        paid = sum(float(p["amount"]) for p in new)
        return not new or move.currency_id.compare_amounts(paid, move.amount_residual) <= 0

    def _apply(self, tenant, items, accounts):
        """Bring Odoo documents in line with the ledger's: payments deleted there cancelled, new
        ones registered (all of them together), allocations, voids, notes.
        ``items``: [(remote_id, move, link, state, {payment id: link} recorded)].
        -> what changed, a sentence per document."""
        label = tenant._ledger_label()
        notes, todo, announce = {}, [], []
        for _remote_id, move, link, state, recorded in items:
            known = {pid: link.remote_status for pid, link in recorded.items()}
            new, deleted = payment_changes(state, known)
            notes[move] = [self._cancel_payment(tenant, move, recorded[pid]) for pid in deleted]  # first: a voided
            todo += [(move, state, payment, accounts.get(payment["id"])) for payment in new]  # document lost them
            if new:
                announce.append((move, state, new))
        for (move, _state, _payment, _account), note in zip(todo, self._register_payments(tenant, todo), strict=True):
            notes[move].append(note)
        for _remote_id, move, link, state, _recorded in items:
            for allocation in state["allocations"]:
                note = self._reflect_allocation(tenant, move, allocation)
                if note:
                    notes[move].append(note)
            if state["voided"]:
                notes[move] += self._voided(tenant, move)
            if link.remote_status != state["status"]:
                link.remote_status = state["status"]
        self._announce_payments(tenant, [(move, state, new) for move, state, new in announce
                                         if move.state == "posted"])
        messages = []
        for _remote_id, move, _link, state, _recorded in items:
            odoo_due = move.amount_residual if move.state == "posted" else 0.0
            if move.state == "posted" and move.currency_id.compare_amounts(odoo_due, float(state["amount_due"])) \
                    and not state["voided"]:
                notes[move].append(self.env._("%(ledger)s says %(remote)s is due, Odoo %(odoo)s", ledger=label,
                                              remote=self._money(move, state["amount_due"]),
                                              odoo=self._money(move, odoo_due)))
            messages.append(("%s: %s." % (move.name, "; ".join(notes[move]))) if notes[move]
                            else self._in_line(tenant, move))
        return messages

    def _in_line(self, tenant, move):
        """The outcome of a document that needed no change."""
        return self.env._("%(doc)s: already in line with %(ledger)s.", doc=move.name, ledger=tenant._ledger_label())

    def _register_payments(self, tenant, todo):
        """Register the ledger's payments in Odoo, all of them together: what Odoo's Register
        payment does (account.payment.register._create_payments: create, post, reconcile with
        the document's receivable / payable lines, link the payment to the document) with one
        create, one post and one reconciliation plan for the whole batch instead of a wizard,
        a journal entry and a reconciliation per payment. Each payment is linked to its
        payment id in the ledger (a unique index: never twice). ``todo``: [(move, state,
        payment, the ledger's bank account or None)]. -> a note per payment. Raises UserError
        (nothing recorded) if a document is not posted or would be paid more than Odoo expects."""
        if not todo:
            return []
        label = tenant._ledger_label()
        due, journals, vals_list = {}, {}, []
        for move, _state, payment, account in todo:
            if move.state != "posted":
                raise UserError(self.env._(
                    "it is not posted in Odoo, so the %(ledger)s payment of %(amount)s cannot be recorded.",
                    ledger=label, amount=self._money(move, payment["amount"])))
            residual = due.get(move, move.amount_residual)
            if move.currency_id.compare_amounts(float(payment["amount"]), residual) > 0:
                raise UserError(self.env._(
                    "%(ledger)s recorded a payment of %(amount)s, more than the %(due)s Odoo still expects. "
                    "Nothing was recorded: compare the document in both.",
                    ledger=label, amount=self._money(move, payment["amount"]), due=self._money(move, residual)))
            due[move] = residual - float(payment["amount"])
            key = (move.company_id.id, (account or {}).get("id"))
            if key not in journals:
                journals[key] = self._payment_journal(tenant, move, account)
            vals_list.append(self._payment_values(move, payment, journals[key]))
        # created as Odoo's Register payment creates them; posted from a clean context, so that
        # their journal entries are created and posted with the messages Odoo's audit trail reads
        created = self.env["account.payment"].with_context(skip_invoice_sync=True).create(vals_list)
        payments = self.env["account.payment"].browse(created.ids)
        # their journal entries, created together (Odoo's own first step of posting a payment) and
        # their partners subscribed to them per partner: posting subscribes each entry's partner
        # one entry at a time (5 queries each), and skips an entry its partner already follows
        payments._generate_journal_entry()
        for partner, entries in payments.move_id.grouped("partner_id").items():
            if partner:
                entries.message_subscribe(partner.ids)
        # linked and logged before posting: from its first entry number until the commit, posting
        # holds the journal's numbering lock (sequence_mixin), which another worker's posting in
        # the same journal waits for — what needs no posted entry goes first
        self.env["ledger.link"].sudo().create([{
            "tenant_id": tenant.id, "res_model": "account.payment", "res_id": odoo_payment.id,
            "remote_id": payment["id"], "remote_parent_id": state["id"], "remote_status": PAYMENT_LIVE,
            "remote_name": payment["reference"] or state["number"], "remote_code": (account or {}).get("code") or False}
            for (_move, state, payment, account), odoo_payment in zip(todo, payments, strict=True)])
        payments._message_log_batch({
            odoo_payment.id: self.env._("Recorded from %(ledger)s (payment %(payment)s).", ledger=label,
                                        payment=payment["id"])
            for (_m, _s, payment, _a), odoo_payment in zip(todo, payments, strict=True)})
        payments.action_post()  # their journal entries posted together
        lines = {}
        for (move, _state, _payment, _account), odoo_payment in zip(todo, payments, strict=True):
            lines.setdefault(move, move.line_ids.filtered(lambda line: line.display_type == "payment_term"
                                                          and not line.reconciled))
            lines[move] |= odoo_payment.move_id.line_ids.filtered(
                lambda line, account=odoo_payment.destination_account_id: line.account_id == account
                and not line.reconciled)
        # one plan, one group per document (its open lines and all its new payments' counterparts)
        self.env["account.move.line"]._reconcile_plan(list(lines.values()))
        # the note _announce_payments logs on each document ("… paid in <ledger> (£100.00)") is
        # its message about the payment: Odoo's own Payment status tracking message, a second one
        # that notifies each document's followers one document at a time (~9 queries and a
        # fifth of the time of a payment), is not made
        self.env["account.move"].sudo().browse([move.id for move in lines])._track_discard()
        return [self.env._("payment of %(amount)s recorded (%(payment)s)", amount=self._money(move, payment["amount"]),
                           payment=odoo_payment.name)
                for (move, _s, payment, _a), odoo_payment in zip(todo, payments, strict=True)]

    def _payment_values(self, move, payment, journal):
        """The values Odoo's Register payment gives a payment of ``move`` (one document, an
        amount of its own, the difference left open)."""
        counterpart = move.line_ids.filtered(lambda line: line.display_type == "payment_term")[:1]
        payment_type = "inbound" if counterpart.balance > 0 else "outbound"
        methods = journal._get_available_payment_method_lines(payment_type)
        method = move.preferred_payment_method_line_id
        if method not in methods:
            method = methods[:1]
        if payment_type == "inbound":
            bank = journal.bank_account_id
        else:
            banks = move.commercial_partner_id.bank_ids.filtered(
                lambda bank: bank.company_id.id in (False, move.company_id.id))
            bank = move.partner_bank_id if move.partner_bank_id in banks else banks[:1]
        foreign = {}
        base = base_amount(payment) if move.currency_id != move.company_currency_id else None
        if base is not None:
            # the ledger's amount in the company's currency, at its rate of the payment (Register
            # payment's own `force_balance`); reconciling with the document at its rate, Odoo
            # books the exchange difference itself
            foreign["force_balance"] = float(base)
        return {
            **foreign,
            "date": payment["date"] or fields.Date.context_today(self), "amount": float(payment["amount"]),
            "payment_type": payment_type,
            "partner_type": "customer" if counterpart.account_type == "asset_receivable" else "supplier",
            "memo": payment["reference"] or move.name, "journal_id": journal.id, "company_id": move.company_id.id,
            "currency_id": move.currency_id.id, "partner_id": counterpart.partner_id.id,
            "partner_bank_id": bank.id, "payment_method_line_id": method.id,
            "destination_account_id": counterpart.account_id.id, "invoice_ids": [Command.set(move.ids)],
        }

    def _cancel_payment(self, tenant, move, link):
        label = tenant._ledger_label()
        payment = self.env["account.payment"].sudo().browse(link.res_id).exists()
        link.remote_status = PAYMENT_DELETED
        if not payment or payment.state == "canceled":
            return self.env._("payment %(payment)s deleted in %(ledger)s (already cancelled in Odoo)",
                              payment=link.remote_id, ledger=label)
        payment.action_draft()
        payment.action_cancel()
        payment.message_post(body=self.env._("Cancelled: the payment was deleted in %s.", label),
                             message_type="notification")
        return self.env._("payment %(payment)s of %(amount)s cancelled (deleted in %(ledger)s)", payment=payment.name,
                          amount=self._money(move, payment.amount), ledger=label)

    def _reflect_allocation(self, tenant, move, allocation):
        """A credit note allocated to an invoice in the ledger: reconcile the two in Odoo (when
        both are known and not reconciled together yet)."""
        other_link = self.env["ledger.link"].sudo().search([
            ("tenant_id", "=", tenant.id), ("res_model", "=", "account.move"),
            ("remote_id", "=", allocation["other_id"])], limit=1)
        other = self.env["account.move"].sudo().browse(other_link.res_id).exists() if other_link else None
        if not other or move.state != "posted" or other.state != "posted":
            return None
        open_lines = (move.line_ids | other.line_ids).filtered(
            lambda line: line.account_id.account_type in ("asset_receivable", "liability_payable")
            and not line.reconciled)
        partners = move.line_ids.matched_debit_ids.debit_move_id.move_id \
            | move.line_ids.matched_credit_ids.credit_move_id.move_id
        mine = open_lines.filtered(lambda line: line.move_id == move)
        theirs = open_lines - mine
        if other in partners or not mine or not theirs:
            return None
        (mine | theirs).reconcile()
        return self.env._("%(other)s allocated in %(ledger)s (%(amount)s): reconciled", other=other.name,
                          ledger=tenant._ledger_label(), amount=self._money(move, allocation["amount"]))

    def _voided(self, tenant, move):
        label = tenant._ledger_label()
        notes = []
        if not move.ledger_voided:
            move.ledger_voided = True
            move.message_post(body=self.env._("Voided in %(ledger)s (%(organisation)s).", ledger=label,
                                              organisation=tenant.name), message_type="notification")
            notes.append(self.env._("voided in %s", label))
        if tenant.cancel_voided_invoices and move.state == "posted":
            inbound = move.with_context(**self._ledger_cancel_context(tenant))
            inbound.button_draft()
            inbound.button_cancel()
            notes.append(self.env._("cancelled in Odoo"))
        return notes

    def _announce_payments(self, tenant, paid):
        """"INV/2026/00042 paid in <ledger> (£2,400.00)": a note on each document (logged
        together), or a message to its salesperson and followers when the organisation asks
        for it. ``paid``: [(move, state, new payments)]."""
        label = tenant._ledger_label()
        bodies = {}
        for move, _state, new in paid:
            amount = sum(p["amount"] for p in new)
            if move.payment_state in ("paid", "in_payment"):
                bodies[move] = self.env._("%(doc)s paid in %(ledger)s (%(amount)s)", doc=move.name, ledger=label,
                                          amount=self._money(move, amount))
            else:
                bodies[move] = self.env._("%(doc)s partly paid in %(ledger)s (%(amount)s, %(due)s still due)",
                                          doc=move.name, ledger=label, amount=self._money(move, amount),
                                          due=self._money(move, move.amount_residual))
        if not bodies:
            return
        if not tenant.notify_payments:
            moves = self.env["account.move"].sudo().concat(*bodies)
            moves._message_log_batch({move.id: body for move, body in bodies.items()})
            return
        for move, body in bodies.items():
            # an internal note to the salesperson: a comment would also reach the invoice's
            # followers, the customer among them once the invoice was sent
            move.message_post(body=body, subtype_xmlid="mail.mt_note", message_type="notification",
                              partner_ids=move.invoice_user_id.partner_id.ids)

    def _payment_journal(self, tenant, move, account):
        """The journal of the ledger's bank account if mapped, else the organisation's default,
        else the company's first bank journal."""
        if account and account.get("id"):
            mapped = self.env["ledger.account"].sudo().search([
                ("tenant_id", "=", tenant.id), ("account_id", "=", account["id"].lower()),
                ("journal_id", "!=", False)], limit=1)
            if mapped:
                return mapped.journal_id
        journal = tenant.payment_journal_id or self.env["account.journal"].sudo().search([
            ("company_id", "=", move.company_id.id), ("type", "=", "bank")], limit=1)
        if not journal:
            raise UserError(self.env._("There is no bank journal in %(company)s to record %(ledger)s payments in "
                                       "(set one on the %(ledger)s organisation).", company=move.company_id.name,
                                       ledger=tenant._ledger_label()))
        return journal

    @staticmethod
    def _money(move, value):
        return formatLang(move.env, float(value), currency_obj=move.currency_id)
