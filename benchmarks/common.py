"""What the benchmarks share: run under Odoo's Python, a throwaway database, the harness in
its own process, and an Odoo registry to work in."""

import importlib.util
import os
import socket
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

from tools import devtool, odoo_env  # noqa: E402


def _imports_odoo():
    """Whether this Python imports Odoo itself: not only a namespace ``odoo`` (pip's OCA addon
    wheels make site-packages/odoo/addons, an ``odoo`` without Odoo in it)."""
    try:
        return importlib.util.find_spec("odoo.release") is not None
    except ImportError:
        return False


def under_odoo_python():
    """-> Odoo info; re-executes this script under Odoo's Python when needed."""
    info = odoo_env.find_odoo()
    # a virtualenv's python is a link to the same binary: compare what it can import, not paths
    if "odoo" not in sys.modules and not _imports_odoo() and not os.environ.get("PSA_XERO_BENCH_REEXEC"):
        os.execve(info.python, [info.python] + sys.argv, info.env({"PSA_XERO_BENCH_REEXEC": "1"}))
    return info


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def odoo_server(info, db, port, workers, output=subprocess.DEVNULL, cron_threads=1):
    """A real Odoo server (``workers`` HTTP worker processes, ``cron_threads`` cron workers) on ``db``.
    Odoo's script, not ``python -m odoo``, and a gevent port of its own: otherwise the
    server's gevent worker fails to start and is respawned several times a second (see
    tools/odoo_server.server_launcher), eating the CPU the cron worker needs."""
    from tools.odoo_server import server_launcher
    return subprocess.Popen(server_launcher(info) + [
        "-d", db, "--addons-path", info.addons_path, "--http-interface", "127.0.0.1",
        "--http-port", str(port), "--gevent-port", str(free_port()), "--log-level", "warn",
        "--workers", str(workers), "--max-cron-threads", str(cron_threads)],
        env=info.env(), stdout=output, stderr=subprocess.STDOUT)


class Bench:
    """Context manager: database (given or throwaway), harness process, Odoo registry."""

    def __init__(self, info, db=None, harness_args=("--seed", "demo")):
        self.info, self.given_db = info, db
        self.db = db or "psa_xero_bench_%d" % os.getpid()
        self.harness_args = list(harness_args)
        self.base = None
        self.harness = None

    def __enter__(self):
        import requests
        if not self.given_db:
            devtool.install_addon(self.info, self.db)
        port = free_port()
        self.base = "http://127.0.0.1:%d" % port
        self.harness = subprocess.Popen([sys.executable, "-m", "harness", "serve", "--port", str(port)]
                                        + self.harness_args, cwd=REPO, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT, env=self.info.env())
        for _ in range(100):
            try:
                requests.get(self.base + "/__harness__/limits", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        return self

    def connect(self, tenants=None):
        """Register an app at the harness and authorise it: -> token dict."""
        import requests

        from harness.testing import connect
        redirect = "http://odoo.bench/xero/oauth/callback"
        requests.post(self.base + "/__harness__/clients", json={
            "client_id": "bench", "client_secret": "bench-secret", "redirect_uris": [redirect]})
        return connect(self.base, "bench", "bench-secret", redirect, [
            "offline_access", "accounting.transactions", "accounting.contacts", "accounting.settings"],
            tenants=tenants)

    def registry(self):
        from odoo.modules.registry import Registry
        from odoo.tools import config
        config.parse_config(["-d", self.db, "--addons-path", self.info.addons_path, "--log-level", "warn"])
        return Registry(self.db)

    def tenant(self, env, token, tenant_id, company):
        """Point the addon at the harness and create a connected tenant for ``company``, which
        keeps its books in GBP as the harness's demo organisations do."""
        from odoo import fields
        gbp = env.ref("base.GBP")
        gbp.active = True
        if company.currency_id != gbp:
            company.currency_id = gbp
        for key, value in {"client_id": "bench", "client_secret": "bench-secret",
                           "token_url": self.base + "/identity/connect/token",
                           "connections_url": self.base + "/connections",
                           "api_url": self.base + "/api.xro/2.0"}.items():
            env["ir.config_parameter"].set_param("psa_xero_connector." + key, value)
        connection = env["ledger.connection"].create({
            "name": "bench", "access_token": token["access_token"], "refresh_token": token["refresh_token"],
            "access_expires_at": fields.Datetime.add(fields.Datetime.now(), seconds=1700)})
        return env["ledger.tenant"].create({"name": "Bench org", "remote_id": tenant_id,
                                          "connection_id": connection.id, "company_id": company.id})

    def __exit__(self, *exc):
        if self.harness:
            self.harness.terminate()
            self.harness.wait(timeout=10)
        if not self.given_db:
            devtool.drop_db(self.db)
