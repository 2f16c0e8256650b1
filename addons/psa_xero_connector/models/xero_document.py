"""Xero's side of documents (ledger.document.mixin, the core's): which tax type a line carries
for a tenant, and what Xero would refuse in a document, said before sending (lines, lock dates:
see xero/presend.py), currencies, tracking and the link back to Odoo."""

from markupsafe import Markup, escape

from odoo import fields, models
from odoo.tools.misc import format_date

from .. import const
from ..xero import presend, to_xero
from ..xero.errors import XeroError
from ..xero.to_xero import MappingError

ACCOUNT_MAPPING = "Invoicing → Configuration → Xero → Account mapping"
TAX_MAPPING = "Invoicing → Configuration → Xero → Tax mapping"
TENANTS = "Invoicing → Configuration → Xero → Tenants"


class LedgerDocumentMixin(models.AbstractModel):
    _inherit = "ledger.document.mixin"
    _description = "Document sent to Xero"

    ledger_tracking_note = fields.Text(
        string="Xero tracking note",
        help="The lines last sent to Xero as several lines because their analytic distribution spreads them "
             "over several options of one tracking category.")

    def _xero_not_sendable(self):
        """Why this document must not be created or updated in Xero as it is *now* (None
        when it may): what is sent is the document's state when it is sent."""
        if self._ledger_sendable():
            return None
        if self.state == "cancel":
            return self.env._("Cancelled in Odoo before it reached Xero: not sent.")
        return self.env._("Back in draft in Odoo before it reached Xero: it is sent when confirmed again.")

    def _xero_record_url(self):
        """The document's page in Odoo, for Xero's "Go to …" link (``Url``): Settings → Xero →
        Link back to Odoo, else web.base.url. ``/odoo/<model>/<id>`` is Odoo 18's own form URL
        (its web client's router opens a model path with a dot as that record's form)."""
        self.ensure_one()
        icp = self.env["ir.config_parameter"].sudo()
        base = icp.get_param(const.PARAM_PREFIX + "record_base_url") or icp.get_param("web.base.url") or ""
        return "%s/odoo/%s/%d" % (base.strip().rstrip("/"), self._name, self.id)

    def _xero_rounding_account(self, tenant):
        """The code of the organisation's rounding account (Xero's system account ROUNDING, as
        last imported), for the rounding line of to_xero.rounding_line; False if unknown."""
        cache = self.env.context.get("ledger_link_cache")
        key = (tenant.id, "rounding account")
        if cache is not None and key in cache:
            return cache[key]
        code = self.env["ledger.account"].sudo().search(
            [("tenant_id", "=", tenant.id), ("system_account", "=", "ROUNDING")], limit=1).code or False
        if cache is not None:
            cache[key] = code
        return code

    def _xero_total_mismatch(self, result):
        """Xero's answer ``result`` totals otherwise than Odoo: -> the sentence naming both
        totals (shown on the document as its Xero error), else None."""
        self.ensure_one()
        total = result.get("Total")
        if total is None or to_xero._dec(total) == to_xero._dec(self.amount_total):
            return None
        return self.env._(
            "Xero totals %(doc)s %(xero)s %(currency)s where Odoo totals it %(odoo)s: Xero kept the document, but "
            "the two disagree. Correct the document in Xero (or in Odoo, then Retry) so that both totals agree.",
            doc=self.display_name, xero=total, odoo=self.amount_total, currency=self.currency_id.name)

    def _xero_tax_type(self, tenant, taxes, label):
        """The one Xero tax type a line's taxes map to (False when untaxed)."""
        Link = self.env["ledger.link"].sudo()
        tax_types = {Link._link_of(tenant, tax).remote_id for tax in taxes} - {False}
        if len(tax_types) > 1:
            raise MappingError(self.env._(
                "Line “%(line)s”: Xero allows one tax type per line; its taxes map to %(types)s. "
                "Map them to one (compound) Xero tax rate.", line=label, types=", ".join(sorted(tax_types))))
        if taxes and not tax_types:
            raise MappingError(self.env._("Line “%(line)s”: the tax %(tax)s is not mapped to a Xero tax type "
                                 "(Xero → Tax mapping).", line=label, tax=", ".join(taxes.mapped("name"))))
        return next(iter(tax_types), False)

    # --- say it before Xero does ------------------------------------------------------------------
    def _xero_presend(self, tenant, values):
        """``values`` as they may go to Xero (the document values of the pure mapping), or
        MappingError with one sentence per thing Xero would refuse. A document dated in a
        locked period is held, or re-dated to the first open day, as the organisation says."""
        self.ensure_one()
        messages = self._xero_presend_problems(tenant, values)
        lock, which = tenant._xero_lock_date()
        if presend.locked(values["kind"], values.get("status"), values.get("date"), lock):
            if tenant.lock_date_policy == "first_open_day":
                values, _new_date = presend.redate(values, lock)
            else:
                messages.insert(0, self.env._(
                    "%(doc)s is dated %(date)s, on or before the %(lock_kind)s of %(org)s in Xero (%(lock)s): Xero "
                    "refuses it. Change the document's date, ask a Xero adviser to move the lock date, or choose "
                    "“Send it dated on the first open day” for Documents dated in a locked period on the "
                    "organisation (%(screen)s).", doc=self.display_name, date=format_date(self.env, values["date"]),
                    lock_kind=self.env._("period lock date") if which == "period"
                    else self.env._("end of year lock date"),
                    org=tenant.name, lock=format_date(self.env, lock), screen=TENANTS))
        if messages:
            raise MappingError("\n".join(messages))
        return values

    def _xero_presend_problems(self, tenant, values):
        """-> [sentence] for each line Xero would refuse. Other checks (a currency the
        organisation has not enabled) add their sentences here."""
        catalog = self._xero_presend_catalog(tenant)
        return [self._xero_problem_sentence(tenant, values, problem)
                for problem in presend.check_lines(values, catalog)]

    def _xero_presend_catalog(self, tenant):
        """What the import keeps of the organisation, read once per batch (the outbox's
        ``ledger_link_cache``) -> presend.check_lines' catalog."""
        cache = self.env.context.get("ledger_link_cache")
        key = (tenant.id, "presend catalog")
        if cache is not None and key in cache:
            return cache[key]
        env = self.env(su=True)
        domain = [("tenant_id", "=", tenant.id)]
        accounts = {a.code: {"active": a.active, "type": a.account_type, "class": a.account_class,
                             "system_account": a.system_account}
                    for a in env["ledger.account"].with_context(active_test=False).search(domain) if a.code}
        tax_rates = {r.tax_type: {"active": r.active, "can_apply": {
            "REVENUE": r.can_apply_to_revenue, "EXPENSE": r.can_apply_to_expenses, "ASSET": r.can_apply_to_assets,
            "LIABILITY": r.can_apply_to_liabilities, "EQUITY": r.can_apply_to_equity}}
            for r in env["ledger.tax.rate"].with_context(active_test=False).search(domain)}
        items = {i.code: {"sales_account_code": i.sales_account_code, "purchase_account_code": i.purchase_account_code}
                 for i in env["ledger.item"].with_context(active_test=False).search(domain)}
        catalog = {"accounts": accounts, "tax_rates": tax_rates, "items": items}
        if cache is not None:
            cache[key] = catalog
        return catalog

    def _xero_problem_sentence(self, tenant, values, problem):
        """One problem of presend.check_lines, said with the Odoo document, line and record
        and the screen that fixes it."""
        line = values["lines"][problem["line"] - 1]
        where = self.env._("%(doc)s, line %(n)s “%(label)s”", doc=self.display_name, n=problem["line"],
                           label=(line.get("description") or "")[:60])
        if problem["source"] == "item":
            source = self.env._("the Xero item %(item)s of %(product)s", item=problem["item_code"],
                                product=line.get("product") or "-")
            fix_account = self.env._("choose another item on the product's Xero tab (or the organisation's "
                                     "catch-all items, %s), or import the items again", TENANTS)
        else:
            source = self.env._("the Odoo account %s", line.get("odoo_account") or "-")
            fix_account = self.env._("map %(account)s to another Xero account in %(screen)s",
                                     account=line.get("odoo_account") or "-", screen=ACCOUNT_MAPPING)
        kind, code, org = problem.kind, problem.get("account_code"), tenant.name
        if kind == presend.NO_ACCOUNT:
            return self.env._(
                "%(where)s: no Xero account code (Xero would answer “Account code or ID must be specified”): the Odoo "
                "account %(account)s is not mapped to a Xero account of %(org)s and the line has no Xero item with "
                "one. Map it in %(screen)s, or give the product a Xero item.", where=where,
                account=line.get("odoo_account") or "-", org=org, screen=ACCOUNT_MAPPING)
        if kind == presend.ACCOUNT_UNKNOWN:
            return self.env._("%(where)s: the Xero account code %(code)s (%(origin)s) is not in the chart of "
                              "accounts of %(org)s as last imported: %(fix)s.", where=where, code=code,
                              origin=source, org=org, fix=fix_account)
        if kind == presend.ACCOUNT_ARCHIVED:
            return self.env._("%(where)s: the Xero account %(code)s (%(origin)s) is archived in %(org)s: %(fix)s.",
                              where=where, code=code, origin=source, org=org, fix=fix_account)
        if kind == presend.ACCOUNT_NOT_FOR_DOCUMENT:
            return self.env._("%(where)s: the Xero account %(code)s (%(origin)s) is a bank or system account, "
                              "which Xero does not accept on a document line: %(fix)s.",
                              where=where, code=code, origin=source, fix=fix_account)
        taxes = line.get("odoo_taxes") or self.env._("no tax")
        if kind == presend.TAX_ARCHIVED:
            return self.env._("%(where)s: the tax %(taxes)s is mapped to the Xero tax rate %(tax_type)s, which is "
                              "archived in %(org)s: map it to an active rate in %(screen)s.", where=where,
                              taxes=taxes, tax_type=problem["tax_type"], org=org, screen=TAX_MAPPING)
        return self.env._(
            "%(where)s: Xero does not allow the tax rate %(tax_type)s (the tax %(taxes)s) with the account %(code)s "
            "(%(origin)s, class %(class)s): map the tax to another rate in %(screen)s, or %(fix)s.", where=where,
            tax_type=problem["tax_type"], taxes=taxes, code=code, origin=source,
            **{"class": problem.get("account_class") or "-"}, screen=TAX_MAPPING, fix=fix_account)

    def _xero_note_sent(self, tenant, element):
        """Sent dated otherwise than in Odoo (the first open day after a lock date): say so."""
        self.ensure_one()
        own = self._ledger_document_date()
        if own and element.get("Date") and element["Date"] != str(own):
            self.message_post(message_type="notification", body=self.env._(
                "Sent to Xero (%(org)s) dated %(sent)s, the first open day after Xero's lock date; its date in Odoo "
                "is %(own)s.", org=tenant.name, sent=element["Date"], own=format_date(self.env, own)))

    # --- tracking (issue #12) ----------------------------------------------------------------------
    def _xero_with_tracking(self, tenant, values, lines):
        """Add to ``values`` (see to_xero.document_payload) each line's analytic distribution and
        the Xero tracking of the analytic accounts they name; say on the document which lines go
        to Xero split (once per change). ``lines``: the records of ``values["lines"]``, in order."""
        accounts = set()
        for line_values, line in zip(values["lines"], lines, strict=True):
            distribution = line.analytic_distribution or {}
            line_values["analytic_distribution"] = distribution
            accounts.update(int(a) for key in distribution for a in str(key).split(",") if a.strip().isdigit())
        # deleted accounts: dropped by _xero_tracking
        values["tracking"] = self.env["ledger.tracking.option"]._xero_tracking(tenant, sorted(accounts), self) \
            if accounts else {}
        splits = to_xero.tracking_splits(values)
        note = "\n".join("%s: %s" % (label, "; ".join("%s %% %s" % share for share in shares))
                          for label, shares in splits) or False
        if note != (self.ledger_tracking_note or False):
            self.sudo().ledger_tracking_note = note
            if note:
                items = Markup("").join(Markup("<li>%s</li>") % escape(line) for line in note.split("\n"))
                self.sudo().message_post(body=Markup("%s<ul>%s</ul>") % (self.env._(
                    "Sent to %(org)s as several lines: Xero allows one option per tracking category on a line, so "
                    "each line spread over several analytic accounts of one plan goes as one Xero line per share, "
                    "the amounts adding up to Odoo's to the cent.", org=tenant.name), items),
                    message_type="notification")
        return values

    def _xero_currency_values(self, tenant, currency, rate):
        """The currency part of the document's values for ``to_xero.document_payload``, after
        the checks Xero would otherwise fail on or get wrong: the company's currency must be
        the organisation's base currency; a foreign currency needs an Odoo rate (Odoo falls back
        to 1.0 without one) and must be in the organisation — or is added to it, as its
        *Currencies missing in Xero* setting says. Raises MappingError naming the fix."""
        self.ensure_one()
        # the document's currency first: read with those of the batch's other documents (and the
        # company's), in one query
        currency_name = currency.name
        company_currency = self.company_id.currency_id
        base = tenant.base_currency
        if base and company_currency.name != base:
            raise MappingError(self.env._(
                "%(doc)s: %(company)s keeps its books in %(ours)s but %(org)s's base currency in Xero is "
                "%(base)s; their amounts would not agree. Connect the company to an organisation in %(ours)s.",
                doc=self.display_name, company=self.company_id.name, ours=company_currency.name, org=tenant.name,
                base=base))
        if currency == company_currency:
            return {"currency": currency_name}
        # Odoo takes 1.0 for a currency without a rate (the document's rate is then 1.0, or the
        # company currency's rate when that one has a rate): look, once per currency and build
        cache = self.env.context.get("ledger_link_cache")
        if cache is None:
            cache = {}
        key = ("rate known", currency.id, self.company_id.root_id.id)
        if key not in cache:
            cache[key] = bool(self.env["res.currency.rate"].sudo().search_count([
                ("currency_id", "=", currency.id), ("company_id", "in", [False, self.company_id.root_id.id])],
                limit=1))  # Odoo's _get_rates: any rate of the currency, else 1.0
        if not cache[key]:
            raise MappingError(self.env._(
                "%(doc)s is in %(currency)s but Odoo has no %(currency)s rate, so it would be sent at 1.0. "
                "Add the rate (Invoicing → Configuration → Currencies), then Retry.",
                doc=self.display_name, currency=currency.name))
        tenant = tenant.with_env(self.env)  # the outbox build's cache (see _xero_has_currency)
        try:
            if not tenant._xero_has_currency(currency.name):
                if tenant.missing_currency_policy != "enable":
                    raise MappingError(self.env._(
                        "%(doc)s is in %(currency)s, which %(org)s has not added in Xero. Add %(currency)s in "
                        "Xero (Settings → Currencies → Add currency) and press Retry, or set “Currencies missing "
                        "in Xero” to “Add it in Xero” on the organisation (Xero → Tenants).",
                        doc=self.display_name, currency=currency.name, org=tenant.name))
                tenant._xero_add_currency(currency.name)
        except XeroError as exc:
            raise MappingError(self.env._("%(doc)s: could not check %(currency)s in Xero: %(error)s",
                                          doc=self.display_name, currency=currency.name, error=exc)) from exc
        return {"currency": currency_name, "base_currency": company_currency.name, "rate": rate}
