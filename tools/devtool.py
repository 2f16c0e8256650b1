"""``./run test`` and ``./run demo`` (standard library only: it runs before anything is installed)."""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

from . import odoo_env, odoo_own, shared_docs
from .i18n_pot import normalise_pot
from .odoo_env import ADDON, CORE_ADDON, FAKE_LEDGER, LABOUR_ADDONS, LABOUR_TESTED, REPO, TEST_ADDONS, Missing

DEMO_DB = "psa_xero_demo"


def say(message):
    print("[run] %s" % message, flush=True)


def odoo_cmd(odoo, *args):
    return odoo.launcher + list(args)


def install_addon(odoo, db, demo=False, log_file=None, extra_modules=(), modules=(ADDON,), addons_path=None):
    """A fresh database with the addon installed (drops ``db`` first if it exists)."""
    drop_db(db)
    args = ["-d", db, "--addons-path", addons_path or odoo.addons_path,
            "-i", ",".join(tuple(modules) + tuple(extra_modules)),
            "--stop-after-init", "--no-http",
            "--log-level", "warn"]
    if not demo:
        args.append("--without-demo=all")
    started = time.time()
    out = subprocess.run(odoo_cmd(odoo, *args), env=odoo.env(), text=True, capture_output=True)
    text = out.stdout + out.stderr
    if log_file:
        with open(log_file, "w") as fh:
            fh.write(text)
    if out.returncode != 0 or " ERROR " in text or "CRITICAL" in text:
        sys.stderr.write(text[-6000:])
        raise SystemExit("[run] installing %s into %s failed (see above)" % (",".join(modules), db))
    say("installed %s into a fresh database %r in %.0f s" % (",".join(tuple(modules) + tuple(extra_modules)), db,
                                                            time.time() - started))


def drop_db(db):
    """Drop a throwaway database, even while a server just stopped still holds a connection
    to it (without --force dropdb refuses, and benchmark databases piled up unseen)."""
    if shutil.which("dropdb"):
        done = subprocess.run(["dropdb", "--if-exists", "--force", db], capture_output=True, text=True)
        if done.returncode:
            print("[run] could not drop database %s: %s" % (db, done.stderr.strip()), file=sys.stderr)


def junit_counts(path):
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    suites = [root] if root.tag == "testsuite" else list(root)
    for suite in suites:
        tests = int(suite.get("tests", 0))
        failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        counts["failed"] += failed
        counts["skipped"] += skipped
        counts["passed"] += tests - failed - skipped
    return counts


def run_pytest(odoo, args, junit, env=None):
    # -rs: each skip's reason in the summary (a test needing ../shared's spec files says where it looked)
    cmd = [odoo.python, "-m", "pytest", "-p", "no:cacheprovider", "--junitxml", junit, "-q", "-rs"] + args
    say(" ".join(cmd))
    return subprocess.run(cmd, cwd=REPO, env=odoo.env(env)).returncode


def prepare(log=say):
    odoo = odoo_env.find_odoo()
    log("Odoo %s: %s" % (odoo.version, " ".join(odoo.launcher)))
    odoo_env.ensure_python_deps(odoo, log)
    odoo_env.ensure_oca_addons(odoo, log)
    odoo_env.ensure_postgres(odoo, log)
    return odoo


LINT_VENV = os.path.join(REPO, "var", "lint")
PRE_COMMIT = "pre-commit==4.7.0"


def run_lint(python=None):
    """OCA's checks (.pre-commit-config.yaml) on every tracked file; 0 when clean.

    pre-commit lives in a virtualenv of its own under var/ (the linters' pins must not touch
    Odoo's Python); each hook installs its own pinned packages from PyPI the first time."""
    if not os.path.exists(os.path.join(REPO, ".git")):  # a directory, or a file in a git worktree
        say("lint: not a git checkout, pre-commit cannot list the files")
        return 1
    bindir = os.path.join(LINT_VENV, "bin")
    if not os.path.exists(os.path.join(bindir, "pre-commit")):
        say("lint: installing %s into %s" % (PRE_COMMIT, LINT_VENV))
        subprocess.run([python or sys.executable, "-m", "venv", LINT_VENV], check=True)
        subprocess.run([os.path.join(bindir, "pip"), "install", "-q", PRE_COMMIT], check=True)
    say("lint: pre-commit run --all-files")
    return subprocess.run([os.path.join(bindir, "pre-commit"), "run", "--all-files", "--show-diff-on-failure",
                           "--color", "never"], cwd=REPO).returncode


def cmd_lint(args):
    code = run_lint()
    say("lint: %s" % ("clean" if code == 0 else "findings above (pre-commit exit %d)" % code))
    return code


def cmd_test(args):
    odoo = prepare()
    if not odoo_env.ensure_browser(say):
        say("WARNING: no Chromium found: the browser test will fail (apt-get install chromium)")
    db = args.db or "psa_xero_test_%d" % os.getpid()
    workdir = os.path.join(REPO, "var", "test")
    os.makedirs(workdir, exist_ok=True)
    env = {"PSA_XERO_ODOO_LAUNCHER": "\x1f".join(odoo.launcher), "PSA_XERO_ODOO_PYTHON": odoo.python,
           "PSA_XERO_ADDONS_PATH": odoo.addons_path}
    results = {}
    own_db = db + "_own"
    labour_db = db + "_labour"
    core_db = db + "_core"
    specs = args.pytest_args if args.part == "odoo-own" else None  # Odoo test tags replacing the selection
    if args.without_connector and args.part != "odoo-own":
        raise SystemExit("[run] --without-connector goes with --part odoo-own")
    try:
        if args.part in ("all", "lint"):
            # a finding fails the run, but the tests still run so one sees everything at once
            results["lint (pre-commit)"] = (run_lint(odoo.python), {"passed": 0, "failed": 0, "skipped": 0})
        if args.part in ("all", "harness"):
            junit = os.path.join(workdir, "harness.xml")
            # paths among the extra arguments narrow the run (tests/client), otherwise all of tests/
            paths = [a for a in args.pytest_args
                     if a.startswith("tests") and os.path.exists(os.path.join(REPO, a.split("::")[0]))]
            code = run_pytest(odoo, ["-p", "no:odoo"] + ([] if paths else ["tests"]) + args.pytest_args, junit, env)
            results["harness and client"] = (code, junit_counts(junit))
        if args.part in ("all", "addon", "odoo-own") and not args.without_connector:
            install_addon(odoo, db, log_file=os.path.join(workdir, "install.log"))
            if args.part != "addon":  # copied before the addon's tests touch the database
                odoo_own.copy_db(db, own_db)
        if args.part in ("all", "addon"):
            junit = os.path.join(workdir, "addon.xml")
            code = run_pytest(odoo, ["--odoo-database", db, "--odoo-addons-path", odoo.addons_path,
                                     "--odoo-http", "--odoo-log-level", "warn",
                                     # a test run for Odoo too: else importing odoo.tests logs an ERROR with a stack
                                     "--odoo-extra", "test-enable",
                                     os.path.join("addons", ADDON, "tests")] + args.pytest_args, junit, env)
            results["addon (Odoo)"] = (code, junit_counts(junit))
        if args.part in ("all", "core"):
            # the core with a fake ledger and no Xero at all: the core needs nothing from a real ledger
            core_path = odoo.addons_path + "," + TEST_ADDONS
            install_addon(odoo, core_db, log_file=os.path.join(workdir, "install-core.log"),
                          modules=(CORE_ADDON, FAKE_LEDGER), addons_path=core_path)
            junit = os.path.join(workdir, "core.xml")
            code = run_pytest(odoo, ["--odoo-database", core_db, "--odoo-addons-path", core_path,
                                     "--odoo-log-level", "warn", "--odoo-extra", "test-enable",
                                     os.path.join("tests", "addons", FAKE_LEDGER, "tests")]
                              + (args.pytest_args if args.part == "core" else []), junit, env)
            results["core with a fake ledger (Odoo)"] = (code, junit_counts(junit))
        if args.part in ("all", "labour"):
            # a database of its own: labour billing brings sale_timesheet and OCA's helpdesk, which the
            # connector's tests and Odoo's own account tests run without
            install_addon(odoo, labour_db, log_file=os.path.join(workdir, "install-labour.log"),
                          extra_modules=LABOUR_ADDONS)
            junit = os.path.join(workdir, "labour.xml")
            code = run_pytest(odoo, ["--odoo-database", labour_db, "--odoo-addons-path", odoo.addons_path,
                                     "--odoo-http", "--odoo-log-level", "warn", "--odoo-extra", "test-enable"]
                              + [os.path.join("addons", name, "tests") for name in LABOUR_TESTED]
                              + (args.pytest_args if args.part == "labour" else []), junit, env)
            results["labour billing (Odoo)"] = (code, junit_counts(junit))
        if args.part in ("all", "odoo-own"):
            name = "Odoo's own (no connector)" if args.without_connector else "Odoo's own (account, purchase)"
            results[name] = odoo_own.run(odoo, own_db, workdir, say, specs, with_connector=not args.without_connector)
    finally:
        if not args.keep_db:
            drop_db(db)
            drop_db(own_db)
            drop_db(labour_db)
            drop_db(core_db)
    total = {"passed": 0, "failed": 0, "skipped": 0}
    failed_runs = []
    for name, (code, counts) in results.items():
        if counts is None or code not in (0,):
            failed_runs.append("%s (exit %s)" % (name, code))
        for key in total:
            total[key] += (counts or {}).get(key, 0)
        say("%-31s %s" % (name, counts))
    if failed_runs and not total["failed"]:
        total["failed"] = len(failed_runs)  # a run that crashed before reporting still fails
    print("total: %(passed)d passed, %(failed)d failed, %(skipped)d skipped" % total, flush=True)
    nothing_ran = not total["passed"] and args.part != "lint"
    return 1 if failed_runs or total["failed"] or nothing_ran else 0


def wait_http(url, timeout=60):
    import urllib.request
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.5)
    return False


DEMO_SETUP = os.path.join(REPO, "tools", "demo_setup.py")
# Odoo's UK chart and VAT for the demo companies; the demo database only (the addon does not
# depend on any localisation).
# Labour billing with OCA's tickets (helpdesk_mgmt_timesheet, requirements-oca.txt): its glue
# modules install themselves.
DEMO_MODULES = ("l10n_uk",) + LABOUR_ADDONS


def cmd_demo(args):
    odoo = prepare()
    harness_url = "http://%s:%d" % (args.host, args.harness_port)
    odoo_url = "http://%s:%d" % (args.host, args.odoo_port)
    # the harness's data of this demo (another database, e.g. a test's, keeps its own)
    var = os.path.join(REPO, "var", "demo" if args.db == DEMO_DB else "demo-" + args.db)
    os.makedirs(var, exist_ok=True)
    harness_db = os.path.join(var, "harness.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(harness_db + suffix):
            os.remove(harness_db + suffix)
    procs = []

    def stop(*_):
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()

    signal.signal(signal.SIGTERM, lambda *a: (stop(), sys.exit(0)))
    # Ctrl-C stops both even when our parent ignored SIGINT (a background job of a script)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        harness = subprocess.Popen(
            [odoo.python, "-m", "harness", "serve", "--host", args.host, "--port", str(args.harness_port),
             "--seed", "demo", "--data", harness_db, "--client-id", "demo-client", "--client-secret", "demo-secret",
             "--redirect-uri", odoo_url + "/xero/oauth/callback", "--redirect-uri", odoo_url + "/xero/signin/callback",
             "--webhook-url", odoo_url + "/xero/webhook",
             "--webhook-key", "demo-webhook-key"], cwd=REPO, env=odoo.env())
        procs.append(harness)
        if not wait_http(harness_url + "/__harness__/limits"):
            raise SystemExit("[run] the harness did not start on %s" % harness_url)
        install_addon(odoo, args.db, log_file=os.path.join(var, "install.log"), extra_modules=DEMO_MODULES)
        xero = {"client_id": "demo-client", "client_secret": "demo-secret",
                "authorize_url": harness_url + "/identity/connect/authorize",
                "token_url": harness_url + "/identity/connect/token",
                "revoke_url": harness_url + "/identity/connect/revocation",
                "connections_url": harness_url + "/connections", "api_url": harness_url + "/api.xro/2.0",
                "openid_configuration_url": harness_url + "/.well-known/openid-configuration",
                "webhook_key": "demo-webhook-key"}
        started = time.time()
        with open(DEMO_SETUP) as fh:
            script = "PARAMS = %r\n%s" % ({"odoo_url": odoo_url, "xero": xero}, fh.read())
        shell = subprocess.run(odoo_cmd(odoo, "shell", "-d", args.db, "--addons-path", odoo.addons_path,
                                         "--no-http", "--log-level", "warn"),
                               input=script, text=True, capture_output=True, env=odoo.env())
        if "configured" not in shell.stdout:
            sys.stderr.write(shell.stdout[-3000:] + shell.stderr[-3000:])
            raise SystemExit("[run] configuring the demo database failed")
        say("two UK companies, their customers, suppliers and products in %.0f s" % (time.time() - started))
        server = subprocess.Popen(odoo_cmd(odoo, "-d", args.db, "--addons-path", odoo.addons_path,
                                           "--http-interface", args.host, "--http-port", str(args.odoo_port),
                                           "--db-filter", "^%s$" % args.db, "--log-level", "warn"),
                                  env=odoo.env())
        procs.append(server)
        if not wait_http(odoo_url + "/web/login", timeout=120):
            raise SystemExit("[run] Odoo did not start on %s" % odoo_url)
        print("""
  PSA Xero Connector demo is running.
    Odoo          %(odoo)s        login: admin   password: admin
    Xero harness  %(harness)s        (the simulated Xero: organisations, invoices, Record payment)
  Two UK companies match the harness's two organisations. Then follow README.md, "The demo":
  Settings → Xero → Connect to Xero → Allow access → companies → Import → switches on → post.
  Ctrl-C stops both.
""" % {"odoo": odoo_url, "harness": harness_url}, flush=True)
        if args.smoke:
            return 0
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


def cmd_readme(args):
    """README.rst from readme/*.md, with Odoo's Python (it has docutils to check the result)."""
    odoo = odoo_env.find_odoo()
    code = 0
    addons = os.path.join(REPO, "addons")
    for name in sorted(os.listdir(addons)):  # every module of this repository with readme/ fragments
        if not os.path.isdir(os.path.join(addons, name, "readme")):
            continue
        cmd = [odoo.python, os.path.join(REPO, "tools", "gen_readme.py"), "--addon-dir", os.path.join(addons, name)]
        code = subprocess.run(cmd + (["--check"] if args.check else []), cwd=REPO, env=odoo.env()).returncode or code
    return code


def export_pot(odoo, db, addon, workdir):
    exported = os.path.join(workdir, addon + ".pot")
    target = os.path.join(REPO, "addons", addon, "i18n", addon + ".pot")
    out = subprocess.run(odoo_cmd(odoo, "-d", db, "--addons-path", odoo.addons_path, "--i18n-export", exported,
                                  "--modules", addon, "--stop-after-init", "--no-http", "--log-level", "warn"),
                         env=odoo.env(), text=True, capture_output=True)
    if out.returncode != 0 or not os.path.exists(exported):
        sys.stderr.write((out.stdout + out.stderr)[-6000:])
        raise SystemExit("[run] exporting the translation template of %s failed (see above)" % addon)
    with open(exported, encoding="utf-8") as fh:
        text = normalise_pot(fh.read())
    os.makedirs(os.path.dirname(target), exist_ok=True)
    current = open(target, encoding="utf-8").read() if os.path.exists(target) else None
    rel = os.path.relpath(target, REPO)
    if current == text:
        say("%s unchanged (%d strings)" % (rel, text.count("\nmsgid ") - 1))
    else:
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(text)
        say("wrote %s (%d strings)" % (rel, text.count("\nmsgid ") - 1))


def cmd_pot(args):
    """i18n/<addon>.pot exported by Odoo itself from a fresh database with only the addon installed
    (and what it depends on), as the test database is: the field labels of inherited mixins depend
    on what is installed."""
    odoo = prepare()
    db = args.db or "psa_xero_pot_%d" % os.getpid()
    workdir = os.path.join(REPO, "var", "pot")
    os.makedirs(workdir, exist_ok=True)
    core_db = db + "_core"
    try:
        # each template from a database with only that addon (and what it depends on): the labels
        # a provider gives the core's fields are the provider's strings, not the core's
        install_addon(odoo, core_db, log_file=os.path.join(workdir, "install-core.log"), modules=(CORE_ADDON,))
        export_pot(odoo, core_db, CORE_ADDON, workdir)
        install_addon(odoo, db, log_file=os.path.join(workdir, "install.log"))
        export_pot(odoo, db, ADDON, workdir)
    finally:
        if not args.keep_db:
            drop_db(db)
            drop_db(core_db)
    return 0


def cmd_check_shared(args):
    """CI's guard: the vendors' spec folders are where the tests will look, else exit 1 (without
    them the checks that need them would be skipped, and CI must run them)."""
    code = shared_docs.check(args.dir, say=say)
    if code:
        say("check-shared: %s must hold %s (the tests would skip what needs them)"
            % (args.dir or shared_docs.base_dir(), " and ".join(n + "/" for n in shared_docs.FOLDERS)))
    return code


def main(argv=None):
    parser = argparse.ArgumentParser(prog="./run", description="Run the demo or every test; make the README.rst "
                                     "or the translation template.")
    sub = parser.add_subparsers(dest="command", required=True)
    test = sub.add_parser("test", help="run every test (harness, addon, Odoo's own) on throwaway databases")
    test.add_argument("--part", choices=("all", "lint", "harness", "addon", "core", "labour", "odoo-own"),
                      default="all",
                      help="core: the ledger-neutral core's tests with a fake ledger (no Xero); "
                           "labour: the labour billing modules' tests (OCA's helpdesk installed); "
                           "odoo-own: Odoo's own account and purchase tests with the connector active "
                           "(extra arguments after -- replace the selection: Odoo test tags)")
    test.add_argument("--without-connector", action="store_true",
                      help="with --part odoo-own: the same tests on a database without the connector")
    test.add_argument("--db", help="database name (default: a throwaway one)")
    test.add_argument("--keep-db", action="store_true", help="keep the test database afterwards")
    test.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    sub.add_parser("lint", help="OCA's checks (ruff, pylint-odoo, module checks) on every tracked file")
    demo = sub.add_parser("demo", help="harness seeded + Odoo with the addon on a fresh database")
    demo.add_argument("--db", default=DEMO_DB)
    demo.add_argument("--host", default="localhost")
    demo.add_argument("--odoo-port", type=int, default=8069)
    demo.add_argument("--harness-port", type=int, default=8070)
    demo.add_argument("--smoke", action="store_true", help="start, check both answer, stop (for tests)")
    readme = sub.add_parser("readme", help="generate the addon's README.rst from its readme/*.md fragments")
    readme.add_argument("--check", action="store_true", help="only say whether README.rst is current")
    pot = sub.add_parser("pot", help="export the addon's translation template (i18n/*.pot) with Odoo")
    pot.add_argument("--db", help="database name (default: a throwaway one)")
    pot.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    shared = sub.add_parser("check-shared", help="say whether the vendors' spec folders (Xero's OpenAPI files, "
                            "Intuit's XSDs) are found; exit 1 if not (CI runs it before the tests)")
    shared.add_argument("--dir", help="the folder holding xero-openapi/ and intuit-qbo-xsd/ (default: $%s, "
                        "else ../shared beside the repository)" % shared_docs.ENV)
    args = parser.parse_args(argv)
    commands = {"test": cmd_test, "lint": cmd_lint, "demo": cmd_demo, "readme": cmd_readme, "pot": cmd_pot,
                "check-shared": cmd_check_shared}
    try:
        return commands[args.command](args)
    except Missing as exc:
        print("[run] %s" % exc, file=sys.stderr, flush=True)
        return 2
