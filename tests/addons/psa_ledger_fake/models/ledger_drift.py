"""The fake ledger's side of the drift report: read its books, compare contacts and totals."""

from odoo import api, models


class LedgerDrift(models.AbstractModel):
    _inherit = "ledger.drift"

    @api.model
    def _ledger_drift_read(self, tenant, expected, since=None, page_size=None):
        if tenant.code != "fake":
            return super()._ledger_drift_read(tenant, expected, since, page_size)
        books = self.env["psa.ledger.fake.record"].sudo().search([("tenant_key", "=", tenant.remote_id)])
        return {b.remote_id: {"collection": b.collection, "name": b.name, "email": b.email or "",
                              "total": b.total, "status": b.status} for b in books}, 1

    @api.model
    def _ledger_drift_compare(self, tenant, expected, snapshot, linked_ids, deleted):
        if tenant.code != "fake":
            return super()._ledger_drift_compare(tenant, expected, snapshot, linked_ids, deleted)
        out = []
        for odoo in expected:
            if odoo["queued"]:
                continue
            entry = snapshot.get(odoo["remote_id"]) if odoo["remote_id"] else None
            base = {"key": odoo["key"], "name": odoo["name"], "entity": odoo["kind"], "remote_id": odoo["remote_id"],
                    "number": odoo["name"], "candidate": None}
            if entry is None:
                out.append(dict(base, kind="missing_ledger", odoo_value=odoo["name"], remote_value="not found"))
            elif odoo["kind"] == "contact" and (odoo["name"], odoo.get("email") or "") != (entry["name"],
                                                                                         entry["email"]):
                out.append(dict(base, kind="contact", odoo_value="%s <%s>" % (odoo["name"], odoo.get("email") or ""),
                                remote_value="%s <%s>" % (entry["name"], entry["email"])))
            elif odoo["kind"] != "contact" and round(odoo["total"], 2) != round(entry["total"], 2):
                out.append(dict(base, kind="total", odoo_value=str(odoo["total"]), remote_value=str(entry["total"])))
        return out
