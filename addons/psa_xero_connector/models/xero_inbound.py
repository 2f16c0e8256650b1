"""Xero → Odoo: bring Odoo's invoices, bills and credit notes in line with their current state
in Xero — payments, credit allocations, voids — whether a webhook event or the safety-net
poll asked.

Both paths fetch documents several per call and hand them to ``_apply_documents``, which
compares each document with what Odoo already recorded: a Xero payment becomes one Odoo
payment reconciled with the document and linked to its PaymentID (a unique index makes a
second registration impossible), a payment gone from Xero cancels its Odoo payment, and a
voided document is flagged (cancelled if the organisation says so). Applying the same state
again changes nothing, so repeated, reordered or late events all end in the same place.
One poll or manual check per organisation at a time (an exclusive advisory lock); event
workers take that lock shared and each document they apply exclusively, so two event workers
apply one organisation's events side by side, never one document twice. The new payments of one fetch are
registered together (issue #14: one create, one post, one reconciliation plan), in one
savepoint; the other documents, and all of them if that batch fails, go each in a savepoint of
its own: a document Odoo cannot follow gets its reason; the others go on.
"""

import logging
import time
from contextlib import closing
from datetime import timedelta

from psycopg2 import errors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools.misc import formatLang

from ..xero import settlement
from ..xero.errors import XeroError
from .ledger_event import EVENT_CATEGORY

_logger = logging.getLogger(__name__)

INBOUND_LOCK = 0x58455231
DOCUMENT_LOCK = 0x58455232  # with hashtext(Xero document id): one event worker per document
# what another transaction's commit after this one's view causes (a PaymentID linked meanwhile
# is a duplicate key): the document is tried again later, on a fresh view
RETRY_LATER = (*PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, errors.UniqueViolation)
COLLECTION = {"invoice": "Invoices", "credit_note": "CreditNotes"}
BUSY_RETRY = timedelta(minutes=1)  # a poll that found its organisation busy looks again
POLL_OVERLAP = timedelta(minutes=2)  # re-read a little of the last window: clocks differ, applying is idempotent
FIRST_POLL_WINDOW = timedelta(days=1)
PAGE_SIZE = 100  # Xero's page of invoices / credit notes
POLL_SECONDS = 25  # no new page or unit after this (a cron worker's turn ends within limit_time_real)


class XeroInbound(models.AbstractModel):
    _name = "xero.inbound"
    _description = "Xero → Odoo document state"

    def _try_tenant_lock(self, tenant, shared=False):
        """One poll or manual check per organisation, alone (exclusive); event workers take
        it ``shared`` — several at once, each document locked on its own (``_try_document_locks``).
        A transaction-scoped advisory lock, released by the commit or rollback that ends the
        work — it cannot stay held on a pooled connection after a failure. -> bool"""
        function = "pg_try_advisory_xact_lock_shared" if shared else "pg_try_advisory_xact_lock"
        self.env.cr.execute("SELECT %s(%%s, %%s)" % function, [INBOUND_LOCK, tenant.id])
        return self.env.cr.fetchone()[0]

    def _try_document_locks(self, xero_ids):
        """Lock these Xero documents for this transaction, those no other worker holds (try-locks:
        a worker never waits for another, it leaves those documents for later). -> the set of ids locked."""
        ids = list(set(xero_ids))
        if not ids:
            return set()
        self.env.cr.execute("SELECT r FROM unnest(%s::varchar[]) AS r WHERE pg_try_advisory_xact_lock(%s, hashtext(r))",
                            [ids, DOCUMENT_LOCK])
        return {r[0] for r in self.env.cr.fetchall()}

    def _check_fresh(self, tenant, xero_ids):
        """Prove this transaction's view current for the Odoo documents linked to these Xero
        documents (and their links): under REPEATABLE READ, PostgreSQL refuses to lock a row
        another transaction changed after the view was taken (a serialization failure, raised
        to the caller). The locks are taken in a savepoint rolled back at once: proven, then
        released — a user editing one of these invoices does not wait for the whole unit (its
        Xero call included). Other event workers keep away through the document locks; anything
        else that changes a document meanwhile makes applying it fail, and it is tried again."""
        if xero_ids:
            with closing(self.env.cr.savepoint(flush=False)):
                self.env.cr.execute("""
                    SELECT 1 FROM ledger_link l JOIN account_move m ON m.id = l.res_id
                     WHERE l.tenant_id = %s AND l.res_model = 'account.move' AND l.remote_id = ANY(%s)
                       FOR SHARE""", [tenant.id, list(xero_ids)])

    # --- fetching -------------------------------------------------------------------------------
    @api.model
    def _sync_documents(self, tenant, kind, ids):
        """Fetch these documents (several per call) and apply them.
        -> {remote_id: (event state, message, Odoo record or None)}. Raises XeroError."""
        collection = COLLECTION[kind]
        docs = []
        for chunk in settlement.chunks(ids, settlement.IDS_PER_CALL):
            # Invoices take IDs=; CreditNotes only a where filter
            params = {"IDs": ",".join(chunk)} if kind == "invoice" else {
                "where": settlement.guid_filter("CreditNoteID", chunk)}
            data, _headers = tenant._call("GET", collection, params=params, operation="fetch %s" % collection,
                                          context={"entity": collection})
            docs += (data or {}).get(collection) or []
        return self._apply_documents(tenant, docs, ids)

    def _payment_accounts(self, tenant, payment_ids):
        """{PaymentID: Account} for new payments, only when this organisation maps Xero bank
        accounts to journals (otherwise every payment goes to the default journal: no call)."""
        mapped = self.env["ledger.account"].sudo().search_count([("tenant_id", "=", tenant.id),
                                                               ("journal_id", "!=", False)])
        if not payment_ids or not mapped:
            return {}
        accounts = {}
        for chunk in settlement.chunks(sorted(payment_ids), settlement.PAYMENTS_PER_CALL):
            data, _headers = tenant._call("GET", "Payments", operation="fetch Payments", context={"entity": "Payments"},
                                          params={"where": settlement.guid_filter("PaymentID", chunk)})
            for payment in (data or {}).get("Payments") or []:
                accounts[(payment.get("PaymentID") or "").lower()] = payment.get("Account") or {}
        return accounts

    # --- applying ---------------------------------------------------------------------------------
    @api.model
    def _apply_documents(self, tenant, docs, ids=None):
        """Apply Xero documents to the Odoo documents linked to them; ``ids`` lists what was
        asked (those Xero did not return are reported). -> {remote_id: (state, message, record)}.

        Documents whose only news is payments Odoo can take go together (one batch of payments,
        see ``_register_payments``); the others — payments deleted, voided, not posted, more
        paid than Odoo expects — one by one, each in a savepoint. If the batch fails, its
        documents go one by one too: the culprit gets its reason, the others are applied."""
        states = {s["id"]: s for s in map(settlement.document_state, docs) if s["id"]}
        ids = list(ids) if ids is not None else list(states)
        Link = self.env["ledger.link"].sudo()
        links = {link.remote_id.lower(): link for link in Link.search([
            ("tenant_id", "=", tenant.id), ("res_model", "=", "account.move"), ("remote_id", "in", ids)])}
        recorded = {}
        for link in Link.search([("tenant_id", "=", tenant.id), ("res_model", "=", "account.payment"),
                                 ("remote_parent_id", "in", list(links))]):
            recorded.setdefault(link.remote_parent_id, {})[link.remote_id.lower()] = link
        new_payments = {pid for xid, s in states.items() if xid in links for pid in s["payments"]} \
            - {pid for known in recorded.values() for pid in known}
        accounts = self._payment_accounts(tenant, new_payments)
        # records taken from one recordset share its prefetching: one query per field for the batch
        moves = {move.id: move for move in self.env["account.move"].sudo().browse(
            [links[x].res_id for x in ids if x in links]).exists()}
        results, work = {}, []
        for remote_id in ids:
            link = links.get(remote_id)
            if not link:
                results[remote_id] = ("ignored", self.env._(
                    "Odoo did not send this document to Xero: nothing to update."), None)
                continue
            move = moves.get(link.res_id)
            state = states.get(remote_id)
            if not move or not state:
                results[remote_id] = ("ignored", self.env._("Xero did not return this document.") if move
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
                _logger.info("Xero inbound: a batch of %d documents failed (%s: %s); applying them one by one",
                             len(batch), type(exc).__name__, exc)
        for item in batch + alone:
            remote_id, move = item[0], item[1]
            try:
                with self.env.cr.savepoint():
                    results[remote_id] = ("done", self._apply(tenant, [item], accounts)[0], move)
            except RETRY_LATER as exc:
                self.env.invalidate_all()
                if self._conflict_in_view(tenant, item, exc):
                    message = self.env._("%(doc)s: not brought in line with Xero (unexpected %(kind)s: %(error)s)",
                                         doc=move.name, kind=type(exc).__name__, error=exc)
                    results[remote_id] = ("error", message, move)
                    _logger.warning("Xero inbound: %s", message)
                    continue
                # someone changed this document meanwhile (a user, another worker): nothing of it
                # was applied; a later try, on a fresh view, does it — or finds it done
                message = self.env._("%(doc)s: changed in Odoo meanwhile; tried again shortly (%(error)s)",
                                     doc=move.name, error=str(exc).strip().splitlines()[0])
                results[remote_id] = ("retry", message, move)
                _logger.info("Xero inbound: %s", message)
            except (UserError, ValidationError) as exc:
                self.env.invalidate_all()
                message = self.env._("%(doc)s: not brought in line with Xero: %(error)s", doc=move.name, error=exc)
                results[remote_id] = ("error", message, move)
                _logger.info("Xero inbound: %s", message)
            except Exception as exc:  # noqa: BLE001 - one document Odoo cannot follow must not hold up the others
                self.env.invalidate_all()
                message = self.env._("%(doc)s: not brought in line with Xero (unexpected %(kind)s: %(error)s)",
                                     doc=move.name, kind=type(exc).__name__, error=exc)
                results[remote_id] = ("error", message, move)
                _logger.exception("Xero inbound: %s", message)
        return results

    def _conflict_in_view(self, tenant, item, exc):
        """A duplicate PaymentID that this transaction's view already shows linked to another
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
        common case (a document paid in Xero), which goes with the others."""
        _xero_id, move, _link, state, recorded = item
        new, deleted = settlement.payment_changes(state, {pid: link.remote_status for pid, link in recorded.items()})
        if deleted or state["status"] == "VOIDED" or (new and move.state != "posted"):
            return False
        paid = sum(float(p["amount"]) for p in new)
        return not new or move.currency_id.compare_amounts(paid, move.amount_residual) <= 0

    def _apply(self, tenant, items, accounts):
        """Bring Odoo documents in line with their Xero documents: payments deleted in Xero
        cancelled, new ones registered (all of them together), allocations, voids, notes.
        ``items``: [(remote_id, move, link, state, {PaymentID: link} recorded)].
        -> what changed, a sentence per document."""
        notes, todo, announce = {}, [], []
        for _xero_id, move, link, state, recorded in items:
            known = {pid: link.remote_status for pid, link in recorded.items()}
            new, deleted = settlement.payment_changes(state, known)
            notes[move] = [self._cancel_payment(move, recorded[pid]) for pid in deleted]  # first: a voided
            todo += [(move, state, payment, accounts.get(payment["id"])) for payment in new]  # document lost them
            if new:
                announce.append((move, state, new))
        for (move, _state, _payment, _account), note in zip(todo, self._register_payments(tenant, todo), strict=True):
            notes[move].append(note)
        for _xero_id, move, link, state, _recorded in items:
            for allocation in state["allocations"]:
                note = self._reflect_allocation(tenant, move, allocation)
                if note:
                    notes[move].append(note)
            if state["status"] == "VOIDED":
                notes[move] += self._voided(tenant, move)
            if link.remote_status != state["status"]:
                link.remote_status = state["status"]
        self._announce_payments(tenant, [(move, state, new) for move, state, new in announce
                                         if move.state == "posted"])
        messages = []
        for _xero_id, move, _link, state, _recorded in items:
            odoo_due = move.amount_residual if move.state == "posted" else 0.0
            if move.state == "posted" and move.currency_id.compare_amounts(odoo_due, float(state["amount_due"])) \
                    and state["status"] != "VOIDED":
                notes[move].append(self.env._("Xero says %(xero)s is due, Odoo %(odoo)s",
                                              xero=self._money(move, state["amount_due"]),
                                              odoo=self._money(move, odoo_due)))
            messages.append(("%s: %s." % (move.name, "; ".join(notes[move]))) if notes[move]
                            else self._in_line(move))
        return messages

    def _in_line(self, move):
        """The outcome of a document that needed no change."""
        return self.env._("%s: already in line with Xero.", move.name)

    def _register_payments(self, tenant, todo):
        """Register Xero payments in Odoo, all of them together: what Odoo's Register payment
        does (account.payment.register._create_payments: create, post, reconcile with the
        document's receivable / payable lines, link the payment to the document) with one
        create, one post and one reconciliation plan for the whole batch instead of a wizard,
        a journal entry and a reconciliation per payment. Each payment is linked to its
        PaymentID (a unique index: never twice). ``todo``: [(move, state, payment, Xero bank
        account or None)]. -> a note per payment. Raises UserError (nothing recorded) if a
        document is not posted or would be paid more than Odoo expects."""
        if not todo:
            return []
        due, journals, vals_list = {}, {}, []
        for move, _state, payment, account in todo:
            if move.state != "posted":
                raise UserError(self.env._("it is not posted in Odoo, so the Xero payment of %s cannot be recorded.",
                                           self._money(move, payment["amount"])))
            residual = due.get(move, move.amount_residual)
            if move.currency_id.compare_amounts(float(payment["amount"]), residual) > 0:
                raise UserError(self.env._(
                    "Xero recorded a payment of %(amount)s, more than the %(due)s Odoo still expects. "
                    "Nothing was recorded: compare the document in both.",
                    amount=self._money(move, payment["amount"]), due=self._money(move, residual)))
            due[move] = residual - float(payment["amount"])
            key = (move.company_id.id, (account or {}).get("AccountID"))
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
            "remote_id": payment["id"], "remote_parent_id": state["id"], "remote_status": "AUTHORISED",
            "remote_name": payment["reference"] or state["number"], "remote_code": (account or {}).get("Code") or False}
            for (_move, state, payment, account), odoo_payment in zip(todo, payments, strict=True)])
        payments._message_log_batch({odoo_payment.id: self.env._("Recorded from Xero (payment %s).", payment["id"])
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
        # the note _announce_payments logs on each document ("… paid in Xero (£100.00)") is its
        # message about the payment: Odoo's own Payment status tracking message, a second one
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
        base = settlement.base_amount(payment) if move.currency_id != move.company_currency_id else None
        if base is not None:
            # Xero's amount in the company's currency, at Xero's rate of the payment (Register
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

    def _cancel_payment(self, move, link):
        payment = self.env["account.payment"].sudo().browse(link.res_id).exists()
        link.remote_status = "DELETED"
        if not payment or payment.state == "canceled":
            return self.env._("payment %s deleted in Xero (already cancelled in Odoo)", link.remote_id)
        payment.action_draft()
        payment.action_cancel()
        payment.message_post(body=self.env._("Cancelled: the payment was deleted in Xero."),
                             message_type="notification")
        return self.env._("payment %(payment)s of %(amount)s cancelled (deleted in Xero)", payment=payment.name,
                          amount=self._money(move, payment.amount))

    def _reflect_allocation(self, tenant, move, allocation):
        """A credit note allocated to an invoice in Xero: reconcile the two in Odoo (when both
        are known and not reconciled together yet)."""
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
        return self.env._("%(other)s allocated in Xero (%(amount)s): reconciled", other=other.name,
                          amount=self._money(move, allocation["amount"]))

    def _voided(self, tenant, move):
        notes = []
        if not move.ledger_voided:
            move.ledger_voided = True
            move.message_post(body=self.env._("Voided in Xero (%s).", tenant.name), message_type="notification")
            notes.append(self.env._("voided in Xero"))
        if tenant.cancel_voided_invoices and move.state == "posted":
            inbound = move.with_context(xero_inbound=True)  # Xero already voided it: nothing to send back
            inbound.button_draft()
            inbound.button_cancel()
            notes.append(self.env._("cancelled in Odoo"))
        return notes

    def _announce_payments(self, tenant, paid):
        """"INV/2026/00042 paid in Xero (£2,400.00)": a note on each document (logged together),
        or a message to its salesperson and followers when the organisation asks for it.
        ``paid``: [(move, state, new payments)]."""
        bodies = {}
        for move, _state, new in paid:
            amount = sum(p["amount"] for p in new)
            if move.payment_state in ("paid", "in_payment"):
                bodies[move] = self.env._("%(doc)s paid in Xero (%(amount)s)", doc=move.name,
                                          amount=self._money(move, amount))
            else:
                bodies[move] = self.env._("%(doc)s partly paid in Xero (%(amount)s, %(due)s still due)",
                                          doc=move.name, amount=self._money(move, amount),
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
        """The journal of the Xero bank account if mapped, else the organisation's default,
        else the company's first bank journal."""
        if account and account.get("AccountID"):
            mapped = self.env["ledger.account"].sudo().search([
                ("tenant_id", "=", tenant.id), ("account_id", "=", account["AccountID"].lower()),
                ("journal_id", "!=", False)], limit=1)
            if mapped:
                return mapped.journal_id
        journal = tenant.payment_journal_id or self.env["account.journal"].sudo().search([
            ("company_id", "=", move.company_id.id), ("type", "=", "bank")], limit=1)
        if not journal:
            raise UserError(self.env._("There is no bank journal in %s to record Xero payments in "
                                       "(set one on the Xero organisation).", move.company_id.name))
        return journal

    @staticmethod
    def _money(move, value):
        return formatLang(move.env, float(value), currency_obj=move.currency_id)

    def _apply_later(self, tenant, kind, xero_ids):
        """Documents someone changed while the poll (or a manual pull) applied them: handed to
        the event queue, as if Xero had sent an event — applied again on a fresh view, with
        the queue's attempts, back-off and visible give-up."""
        if not xero_ids:
            return
        Event = self.env["ledger.event"].sudo()
        ledger_tenant = tenant.remote_id.lower()
        now = fields.Datetime.now().strftime("%Y-%m-%dT%H:%M:%S.%f")
        stored = Event._store([{"tenant_id": ledger_tenant, "category": EVENT_CATEGORY[kind], "event_type": "UPDATE",
                                "resource_id": remote_id, "event_date": now} for remote_id in xero_ids],
                              Event._tenants_by_xero_id({ledger_tenant}))
        if stored:
            Event._trigger_worker()

    # --- the safety net ---------------------------------------------------------------------------
    @api.model
    def _cron_poll(self, commit=True, max_seconds=POLL_SECONDS):
        """Ask each organisation for the invoices and credit notes modified since the last
        check (If-Modified-Since, a page of 100 per call) and apply them: what a lost or
        disabled webhook missed is caught up here. A month-end of payments the webhooks missed
        is applied in time-sized units, each committed (see ``_poll``); a poll that ran out of
        time wakes its job again, as the queues do."""
        deadline = time.monotonic() + max_seconds
        unfinished = busy = False
        tenants = self.env["ledger.tenant"].sudo().search([("state", "=", "connected"), ("company_id", "!=", False)])
        for tenant in tenants:
            if time.monotonic() >= deadline:
                unfinished = True
                break
            if not self._try_tenant_lock(tenant):
                busy = True  # a check, or event workers, serve it right now: looked at again soon
                continue
            try:
                unfinished |= not self._poll(tenant, deadline=deadline, commit=commit)
            except XeroError as exc:
                _logger.warning("Xero poll of %s failed: %s", tenant.name, exc)
                tenant.last_error = str(exc)
            except Exception:  # noqa: BLE001 - one organisation's failure must not stop the others'
                _logger.exception("Xero poll of %s failed unexpectedly", tenant.name)
                self.env.invalidate_all()
            if commit:
                # ends the transaction: the organisation's lock goes with it, and one organisation's
                # poll is kept whatever happens to the next
                self.env.cr.commit()  # pylint: disable=invalid-commit
        if commit and (unfinished or busy):
            # out of time: at once; an organisation busy (a month-end of events can hold it for
            # minutes): in a minute, not at once — the job would spin on its lock
            self.env.ref("psa_xero_connector.ir_cron_xero_poll").sudo()._trigger(
                None if unfinished else fields.Datetime.now() + BUSY_RETRY)

    def _poll(self, tenant, deadline=None, commit=False, applied=None):
        """Apply what changed in Xero since the last check. The documents of each page go in
        units sized like the event worker's claims (what fits in its unit time at this
        process's pace), each in a savepoint and, under the cron, committed: a cron worker
        that outlasts limit_time_real is killed and its transaction lost, and a poll after a
        missed month-end may have hundreds of payments to register. Out of time: -> False, the
        window is kept and the next poll reads it again (what was applied is then in line and
        costs little). Done: -> True. ``applied`` (a list) receives the Xero ids of the
        documents it changed."""
        Event = self.env["ledger.event"]
        started = fields.Datetime.now()
        tenant._xero_read_lock_dates()  # a lock date moved in Xero is known before the next send
        since = tenant.poll_since or started - FIRST_POLL_WINDOW
        header = {"If-Modified-Since": since.strftime("%Y-%m-%dT%H:%M:%S")}
        for kind, collection in COLLECTION.items():
            page = 1
            while True:
                if deadline is not None and time.monotonic() >= deadline:
                    return False
                data, _headers = tenant._call("GET", collection, params={"page": page}, headers=header,
                                              operation="poll %s" % collection, context={"entity": collection})
                docs = (data or {}).get(collection) or []
                unit = Event._claim_size()
                for start in range(0, len(docs), unit):
                    if start and deadline is not None and time.monotonic() >= deadline:
                        return False
                    if not self._poll_unit(tenant, kind, docs[start:start + unit], commit, applied):
                        return False
                if len(docs) < PAGE_SIZE:
                    break
                page += 1
        tenant.poll_since = started - POLL_OVERLAP
        return True

    def _poll_unit(self, tenant, kind, docs, commit, applied=None):
        """Apply ``docs`` in a savepoint; under the cron, commit and take the organisation's
        lock again (the commit released it). Documents changed meanwhile by someone else go
        to the event queue (``_apply_later``); those applied are added to ``applied``.
        -> False when another worker took the lock meanwhile."""
        began = time.monotonic()
        try:
            with self.env.cr.savepoint():
                results = self._apply_documents(tenant, docs)
                self._apply_later(tenant, kind, [x for x, (state, _m, _r) in results.items() if state == "retry"])
                if applied is not None:
                    applied += [remote_id for remote_id, (state, message, move) in results.items()
                                if state == "done" and message != self._in_line(move)]
        except Exception:  # noqa: BLE001 - a failure of one unit must not stop the others' poll
            _logger.exception("Xero poll of %s failed unexpectedly", tenant.name)
            self.env.invalidate_all()
        self.env["ledger.event"]._note_pace(len(docs), time.monotonic() - began)
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
            return self._try_tenant_lock(tenant)
        return True
