"""Xero's limits on the ledger queue (``ledger.queue``, the core's mechanism).

Besides each organisation's own minute (``rest_until``, neutral), Xero has an app-wide minute:
10,000 calls over every organisation. The whole app rests (``const.APP_REST_PARAM``) on an
``appminute`` 429 or when ``X-AppMinLimit-Remaining`` reaches 0: no Xero organisation is served,
by any worker, until then, and the rows that met the limit wait without spending an attempt.
"""

from odoo import fields, models

from .. import const


class LedgerQueue(models.AbstractModel):
    _inherit = "ledger.queue"

    def _ledger_served_sql(self, now):
        sql, params = super()._ledger_served_sql(now)
        # the app-wide rest, read from its row (never get_param's per-process cache)
        return ("(%s AND (t.code IS DISTINCT FROM 'xero' OR NOT EXISTS ("
                "SELECT 1 FROM ir_config_parameter p WHERE p.key = %%s AND p.value > %%s)))" % sql,
                params + [const.APP_REST_PARAM, fields.Datetime.to_string(now)])

    def _ledger_paused_tenants(self, tenants):
        paused = super()._ledger_paused_tenants(tenants)
        xero = tenants.filtered(lambda t: t.code == "xero")
        if xero and self.env["ledger.tenant"]._app_rest_until():
            paused |= xero  # Xero's app-wide minute is spent (woken when it ends)
        return paused

    def _ledger_rests_tenant(self, tenant, exc):
        if tenant.code != "xero":
            return super()._ledger_rests_tenant(tenant, exc)
        # on the app-wide limit ``ledger.tenant._call`` has made every organisation rest already
        return exc.problem != "appminute"
