"""Exactly once through a crash (issue #11), on a real Odoo server process and the harness in
its own process: the Odoo server is SIGKILLed (1) while the harness holds its PUT of
documents (a ``slow`` fault) and (2) right after the harness answered that PUT, before Odoo
could read the answer (the server is frozen with SIGSTOP while the harness answers, then
killed). One more document is posted before the worker runs again — so a resend that
regroups rows differently (another Idempotency-Key) shows — then the server restarts with
its cron worker. Every document must be in Xero exactly once and *Synced* in Odoo.

Invoices and vendor bills both: a sales invoice carries its unique number into Xero (a second
copy is refused), a bill does not (Xero has no unique bill number: a second PUT is a second
bill). Bills are matched in Xero by their Reference (Odoo's number, see xero/to_xero.py),
invoices by InvoiceNumber.
"""

import os
import time

import pytest

from harness.seed import DEMO_ORGS
from tools import devtool, odoo_env
from tools.odoo_server import (
    Harness,
    OdooServer,
    Rpc,
    connect_xero,
    copy_db,
    drop_db,
    log_path,
    outbox_pending,
    set_up_tenant,
    wait_outbox_empty,
)

NORTHWIND = dict(DEMO_ORGS)["Northwind IT Services"]
HELD_PUT = {"method": "PUT", "path": "/Invoices$", "tenant": NORTHWIND}


@pytest.fixture(scope="module")
def info():
    return odoo_env.find_odoo()


@pytest.fixture(scope="module")
def template(info):
    """The addon installed once; each scenario works on a copy."""
    db = "psa_xero_crash_tpl_%d" % os.getpid()
    devtool.install_addon(info, db)
    yield db
    drop_db(db)


class Scenario:
    """A fresh database copy, a harness, an Odoo server with one cron thread, organisation A
    connected through OAuth, set up to sync customers, suppliers, invoices and bills."""

    def __init__(self, info, template, name, workers):
        self.info, self.name = info, name
        self.db = "psa_xero_crash_%s_%d" % (name, os.getpid())
        copy_db(template, self.db)
        self.server = OdooServer(info, self.db, workers=workers, cron_threads=1,
                                 log_file=log_path("crash-%s-odoo.log" % name))
        if os.path.exists(self.server.log_file):
            os.remove(self.server.log_file)
        self.harness = Harness(info, self.server.url + "/xero/oauth/callback",
                               log_file=log_path("crash-%s-harness.log" % name))
        self.server.start()
        self.rpc = Rpc(self.server.url)
        tenants = connect_xero(self.rpc, self.harness.url, [NORTHWIND])
        company = self.rpc.call("res.users", "search_read", [["login", "=", "admin"]], ["company_id"])[0]
        self.company_id = company["company_id"][0]
        set_up_tenant(self.rpc, tenants[NORTHWIND], self.company_id)
        self.moves = []

    def partners(self):
        call = self.rpc.call
        customers = [call("res.partner", "create", {
            "name": "Crash Customer %s %d" % (self.name, n), "is_company": True, "customer_rank": 1,
            "child_ids": [[0, 0, {"name": "Payer %d" % n, "type": "invoice", "email": "p%d@crash.example" % n}]]})
            for n in range(2)]
        suppliers = [call("res.partner", "create", {"name": "Crash Supplier %s %d" % (self.name, n),
                                                    "is_company": True, "supplier_rank": 1})
                     for n in range(2)]
        return customers, suppliers

    def post(self, docs):
        """docs: [(move_type, partner, amount)] — created and posted in ONE transaction, so
        the outbox worker finds them together."""
        ids = self.rpc.call("account.move", "create", [{
            "move_type": move_type, "partner_id": partner, "invoice_date": "2026-11-20",
            "invoice_date_due": "2026-12-20", "ref": "SUP-%s-%d" % (self.name, amount) if move_type == "in_invoice"
            else False,
            "invoice_line_ids": [[0, 0, {"name": "Crash line", "quantity": 1, "price_unit": amount,
                                         "tax_ids": [[5]]}]]} for move_type, partner, amount in docs])
        self.rpc.call("account.move", "action_post", ids)
        self.moves += ids
        return ids

    def wait_fault_fired(self, timeout=60):
        """Until the harness has taken the held PUT (it is inside its ``slow`` delay)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if any(e["kind"] == "slow" for e in self.harness.admin.get("/faults/log")["fired"]):
                return
            time.sleep(0.05)
        raise AssertionError("the worker never sent its PUT of documents (see %s)" % self.server.log_file)

    def wait_put_answered(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if [r for r in self.harness.admin.get("/requests")
                    if r["method"] == "PUT" and r["path"].split("?")[0].endswith("/Invoices")]:
                return
            time.sleep(0.05)
        raise AssertionError("the harness never answered the held PUT")

    def one_more_then_restart(self, partner):
        """Post one more bill while no worker runs (server without cron threads), then the
        real restart with the cron worker."""
        self.server.start(cron_threads=0)
        self.rpc = Rpc(self.server.url)
        self.post([("in_invoice", partner, 999)])
        assert outbox_pending(self.rpc) >= 1
        self.server.stop()
        self.server.start()
        self.rpc = Rpc(self.server.url)  # loads the registry, which the cron worker needs
        self.server.wake_crons()  # the rows' triggers are due: no need to wait a minute

    def check_exactly_once(self):
        settled = wait_outbox_empty(self.rpc, timeout=90)
        moves = self.rpc.call("account.move", "read", self.moves,
                              ["name", "ref", "move_type", "ledger_sync_state", "ledger_sync_message"])
        invoices = self.harness.admin.records("invoice", NORTHWIND)
        problems = []
        for move in moves:
            if move["move_type"] == "out_invoice":
                copies = [i for i in invoices if i["Type"] == "ACCREC" and i.get("InvoiceNumber") == move["name"]]
            else:
                copies = [i for i in invoices if i["Type"] == "ACCPAY" and i.get("Reference") == move["name"]]
            if len(copies) != 1:
                problems.append("%s is %d times in Xero" % (move["name"], len(copies)))
            if move["ledger_sync_state"] != "done":
                problems.append("%s is %r in Odoo: %s" % (move["name"], move["ledger_sync_state"],
                                                          move["ledger_sync_message"]))
        names = {m["name"] for m in moves}
        strays = [i.get("InvoiceNumber") or i.get("Reference") for i in invoices
                  if (i.get("InvoiceNumber") if i["Type"] == "ACCREC" else i.get("Reference")) not in names]
        if strays:
            problems.append("in Xero but not in Odoo: %s" % strays)
        if not settled:
            problems.append("the outbox still had %d rows waiting after 90 s" % outbox_pending(self.rpc))
        assert not problems, "not exactly once after the crash:\n  " + "\n  ".join(problems)

    def close(self):
        try:
            self.server.kill()
        finally:
            self.harness.close()
            drop_db(self.db)


@pytest.fixture
def scenario(request, info, template):
    name, workers = request.param
    made = Scenario(info, template, name, workers)
    yield made
    made.close()


def documents(customers, suppliers):
    return [("out_invoice", customers[0], 110), ("out_invoice", customers[1], 120),
            ("in_invoice", suppliers[0], 210), ("in_invoice", suppliers[1], 220),
            ("in_invoice", suppliers[0], 230), ("out_invoice", customers[0], 130)]


@pytest.mark.parametrize("scenario", [("held", 0)], indirect=True)
def test_sigkill_while_xero_holds_the_put(scenario):
    customers, suppliers = scenario.partners()
    assert wait_outbox_empty(scenario.rpc, timeout=60), "the contacts were not sent"
    scenario.harness.admin.fault("slow", delay=3, **HELD_PUT)
    scenario.post(documents(customers, suppliers))
    scenario.wait_fault_fired()
    scenario.server.kill()                 # mid-PUT: Xero goes on and applies it
    scenario.wait_put_answered()
    scenario.one_more_then_restart(suppliers[1])
    scenario.check_exactly_once()


@pytest.mark.parametrize("scenario", [("answered", 2)], indirect=True)
def test_sigkill_right_after_xero_answered(scenario):
    customers, suppliers = scenario.partners()
    assert wait_outbox_empty(scenario.rpc, timeout=60), "the contacts were not sent"
    scenario.harness.admin.fault("slow", delay=1.5, **HELD_PUT)
    scenario.post(documents(customers, suppliers))
    scenario.wait_fault_fired()
    scenario.server.freeze()               # Odoo holds still while Xero answers ...
    scenario.wait_put_answered()
    time.sleep(0.2)                        # ... the answer is in Odoo's socket, unread
    scenario.server.kill()                 # ... and it dies before reading it
    scenario.one_more_then_restart(suppliers[1])
    scenario.check_exactly_once()


@pytest.mark.parametrize("scenario", [("control", 0)], indirect=True)
def test_control_same_flow_without_a_crash(scenario):
    """The same documents with no crash (and a graceful restart) are each once in Xero and
    Synced: what the two tests above find is the crash's doing, not the set-up's."""
    customers, suppliers = scenario.partners()
    assert wait_outbox_empty(scenario.rpc, timeout=60), "the contacts were not sent"
    scenario.post(documents(customers, suppliers))
    assert wait_outbox_empty(scenario.rpc, timeout=60)
    scenario.server.stop()                 # a graceful stop instead of a crash
    scenario.one_more_then_restart(suppliers[1])
    scenario.check_exactly_once()
