"""The repository stands alone: without ../shared (Xero's OpenAPI files, Intuit's XSDs) the checks
that need them are skipped saying where they looked, and CI (.ci/run) fails instead of skipping."""

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

from tools import shared_docs

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# a module skipped whole (module-level look-up), one skipped at the point of need (the test first
# drives the simulator, then validates its answer against the spec), and the XSD converter's tests
SPEC_CHECKS = ["tests/harness/test_schemas.py",
               "tests/harness/test_lock_dates.py::test_organisation_shows_lock_dates_only_when_set",
               "tests/qbo/test_xsd_schema.py"]


def run_pytest(tmp_path, shared, required=False):
    env = {k: v for k, v in os.environ.items() if k != shared_docs.REQUIRED_ENV}
    env[shared_docs.ENV] = str(shared)
    if required:
        env[shared_docs.REQUIRED_ENV] = "1"
    junit = tmp_path / ("required.xml" if required else "plain.xml")
    out = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:odoo", "-p", "no:cacheprovider", "-q", "-rs",
                          "--junitxml", str(junit)] + SPEC_CHECKS, cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=300)
    outcomes = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        kinds = [child for child in case if child.tag in ("skipped", "failure", "error")]
        # a module skipped whole says "collection skipped" in its message and the reason in its text
        outcomes.append((kinds[0].tag, "%s %s" % (kinds[0].get("message"), kinds[0].text)) if kinds else ("passed", ""))
    return out, outcomes


def test_spec_checks_are_skipped_saying_where_they_looked(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    out, outcomes = run_pytest(tmp_path, empty)
    assert out.returncode == 0, out.stdout + out.stderr
    assert len(outcomes) == 3, outcomes  # two modules skipped whole, one test skipped
    for kind, message in outcomes:
        assert kind == "skipped", outcomes
        assert "set PSA_SHARED_DIR to the folder holding" in message
    openapi_reason = "looked for xero_accounting.yaml, xero-identity.yaml in %s" % (empty / "xero-openapi")
    xsd_reason = "looked for IntuitRestServiceDef.xsd"
    assert sum(openapi_reason in m for _, m in outcomes) == 2 and sum(xsd_reason in m for _, m in outcomes) == 1
    # ./run test passes -rs: the reason is in the printed summary, not only in the report file
    assert "SKIPPED" in out.stdout and openapi_reason in out.stdout and "3 skipped" in out.stdout


def test_spec_checks_fail_when_required(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    out, outcomes = run_pytest(tmp_path, empty, required=True)
    assert out.returncode != 0
    assert outcomes and all(kind in ("failure", "error") for kind, _ in outcomes), outcomes
    assert "PSA_SHARED_REQUIRED is set" in out.stdout


def fake_shared(root, leave_out=()):
    for name, (_, files) in shared_docs.FOLDERS.items():
        os.makedirs(root / name, exist_ok=True)
        for f in files:
            if f not in leave_out:
                (root / name / f).write_text("")
    return root


def test_check_shared_says_what_is_missing(tmp_path):
    run = [sys.executable, os.path.join(REPO, "run"), "check-shared", "--dir"]
    found = subprocess.run(run + [str(fake_shared(tmp_path / "shared"))], capture_output=True, text=True, timeout=60)
    assert found.returncode == 0, found.stdout + found.stderr
    assert "found %s" % (tmp_path / "shared" / "xero-openapi") in found.stdout
    (tmp_path / "shared" / "intuit-qbo-xsd" / "Finance.xsd").unlink()
    missing = subprocess.run(run + [str(tmp_path / "shared")], capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1
    assert "MISSING Intuit's QuickBooks Online XSDs not found: looked for Finance.xsd in %s" % (
        tmp_path / "shared" / "intuit-qbo-xsd") in missing.stdout


def ci_layout(tmp_path):
    """A clone of the repository's runner (run, tools/, .ci/run) in tmp/repo: ../shared is tmp/shared.
    ODOO_PYTHON is a fake that writes the environment it got and fails: `./run test`, if reached,
    stops at once ("Odoo 18.0 was not found") having shown what the tests would get."""
    repo = tmp_path / "repo"
    shutil.copytree(os.path.join(REPO, "tools"), repo / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(os.path.join(REPO, "run"), repo / "run")
    os.makedirs(repo / ".ci")
    shutil.copy(os.path.join(REPO, ".ci", "run"), repo / ".ci" / "run")
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\nenv > %s\nexit 1\n" % (tmp_path / "env.txt"))
    fake.chmod(0o755)
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "ODOO_PYTHON": str(fake)}
    return repo, env


def test_ci_fails_when_shared_is_missing(tmp_path):
    repo, env = ci_layout(tmp_path)
    out = subprocess.run(["bash", str(repo / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "MISSING Xero's OpenAPI files not found" in out.stdout
    assert str(tmp_path / "shared" / "xero-openapi") in out.stdout
    assert "CI: ../shared/xero-openapi and ../shared/intuit-qbo-xsd are required" in out.stderr
    assert not (tmp_path / "env.txt").exists(), "the tests were not started"


def test_ci_points_the_tests_at_shared(tmp_path):
    repo, env = ci_layout(tmp_path)
    fake_shared(tmp_path / "shared")
    env[shared_docs.ENV] = str(tmp_path / "elsewhere")  # CI's own setting wins
    out = subprocess.run(["bash", str(repo / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "Odoo 18.0 was not found" in out.stderr, out.stdout + out.stderr
    seen = dict(line.split("=", 1) for line in (tmp_path / "env.txt").read_text().splitlines() if "=" in line)
    assert seen[shared_docs.ENV] == str(tmp_path / "shared")
    assert seen[shared_docs.REQUIRED_ENV] == "1"
