"""The harness is an installable package, so the addon's tests import it wherever Odoo loads
them (odoo-bin --test-tags, odoo.sh, runbot, OCA CI), and ./run keeps the installed one
pointing at the checkout under test."""

import os
import shutil
import subprocess
import sys
import zipfile

from tools import odoo_env

REPO = odoo_env.REPO
PYTHON = os.environ.get("PSA_XERO_ODOO_PYTHON") or sys.executable


def test_the_harness_builds_as_a_wheel_that_imports_from_anywhere(tmp_path):
    src = tmp_path / "src"  # a copy: building writes build/ and egg-info next to the sources
    shutil.copytree(os.path.join(REPO, "harness"), src, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    out = subprocess.run([PYTHON, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                          str(tmp_path / "dist"), str(src)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    (wheel,) = (tmp_path / "dist").iterdir()
    names = zipfile.ZipFile(wheel).namelist()
    assert "harness/__init__.py" in names and "harness/testing.py" in names
    assert "harness/accounting/validation.py" in names and "harness/README.md" not in names
    assert not [n for n in names if n.startswith(("harness/pyproject", "tests/", "tools/", "addons/"))]
    entry = [n for n in names if n.endswith("entry_points.txt")]
    assert b"xero-harness = harness.__main__:main" in zipfile.ZipFile(wheel).read(entry[0])
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    probe = ("import harness, harness.testing, harness.accounting.validation, harness.seed; "
             "print(harness.__file__); print(harness.seed.DEMO_ORGS[0][1])")
    env = dict(os.environ, PYTHONPATH=str(target))
    out = subprocess.run([PYTHON, "-c", probe], cwd="/", env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == str(target / "harness" / "__init__.py")


def test_run_replaces_a_harness_installed_from_another_checkout(tmp_path):
    """A throwaway virtualenv that sees Odoo's packages (not its harness): the harness installed
    editable from another folder (an earlier CI clone) is reported and replaced by this checkout's."""
    venv = tmp_path / "venv"
    subprocess.run([PYTHON, "-m", "venv", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    odoo_site = subprocess.run([PYTHON, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip()
    with open(os.path.join(site, "odoo-packages.pth"), "w") as fh:
        fh.write(odoo_site + "\n")  # a plain path: Odoo's own .pth files (its harness) stay off
    odoo = odoo_env.Odoo(python=python, launcher=[python, "-m", "odoo"])
    other = tmp_path / "other-clone" / "harness"
    shutil.copytree(os.path.join(REPO, "harness"), other, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    out = subprocess.run([python, "-m", "pip", "install", "-q", "--no-build-isolation", "--no-deps", "-e", str(other)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    missing, where = odoo_env.installed_state(odoo)
    assert where == os.path.realpath(other) and not missing

    said = []
    odoo_env.ensure_python_deps(odoo, said.append)
    assert said and "harness (installed from %s)" % os.path.realpath(other) in said[0]
    assert odoo_env.installed_state(odoo) == ([], os.path.realpath(os.path.join(REPO, "harness")))
    # as odoo-bin run by hand sees it: outside the checkout, nothing on PYTHONPATH
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([python, "-c", "import harness.testing, harness; print(harness.__file__)"], cwd="/",
                         env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == os.path.join(REPO, "harness", "__init__.py"), out.stderr
    said.clear()
    odoo_env.ensure_python_deps(odoo, said.append)
    assert said == []  # up to date: nothing installed twice
