"""Finding Odoo 18.0, its Python, its addons, PostgreSQL and Chromium (standard library only).

Odoo is on no package registry, so the project never installs it: it finds it the usual
ways, in this order, and says clearly what is missing.

1. ``ODOO_BIN`` (path of ``odoo-bin`` or of the ``odoo`` script) or ``ODOO_PYTHON`` (a
   Python that can ``import odoo``) in the environment;
2. the Python running this script, if it can ``import odoo``;
3. ``odoo-bin`` on PATH (a source checkout), then ``odoo`` on PATH (the Debian package, the
   official ``odoo:18.0`` image): the Python named on its ``#!`` line.
"""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDON = "psa_xero_connector"
# the ledger-neutral core, and the fake ledger its own tests plug in (a test fixture, not a product
# addon: it lives under tests/addons, on the addons path of the core's test run only)
CORE_ADDON = "psa_ledger"
FAKE_LEDGER = "psa_ledger_fake"
TEST_ADDONS = os.path.join(REPO, "tests", "addons")
# labour billing: its module (it names no ledger), and what its tests install beside it — OCA's
# ticket time (a wheel of requirements-oca.txt) — so that its glue modules auto-install
LABOUR_ADDONS = ("psa_labour_billing", "helpdesk_mgmt_timesheet")
LABOUR_TESTED = ("psa_labour_billing", "psa_labour_billing_xero", "psa_labour_billing_helpdesk")
OCA_REQUIREMENTS = os.path.join(REPO, "requirements-oca.txt")

HOW_TO_GET_ODOO = """\
Odoo 18.0 was not found.
  This project runs inside Odoo 18.0 Community, which is not on PyPI. Get it one of the usual ways:
  - a source checkout: git clone --depth 1 -b 18.0 https://github.com/odoo/odoo /opt/odoo
    then install its requirements into a virtualenv and put odoo-bin on PATH
    (or point ODOO_BIN at it: ODOO_BIN=/opt/odoo/odoo-bin);
  - the Debian/Ubuntu package (odoo_18.0 from nightly.odoo.com): it installs /usr/bin/odoo;
  - Docker: `docker compose up` in this folder uses the official odoo:18.0 image.
  A Python that can `import odoo` may also be named with ODOO_PYTHON=/path/to/python."""


class Missing(RuntimeError):
    """Something the project needs is not on this machine; the message says how to get it."""


@dataclass
class Odoo:
    python: str                     # the interpreter that runs Odoo
    launcher: list                  # argv prefix that runs Odoo's CLI (server, shell, …)
    pythonpath: list = field(default_factory=list)   # what must be on PYTHONPATH for `import odoo`
    addons: list = field(default_factory=list)       # Odoo's own addons folders
    version: str = ""

    def env(self, extra=None, repo=True):
        """The environment Odoo runs in: this checkout first on PYTHONPATH (its ``harness`` wins
        over any installed copy, even one installed from another checkout) unless ``repo`` is False."""
        env = dict(os.environ)
        inherited = [p for p in env.get("PYTHONPATH", "").split(os.pathsep)
                     if p and (repo or os.path.realpath(p) != os.path.realpath(REPO))]
        paths = ([REPO] if repo else []) + self.pythonpath + inherited
        env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
        env.update(extra or {})
        return env

    oca_addons: str = ""                              # where pip put OCA's addons (site-packages/odoo/addons)

    @property
    def addons_path(self):
        oca = [self.oca_addons] if self.oca_addons and os.path.isdir(self.oca_addons) else []
        return ",".join(self.addons + oca + [os.path.join(REPO, "addons")])

    def run_python(self, code, check=True, **kwargs):
        return subprocess.run([self.python, "-c", code], env=self.env(), check=check, text=True,
                              capture_output=True, **kwargs)


def _shebang_python(script):
    try:
        with open(script, "rb") as fh:
            first = fh.readline().decode("utf-8", "replace").strip()
    except OSError:
        return None
    if not first.startswith("#!"):
        return None
    parts = first[2:].split()
    if not parts:
        return None
    if os.path.basename(parts[0]) == "env" and len(parts) > 1:
        return shutil.which(parts[1])
    return parts[0]


def _imports_odoo(python, extra_path=()):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(list(extra_path) + [env.get("PYTHONPATH", "")]).strip(os.pathsep)
    try:
        out = subprocess.run([python, "-c", "import odoo.release as r, odoo, os; "
                              "print(r.version); print(os.path.dirname(odoo.__file__))"],
                             env=env, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    lines = out.stdout.strip().splitlines()
    return (lines[-2], lines[-1]) if len(lines) >= 2 else None


def find_odoo():
    candidates = []  # (python, launcher, pythonpath)
    odoo_bin = os.environ.get("ODOO_BIN")
    if odoo_bin:
        if not os.path.exists(odoo_bin):
            raise Missing("ODOO_BIN=%s does not exist.\n\n%s" % (odoo_bin, HOW_TO_GET_ODOO))
        real = os.path.realpath(odoo_bin)
        python = os.environ.get("ODOO_PYTHON") or _shebang_python(real) or sys.executable
        candidates.append((python, [python, real], [os.path.dirname(real)]))
    elif os.environ.get("ODOO_PYTHON"):
        python = os.environ["ODOO_PYTHON"]
        candidates.append((python, [python, "-m", "odoo"], []))
    else:
        candidates.append((sys.executable, [sys.executable, "-m", "odoo"], []))
        for name in ("odoo-bin", "odoo"):
            script = shutil.which(name)
            if script:
                real = os.path.realpath(script)
                python = _shebang_python(real)
                if python:
                    candidates.append((python, [python, real], [os.path.dirname(real)]))
    for python, launcher, pythonpath in candidates:
        found = python and _imports_odoo(python, pythonpath)
        if not found:
            continue
        version, package_dir = found
        if not version.startswith("18.0"):
            raise Missing("Found Odoo %s (%s); this addon needs Odoo 18.0.\n\n%s" % (version, python, HOW_TO_GET_ODOO))
        addons = [os.path.join(package_dir, "addons")]
        checkout_addons = os.path.join(os.path.dirname(package_dir), "addons")
        if os.path.exists(os.path.join(checkout_addons, "account", "__manifest__.py")):
            addons.insert(0, checkout_addons)  # a git checkout keeps the apps at the top level
        addons = [a for a in addons if os.path.isdir(a)]
        found = Odoo(python=python, launcher=launcher, pythonpath=pythonpath, addons=addons, version=version)
        found.oca_addons = oca_addons_dir(found)
        return found
    raise Missing(HOW_TO_GET_ODOO)


# --- Python dependencies --------------------------------------------------------------------
REQUIRED_MODULES = {"xero_python": "xero-python", "requests": "requests", "yaml": "PyYAML",
                    "jsonschema": "jsonschema", "pytest": "pytest", "pytest_odoo": "pytest-odoo",
                    "websocket": "websocket-client", "werkzeug": "Werkzeug",
                    "wheel": "wheel"}
HARNESS = os.path.join(REPO, "harness")

INSTALLED_PROBE = """
import importlib.util as u, os
print(' '.join(m for m in %r if u.find_spec(m) is None))
spec = u.find_spec('harness')
print(os.path.realpath(os.path.dirname(spec.origin)) if spec and spec.origin else '-')
"""


def installed_state(odoo):
    """-> (missing modules, folder ``import harness`` resolves to or None), as Odoo's Python
    sees them on its own: without this checkout on PYTHONPATH and outside it, as `odoo-bin`
    run by hand (odoo.sh, runbot, OCA CI) would import them."""
    out = subprocess.run([odoo.python, "-c", INSTALLED_PROBE % (sorted(REQUIRED_MODULES),)], env=odoo.env(repo=False),
                         cwd=os.path.dirname(odoo.python) or "/", text=True, capture_output=True, check=True)
    lines = out.stdout.splitlines()
    return lines[0].split(), (None if lines[1] == "-" else lines[1])


def ensure_python_deps(odoo, log=print):
    """Install requirements.txt into Odoo's Python when something is missing, or when the
    installed ``harness`` is not this checkout's (not installed, a copy, or an editable install
    of another checkout — e.g. an earlier CI clone): the addon's tests import it wherever Odoo
    loads them, and the checkout under test must be the one they get."""
    missing, harness = installed_state(odoo)
    stale = harness != os.path.realpath(HARNESS)
    if not missing and not stale:
        return
    why = [REQUIRED_MODULES[m] for m in missing]
    if stale:
        why.append("harness (%s)" % ("not installed" if not harness else "installed from %s" % harness))
    log("Installing Python requirements into %s (%s)" % (odoo.python, ", ".join(why)))
    # cwd: requirements.txt names the harness as `-e ./harness`, which pip reads from the cwd
    cmd = [odoo.python, "-m", "pip", "install", "-q", "-r", os.path.join(REPO, "requirements.txt")]
    with _pip_lock(odoo):  # several checkouts (worktrees) may share one Odoo Python
        result = subprocess.run(cmd, cwd=REPO, text=True, capture_output=True)
        if result.returncode != 0 and "externally-managed" in (result.stderr + result.stdout):
            result = subprocess.run(cmd + ["--break-system-packages"], cwd=REPO, text=True, capture_output=True)
    if result.returncode != 0:
        raise Missing("Could not install the requirements into %s:\n%s\nInstall them by hand, from this folder: "
                      "%s -m pip install -r requirements.txt" % (odoo.python, result.stderr[-2000:], odoo.python))
    missing, harness = installed_state(odoo)
    if missing or harness != os.path.realpath(HARNESS):
        raise Missing("After installing requirements.txt into %s, still missing: %s; harness from %s (expected %s)"
                      % (odoo.python, ", ".join(missing) or "nothing", harness, HARNESS))


# --- OCA's modules (wheels from PyPI) ---------------------------------------------------------
OCA_PROBE = """
import importlib.metadata as md, json, os, sys
out = {}
for name in sys.argv[1:]:
    try:
        dist = md.distribution(name)
    except md.PackageNotFoundError:
        continue
    out[name] = [dist.version, os.path.realpath(str(dist.locate_file("odoo/addons")))]
print(json.dumps(out))
"""


def oca_pins(path=OCA_REQUIREMENTS):
    """requirements-oca.txt -> {distribution: version}."""
    pins = {}
    if os.path.exists(path):
        with open(path) as fh:
            for line in fh:
                line = line.split("#")[0].strip()
                if "==" in line:
                    name, version = line.split("==", 1)
                    pins[name.strip()] = version.strip()
    return pins


def oca_installed(odoo, pins=None):
    """-> {distribution: [version, addons folder]} of the pinned OCA wheels installed in Odoo's Python."""
    import json
    pins = oca_pins() if pins is None else pins
    if not pins:
        return {}
    out = subprocess.run([odoo.python, "-c", OCA_PROBE] + sorted(pins), env=odoo.env(repo=False),
                         cwd=os.path.dirname(odoo.python) or "/", text=True, capture_output=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def oca_addons_dir(odoo):
    """site-packages/odoo/addons of Odoo's Python when pip has put OCA's addons there. A source
    checkout's ``odoo.addons`` does not look there by itself for Odoo's module list: the folder goes
    on the addons path."""
    try:
        found = oca_installed(odoo)
    except (OSError, subprocess.CalledProcessError, ValueError):
        return ""
    return next((folder for _version, folder in found.values() if os.path.isdir(folder)), "")


def ensure_oca_addons(odoo, log=print):
    """Install requirements-oca.txt's wheels into Odoo's Python with ``--no-deps`` (each wheel
    requires ``odoo``, which pip cannot find: Odoo is a source checkout or a Debian package here),
    when one is missing or at another version; then put their folder on the addons path."""
    pins = oca_pins()
    if not pins:
        return
    found = oca_installed(odoo, pins)
    stale = [name for name, version in pins.items() if found.get(name, [None])[0] != version]
    if stale:
        log("Installing OCA modules into %s (%s)" % (odoo.python, ", ".join(stale)))
        cmd = [odoo.python, "-m", "pip", "install", "-q", "--no-deps", "-r", OCA_REQUIREMENTS]
        with _pip_lock(odoo):
            result = subprocess.run(cmd, cwd=REPO, text=True, capture_output=True)
            if result.returncode != 0 and "externally-managed" in (result.stderr + result.stdout):
                result = subprocess.run(cmd + ["--break-system-packages"], cwd=REPO, text=True, capture_output=True)
        if result.returncode != 0:
            raise Missing("Could not install OCA's modules into %s:\n%s\nBy hand, from this folder: "
                          "%s -m pip install --no-deps -r requirements-oca.txt"
                          % (odoo.python, result.stderr[-2000:], odoo.python))
        found = oca_installed(odoo, pins)
        missing = [name for name, version in pins.items() if found.get(name, [None])[0] != version]
        if missing:
            raise Missing("After installing requirements-oca.txt into %s, still missing: %s"
                          % (odoo.python, ", ".join(missing)))
    odoo.oca_addons = oca_addons_dir(odoo)


class _pip_lock:
    """An exclusive lock per Odoo Python while pip runs in it."""

    def __init__(self, odoo):
        import hashlib
        import tempfile
        key = hashlib.sha1(os.path.realpath(odoo.python).encode()).hexdigest()[:12]
        self.path = os.path.join(tempfile.gettempdir(), "psa-xero-pip-%s.lock" % key)

    def __enter__(self):
        import fcntl
        self.fh = open(self.path, "a")
        fcntl.flock(self.fh, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        self.fh.close()


# --- PostgreSQL ---------------------------------------------------------------------------------
def _pg_ok(odoo):
    code = ("import psycopg2, sys\n"
            "try:\n    psycopg2.connect(dbname='postgres', connect_timeout=5).close()\n"
            "except Exception as e:\n    print(e); sys.exit(1)\n")
    result = odoo.run_python(code, check=False)
    return result.returncode == 0, (result.stdout + result.stderr).strip()


def ensure_postgres(odoo, log=print):
    """A PostgreSQL that answers with the PG* environment; start the local cluster and create
    a role for this user if needed (and possible)."""
    ok, why = _pg_ok(odoo)
    if ok:
        return
    if shutil.which("pg_lsclusters") and shutil.which("pg_ctlcluster") and "PGHOST" not in os.environ:
        clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout.split("\n")
        for line in clusters:
            parts = line.split()
            if len(parts) >= 4 and parts[3] != "online":
                log("Starting PostgreSQL cluster %s/%s" % (parts[0], parts[1]))
                subprocess.run(["pg_ctlcluster", parts[0], parts[1], "start"], check=False)
        ok, why = _pg_ok(odoo)
        runuser = shutil.which("runuser") or ("/usr/sbin/runuser" if os.path.exists("/usr/sbin/runuser") else None)
        if not ok and "does not exist" in why and os.geteuid() == 0 and runuser:
            user = os.environ.get("PGUSER") or "root"
            log("Creating PostgreSQL role %r" % user)
            subprocess.run([runuser, "-u", "postgres", "--", "createuser", "--superuser", user], check=False)
            ok, why = _pg_ok(odoo)
    if not ok:
        raise Missing("PostgreSQL does not answer (%s).\n  Start it (e.g. `pg_ctlcluster 15 main start`) or "
                      "point PGHOST/PGPORT/PGUSER/PGPASSWORD at one. Odoo refuses the role 'postgres'." % why)


# --- Chromium -----------------------------------------------------------------------------------
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser():
    return next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)


def ensure_browser(log=print):
    """Odoo's browser tests need Chromium; install Debian's package when we may."""
    if find_browser():
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("Installing Chromium (Debian package) for the browser tests")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], env=env, capture_output=True)
    return bool(find_browser())
