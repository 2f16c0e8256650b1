"""A real Odoo server and a harness, each in its own process, driven from outside — what the
crash tests (tests/repo/test_crash.py) and the chaos benchmark (benchmarks/chaos_bench.py)
share. Runs under Odoo's Python (needs ``requests``); never imports Odoo itself.

- ``Harness``: the harness (``python tools/xero_sim.py serve`` = ``python -m harness serve``)
  on a free port in its own session, with an OAuth app for Odoo;
- ``OdooServer``: ``odoo-bin`` on a free port in its own process group, so that SIGKILL
  reaches its HTTP and cron workers too (``kill``), ``freeze`` (SIGSTOP) to hold it between
  two instructions, ``stop`` (SIGTERM, graceful);
- ``Rpc``: a logged-in JSON-RPC session (``call(model, method, *args, **kwargs)``);
- ``connect_xero``: the addon pointed at the harness and organisations connected through the
  OAuth consent flow, as an admin does it;
- ``copy_db`` / ``drop_db``: a database from a template (an install costs ~30 s, a copy ~1 s).
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time

from . import devtool
from .odoo_env import REPO

CLIENT_ID, CLIENT_SECRET = "crash-client", "crash-secret"


def free_port():
    """A free loopback port (never 8069/8070, which a developer's demo may use)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in (8069, 8070):
            return port


def copy_db(template, db):
    drop_db(db)
    subprocess.run(["createdb", "-T", template, db], check=True, capture_output=True)


def drop_db(db):
    subprocess.run(["dropdb", "--if-exists", "--force", db], capture_output=True)


def server_launcher(info):
    """Odoo's CLI as a script: the prefork server respawns its gevent worker with
    ``[sys.executable, sys.argv[0], "gevent", …]``, and under ``python -m odoo`` argv[0] is
    odoo/__main__.py, which cannot run as a script — the gevent worker then fails and is
    respawned several times a second for as long as the server runs, eating a core."""
    if "-m" not in info.launcher:
        return list(info.launcher)
    for addons in info.addons:
        script = os.path.join(os.path.dirname(os.path.dirname(addons)), "odoo-bin")
        if os.path.isfile(script):
            return [info.python, script]
    return list(info.launcher)


class Harness:
    def __init__(self, info, redirect_uri, args=(), log_file=None):
        self.info, self.port = info, free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        cmd = [info.python, os.path.join(REPO, "tools", "xero_sim.py"), "serve", "--port", str(self.port),
               "--seed", "demo",
               "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET, "--redirect-uri", redirect_uri] + list(args)
        self._log = open(log_file, "w") if log_file else subprocess.DEVNULL
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=info.env(), stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        if not devtool.wait_http(self.url + "/__harness__/limits", timeout=30):
            self.close()
            raise RuntimeError("the harness did not start on %s" % self.url)
        from harness.testing import Admin
        self.admin = Admin(self.url)

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self._log is not subprocess.DEVNULL:
            self._log.close()


class OdooServer:
    def __init__(self, info, db, port=None, workers=0, cron_threads=1, log_file=None, extra=()):
        self.info, self.db = info, db
        self.port = port or free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.workers, self.cron_threads, self.log_file, self.extra = workers, cron_threads, log_file, list(extra)
        self.proc = None

    def start(self, cron_threads=None, timeout=120):
        """Start (again, on the same port); returns once it answers /web/login."""
        if self.proc and self.proc.poll() is None:
            raise RuntimeError("the server is still running: stop() or kill() it first")
        crons = self.cron_threads if cron_threads is None else cron_threads
        cmd = server_launcher(self.info) + [
            "-d", self.db, "--db-filter", "^%s$" % re.escape(self.db), "--addons-path", self.info.addons_path,
            "--http-interface", "127.0.0.1", "--http-port", str(self.port), "--gevent-port", str(free_port()),
            "--workers", str(self.workers), "--max-cron-threads", str(crons), "--log-level", "warn", *self.extra]
        log = open(self.log_file, "a") if self.log_file else subprocess.DEVNULL
        if self.log_file:
            log.write("\n==== start (%d cron threads) %s ====\n" % (crons, time.strftime("%H:%M:%S")))
            log.flush()
        self.proc = subprocess.Popen(cmd, env=self.info.env(), stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)  # its own process group: workers die with it
        if log is not subprocess.DEVNULL:
            log.close()
        if not devtool.wait_http(self.url + "/web/login", timeout=timeout):
            self.kill()
            raise RuntimeError("Odoo did not start on %s (see %s)" % (self.url, self.log_file))
        return self

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def _signal(self, sig):
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass

    def wake_crons(self, timeout=60):
        """NOTIFY cron_trigger, as a commit that triggers a cron does, until the due triggers
        are taken: Odoo's cron workers otherwise sleep up to a minute after a start before
        their first look at the jobs (and a worker that is still booting misses a NOTIFY)."""
        due = ("SELECT count(*) FROM ir_cron_trigger t JOIN ir_cron c ON c.id = t.cron_id "
               "WHERE c.active AND t.call_at <= now() AT TIME ZONE 'UTC'")
        deadline = time.time() + timeout
        while time.time() < deadline:
            # Odoo's cron workers LISTEN on the "postgres" database (see ir.cron._notifydb)
            subprocess.run(["psql", "-q", "-d", "postgres", "-c", "NOTIFY cron_trigger, '%s'" % self.db],
                           capture_output=True)
            time.sleep(1)
            out = subprocess.run(["psql", "-qtA", "-d", self.db, "-c", due], capture_output=True, text=True)
            if out.returncode == 0 and out.stdout.strip() == "0":
                return True
        return False

    def freeze(self):
        """SIGSTOP every process of the server: it holds still between two instructions."""
        self._signal(signal.SIGSTOP)

    def kill(self):
        """SIGKILL the server and its workers (no cleanup, no rollback sent: a crash)."""
        self._signal(signal.SIGKILL)
        if self.proc:
            self.proc.wait(timeout=30)
            self._reap_group()

    def _reap_group(self):
        """Prefork workers are children of the killed master: wait until the group is gone."""
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                return
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                return
            time.sleep(0.1)

    def stop(self):
        """Graceful stop (SIGTERM); SIGKILL if it does not stop in 30 s."""
        if not self.proc or self.proc.poll() is not None:
            return
        self._signal(signal.SIGCONT)
        self._signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
            return
        self._reap_group()


class RpcError(RuntimeError):
    pass


class Rpc:
    def __init__(self, url, login="admin", password="admin"):
        import requests
        self.url = url
        self.http = requests.Session()
        page = self.http.get(url + "/web/login", timeout=60).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        resp = self.http.post(url + "/web/login", timeout=120,
                              data={"login": login, "password": password, "csrf_token": csrf})
        if "/odoo" not in resp.url:
            raise RpcError("login failed: %s" % resp.url)

    def call(self, model, method, *args, **kwargs):
        resp = self.http.post(self.url + "/web/dataset/call_kw", timeout=300, json={
            "jsonrpc": "2.0", "method": "call", "params": {"model": model, "method": method, "args": list(args),
                                                          "kwargs": kwargs}}).json()
        if "error" in resp:
            data = resp["error"].get("data") or {}
            raise RpcError("%s.%s: %s" % (model, method, data.get("message") or resp["error"]))
        return resp.get("result")


def connect_xero(rpc, harness_url, tenants):
    """Point the addon at the harness, connect ``tenants`` (Xero IDs) through the consent page.
    -> {tenant xero id: ledger.tenant id}."""
    from harness.testing import approve_consent
    params = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
              "authorize_url": harness_url + "/identity/connect/authorize",
              "token_url": harness_url + "/identity/connect/token",
              "revoke_url": harness_url + "/identity/connect/revocation",
              "connections_url": harness_url + "/connections", "api_url": harness_url + "/api.xro/2.0"}
    rpc.call("ir.config_parameter", "set_param", "web.base.url", rpc.url)
    rpc.call("ir.config_parameter", "set_param", "web.base.url.freeze", "True")
    for key, value in params.items():
        rpc.call("ir.config_parameter", "set_param", "psa_xero_connector." + key, value)
    start = rpc.http.get(rpc.url + "/xero/oauth/start", allow_redirects=False, timeout=60)
    if start.status_code not in (302, 303):
        raise RpcError("/xero/oauth/start answered %s: %s" % (start.status_code, start.text[:500]))
    back = approve_consent(start.headers["Location"], tenants=list(tenants))
    done = rpc.http.get(back, allow_redirects=False, timeout=120)
    if done.status_code not in (302, 303):
        raise RpcError("the OAuth callback answered %s: %s" % (done.status_code, done.text[:500]))
    found = rpc.call("ledger.tenant", "search_read", [["remote_id", "in", list(tenants)]],
                     ["remote_id", "state"])
    if {t["remote_id"] for t in found if t["state"] == "connected"} != set(tenants):
        raise RpcError("not connected: %r" % found)
    return {t["remote_id"]: t["id"] for t in found}


def set_up_tenant(rpc, tenant_id, company_id, **switches):
    """Company (in GBP, the demo organisations' base currency: Xero refuses documents in a
    currency the organisation has not added), items imported, catch-all items, sync switched
    on (``switches`` override)."""
    gbp = rpc.call("res.currency", "search", [["name", "=", "GBP"]], context={"active_test": False})
    rpc.call("res.currency", "write", gbp, {"active": True})
    rpc.call("res.company", "write", [company_id], {"currency_id": gbp[0]})
    rpc.call("ledger.tenant", "write", [tenant_id], {"company_id": company_id})
    wizard = rpc.call("ledger.import.wizard", "create", {"tenant_id": tenant_id, "import_customers": False,
                                                        "import_suppliers": False})
    rpc.call("ledger.import.wizard", "action_import", [wizard])
    misc = rpc.call("ledger.item", "search", [["tenant_id", "=", tenant_id], ["code", "=", "MISC"]])
    values = {"catchall_invoice_item_id": misc[0], "catchall_purchase_item_id": misc[0],
              "catchall_credit_note_item_id": misc[0], "sync_customers": True, "sync_suppliers": True,
              "sync_invoices": True, "sync_bills": True, "sync_credit_notes": True}
    values.update(switches)
    rpc.call("ledger.tenant", "write", [tenant_id], values)


def outbox_pending(rpc):
    return rpc.call("ledger.outbox", "search_count", [["state", "in", ["queued", "retry"]]])


def wait_outbox_empty(rpc, timeout=90, poll=0.5):
    """-> True once no outbox row is queued or waiting to retry (False after ``timeout``)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if not outbox_pending(rpc):
            return True
        time.sleep(poll)
    return False


def log_path(name):
    folder = os.path.join(REPO, "var", "test")
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, name)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("a library: see tests/repo/test_crash.py and benchmarks/chaos_bench.py")
