"""The addon's README.rst is what ./run readme makes from readme/*.md and the manifest, and the
Markdown is turned into reStructuredText the way pandoc (which OCA's generator uses) writes it."""

import os
import subprocess
import sys

import pytest

from tools import gen_readme
from tools.gen_readme import FragmentError, render_fragment

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
README = os.path.join(gen_readme.ADDON_DIR, "README.rst")


def test_committed_readme_is_generated_from_the_fragments():
    with open(README, encoding="utf-8") as fh:
        committed = fh.read()
    assert committed == gen_readme.generate(), "README.rst is stale: run ./run readme and commit it"


def test_readme_renders_without_a_docutils_warning_and_has_oca_sections():
    text = gen_readme.generate()
    gen_readme.check_rst(text)
    lines = text.splitlines()
    titles = [line for line, underline in zip(lines, lines[1:] + [""], strict=True)
              if underline and set(underline) in ({"="}, {"-"}) and len(underline) == len(line) and line.strip()]
    assert titles[:1] == ["PSA Xero Connector"]
    assert [t for t in titles if t != "PSA Xero Connector"] == [
        "Installation", "Configuration", "Usage", "Known issues / Roadmap", "Bug Tracker", "Credits",
        "Authors", "Contributors", "Maintainers"]
    assert "!! source digest: %s" % gen_readme.source_digest(gen_readme.ADDON_DIR) in text


def _copy_addon(tmp_path):
    addon = tmp_path / "psa_xero_connector"
    (addon / "readme").mkdir(parents=True)
    names = ["__manifest__.py", "README.rst"] + ["readme/" + f for f in os.listdir(
        os.path.join(gen_readme.ADDON_DIR, "readme"))]
    for name in names:
        (addon / name).write_bytes(open(os.path.join(gen_readme.ADDON_DIR, name), "rb").read())
    return addon


def _check(addon, *extra):
    return subprocess.run([sys.executable, os.path.join(REPO, "tools", "gen_readme.py"), "--addon-dir", str(addon)]
                          + list(extra), capture_output=True, text=True, cwd=REPO)


def test_a_changed_fragment_makes_the_readme_stale_until_regenerated(tmp_path):
    addon = _copy_addon(tmp_path)
    out = _check(addon, "--check")
    assert out.returncode == 0 and "is current" in out.stdout, out.stdout + out.stderr
    (addon / "readme" / "USAGE.md").write_text("Press **Sync**.\n", encoding="utf-8")
    out = _check(addon, "--check")
    assert out.returncode == 1 and "run ./run readme" in out.stderr, out.stdout + out.stderr
    assert _check(addon).returncode == 0
    regenerated = (addon / "README.rst").read_text(encoding="utf-8")
    assert "Usage\n=====\n\nPress **Sync**.\n" in regenerated
    assert gen_readme.source_digest(str(addon)) in regenerated
    assert gen_readme.source_digest(str(addon)) != gen_readme.source_digest(gen_readme.ADDON_DIR)
    assert _check(addon, "--check").returncode == 0


def test_a_website_that_is_not_the_repository_address_is_refused(tmp_path):
    addon = _copy_addon(tmp_path)
    manifest = (addon / "__manifest__.py").read_text(encoding="utf-8")
    website = gen_readme.read_manifest(str(addon))["website"]
    (addon / "__manifest__.py").write_text(manifest.replace(website, "https://github.com/psa-ledger"),
                                           encoding="utf-8")
    out = _check(addon)
    assert out.returncode == 1 and "https://github.com/<org>/<repo>" in out.stderr, out.stdout + out.stderr


def test_every_addon_has_the_same_real_author_and_repository():
    """One author and one website for the repository's modules, as OCA's modules have (the website
    is the repository's address); the modules that are not Xero's do not name Xero in their
    author or contributors."""
    addons = os.path.join(REPO, "addons")
    names = sorted(n for n in os.listdir(addons) if os.path.exists(os.path.join(addons, n, "__manifest__.py")))
    manifests = {n: gen_readme.read_manifest(os.path.join(addons, n)) for n in names}
    assert {(m["author"], m["website"]) for m in manifests.values()} == {
        ("PSA Ledger Connectors", "https://github.com/psa-ledger/psa-ledger-connectors")}, manifests
    for name in names:
        if "xero" in name:
            continue
        with open(os.path.join(addons, name, "readme", "CONTRIBUTORS.md"), encoding="utf-8") as fh:
            contributors = fh.read()
        assert "xero" not in (manifests[name]["author"] + contributors).lower(), name


def test_a_fragment_in_unsupported_markdown_is_refused_with_its_name(tmp_path):
    addon = _copy_addon(tmp_path)
    (addon / "readme" / "ROADMAP.md").write_text("| a | table |\n", encoding="utf-8")
    out = _check(addon)
    assert out.returncode == 1 and "readme/ROADMAP.md" in out.stderr, out.stdout + out.stderr


MARKDOWN = """\
Keeps billing in Odoo and pushes it to *Xero*: see `xero/client.py`, the
[developer portal](https://developer.xero.com) or <https://www.xero.com>.

## Set up

1. Open *Settings > Xero* and paste the **client ID**; a long line that must be wrapped at
   seventy-two columns, as pandoc does.
2. Press **Connect**:

   - nested item with `code`s and a_b_ name
   - second item costs 5 * 3

```python
print("hi")
```

- a loose list

- with a blank line between items

Then a tight one:

- ends with code:
  ```
  x = 1
  ```
- plain
- last
"""

RST = """\
Keeps billing in Odoo and pushes it to *Xero*: see ``xero/client.py``,
the `developer portal <https://developer.xero.com>`__ or
https://www.xero.com.

Set up
------

1. Open *Settings > Xero* and paste the **client ID**; a long line that
   must be wrapped at seventy-two columns, as pandoc does.

2. Press **Connect**:

   -  nested item with ``code``\\ s and a_b\\_ name
   -  second item costs 5 \\* 3

.. code:: python

   print("hi")

-  a loose list

-  with a blank line between items

Then a tight one:

-  ends with code:

   ::

      x = 1

-  plain
-  last
"""


def test_markdown_becomes_restructuredtext_as_pandoc_writes_it():
    assert render_fragment(MARKDOWN, 2, "sample") == RST
    gen_readme.check_rst(RST)


def test_contributors_headings_are_shifted_one_level_as_oca_does():
    assert render_fragment("# Team\n\n- Ann\n", 3, "c") == "Team\n----\n\n-  Ann\n"
    assert render_fragment("# Usage\n", 2, "u") == "Usage\n=====\n"


@pytest.mark.parametrize("markdown", ["> a quote\n", "| a | table |\n", "<b>html</b>\n", "```\nunclosed\n",
                                      "text\n\n---\n"])
def test_markdown_it_cannot_render_is_refused(markdown):
    with pytest.raises(FragmentError):
        render_fragment(markdown, 2, "sample")


def test_every_bold_word_of_the_demo_walk_is_named_by_a_tour_or_a_harness_click():
    """The fast half of test_demo_command.py's check (which runs the tours in Chromium to compare
    the README with the walk step by step, in order): each menu, button and field the README's
    demo steps name in bold is named in the tours' source or among the harness's clicks."""
    from tests.repo.demo_walk import HARNESS_CLICKS, LABOUR_TOURS, TOURS, readme_steps

    source = "".join(open(path, encoding="utf-8").read() for path in (TOURS, LABOUR_TOURS))
    clicks = {label for steps in HARNESS_CLICKS.values() for label, _value in steps}
    steps = readme_steps()
    assert ("Invoice Labour", None) in steps and ("Charge Type", "Onsite Visit") in steps, steps
    missing = [label for label, _value in steps if label not in clicks
               and "README: %s" % label not in source and "'%s'" % label not in source
               and '"%s"' % label not in source]
    assert not missing, "named in the README's demo walk, in no tour: %s" % missing
