"""./run says clearly what is missing when Odoo cannot be found."""

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_without_odoo(*args):
    env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp")}
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    return subprocess.run([python, os.path.join(REPO, "run")] + list(args), env=env, capture_output=True,
                          text=True, timeout=120)


def test_test_and_demo_say_odoo_is_missing():
    for command in ("test", "demo"):
        out = run_without_odoo(command)
        assert out.returncode == 2, out.stdout + out.stderr
        assert "Odoo 18.0 was not found" in out.stderr
        assert "ODOO_BIN" in out.stderr and "docker compose up" in out.stderr


def test_a_wrong_odoo_bin_is_reported():
    env = {"PATH": "/usr/bin:/bin", "ODOO_BIN": "/nonexistent/odoo-bin"}
    out = subprocess.run([sys.executable, os.path.join(REPO, "run"), "test"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 2
    assert "ODOO_BIN=/nonexistent/odoo-bin does not exist" in out.stderr
