"""Install, upgrade, neutralize and uninstall the addon on fresh databases, with and without
demo data, through Odoo's own command line (real Odoo, real PostgreSQL)."""

import os
import subprocess
import uuid

import pytest

from tools import odoo_env

ADDON = odoo_env.ADDON


@pytest.fixture(scope="module")
def odoo():
    launcher = os.environ.get("PSA_XERO_ODOO_LAUNCHER")
    if launcher:  # set by ./run test
        found = odoo_env.Odoo(python=os.environ["PSA_XERO_ODOO_PYTHON"], launcher=launcher.split("\x1f"))
        found.addons_path_override = os.environ["PSA_XERO_ADDONS_PATH"]
        return found
    found = odoo_env.find_odoo()
    found.addons_path_override = found.addons_path
    return found


class Db:
    def __init__(self, odoo, demo):
        self.odoo, self.demo = odoo, demo
        self.name = "psa_xero_lifecycle_%s" % uuid.uuid4().hex[:8]

    def odoo_run(self, *args, stdin=None):
        cmd = self.odoo.launcher + list(args) + ["-d", self.name, "--addons-path",
                                                 self.odoo.addons_path_override, "--log-level", "warn"]
        out = subprocess.run(cmd, input=stdin, text=True, capture_output=True, env=self.odoo.env())
        text = out.stdout + out.stderr
        assert out.returncode == 0 and " ERROR " not in text and "CRITICAL" not in text, text[-5000:]
        return out.stdout

    def shell(self, code):
        return self.odoo_run("shell", "--no-http", stdin=code)

    def sql(self, query):
        out = subprocess.run(["psql", "-tA", "-d", self.name, "-c", query], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    def drop(self):
        subprocess.run(["dropdb", "--if-exists", self.name], capture_output=True)


@pytest.fixture
def make_db(odoo):
    made = []

    def make(demo):
        db = Db(odoo, demo)
        made.append(db)
        return db
    yield make
    for db in made:
        db.drop()


def module_state(db):
    return db.sql("SELECT state FROM ir_module_module WHERE name = '%s'" % ADDON)


def test_install_upgrade_neutralize_uninstall_without_demo(make_db):
    db = make_db(demo=False)
    db.odoo_run("-i", ADDON, "--stop-after-init", "--no-http", "--without-demo=all")
    assert module_state(db) == "installed"
    assert db.sql("SELECT count(*) FROM ir_module_module WHERE name IN ('account', 'purchase') "
                  "AND state = 'installed'") == "2"
    assert db.sql("SELECT to_regclass('ledger_tenant') IS NOT NULL") == "t"
    # upgrade keeps data; from 18.0.1.1.0 it replaces the old default scopes (which asked openid
    # profile email) by today's, and keeps scopes typed by hand
    db.shell("env['ledger.connection'].create({'name': 'kept', 'access_token': 'a', 'refresh_token': 'r'})\n"
             "env['ir.config_parameter'].set_param('psa_xero_connector.scopes', 'openid profile email "
             "offline_access accounting.invoices accounting.payments accounting.contacts accounting.settings')\n"
             "env.cr.commit()\n")
    db.sql("UPDATE ir_module_module SET latest_version = '18.0.1.1.0' WHERE name = '%s'" % ADDON)
    db.odoo_run("-u", ADDON, "--stop-after-init", "--no-http")
    assert db.sql("SELECT name FROM ledger_connection") == "kept"
    assert db.sql("SELECT value FROM ir_config_parameter WHERE key = 'psa_xero_connector.scopes'") == (
        "offline_access accounting.invoices accounting.payments.read accounting.contacts accounting.settings")
    # Sign in with Xero: auth_oauth came with the addon; a user linked to the Xero provider
    assert db.sql("SELECT state FROM ir_module_module WHERE name = 'auth_oauth'") == "installed"
    db.shell("env['res.users'].create({'name': 'Xero person', 'login': 'xp@example.com', 'oauth_uid': 'sub-1', "
             "'oauth_provider_id': env.ref('psa_xero_connector.provider_xero').id})\nenv.cr.commit()\n")
    # a neutralized copy keeps no token and syncs nowhere
    db.odoo_run("neutralize")
    assert db.sql("SELECT coalesce(access_token, '') || coalesce(refresh_token, '') || state "
                  "FROM ledger_connection") == "revoked"
    # uninstall removes the tables, menus and parameters
    db.shell("env['ir.module.module'].search([('name', '=', %r)]).button_immediate_uninstall()\n"
             "env.cr.commit()\n" % ADDON)
    assert module_state(db) == "uninstalled"
    # the core stays (another ledger may use it); Xero's organisations and authorisations go with
    # their ledger's code, and the menus with the Xero addon
    assert db.sql("SELECT state FROM ir_module_module WHERE name = 'psa_ledger'") == "installed"
    assert db.sql("SELECT (SELECT count(*) FROM ledger_tenant) + (SELECT count(*) FROM ledger_connection)") == "0"
    assert db.sql("SELECT count(*) FROM ir_ui_menu WHERE name::text LIKE '%Request log%'") == "0"
    db.shell("env['ir.module.module'].search([('name', '=', 'psa_ledger')]).button_immediate_uninstall()\n"
             "env.cr.commit()\n")
    assert db.sql("SELECT to_regclass('ledger_tenant') IS NULL AND to_regclass('ledger_request_log') IS NULL") == "t"
    # the Xero provider goes; its user stays (unlinked), auth_oauth stays for the other providers
    assert db.sql("SELECT count(*) FROM auth_oauth_provider WHERE body::text LIKE '%Sign in with Xero%'") == "0"
    assert db.sql("SELECT coalesce(oauth_provider_id, 0) FROM res_users WHERE login = 'xp@example.com'") == "0"


def test_install_with_demo_data(make_db):
    db = make_db(demo=True)
    db.odoo_run("-i", ADDON, "--stop-after-init", "--no-http")
    assert module_state(db) == "installed"
    assert db.sql("SELECT demo FROM ir_module_module WHERE name = 'account'") == "t"
    out = db.shell("print('groups', env.ref('base.user_admin').has_group('psa_ledger.group_ledger_manager'))\n")
    assert "groups True" in out
