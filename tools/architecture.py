"""docs/architecture.md's architecture block, made from the tree (standard library only).

Each Python module of the addon is listed with the first sentence of its docstring, each data
folder with its files; the block sits in docs/architecture.md between two markers and
``tests/repo/test_architecture.py`` fails when it no longer matches the tree.

    python3 tools/architecture.py          # print the block
    python3 tools/architecture.py --write  # write it into docs/architecture.md
"""

import ast
import os
import re
import sys
import textwrap

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDON_DIR = os.path.join("addons", "psa_xero_connector")
DOC = os.path.join(REPO, "docs", "architecture.md")
START, END = "<!-- architecture: made by tools/architecture.py -->", "<!-- /architecture -->"
COLUMN, WIDTH = 32, 112
FOLDERS = {  # folders listed as one line: what they hold
    "data": "crons, neutralize.sql",
    "security": "groups, access rights (CSV), multi-company record rules",
    "views": "one file per model: view_<model>_<type>, actions, menus",
    "static": "the Chromium tours",
    "readme": "OCA's README fragments (README.rst is made from them)",
    "i18n": "the translation template, exported by Odoo",
    "tests": "Odoo tests (pytest-odoo / odoo-bin --test-tags)",
}
OUTSIDE = [
    ("harness/", "the Xero simulator (plain Python, never imports Odoo) — harness/README.md"),
    ("tests/", "harness, client, pure-function, lifecycle and repository tests (plain pytest)"),
    ("tools/", "./run's implementation (standard library only)"),
    ("benchmarks/", "scripts that print figures (docs/benchmarks.md)"),
    ("docker-compose.yml, docker/", "the same demo with Docker"),
    (".pre-commit-config.yaml", "OCA's checks (ruff, pylint-odoo, module checks): ./run lint"),
]


def first_sentence(path):
    with open(path, encoding="utf-8") as fh:
        doc = ast.get_docstring(ast.parse(fh.read()))
    if not doc:
        raise ValueError("%s has no module docstring: the architecture block is made from it" % path)
    paragraph = " ".join(doc.split("\n\n")[0].split())
    match = re.match(r"(.+?[.!?])(\s|$)", paragraph)
    return (match.group(1) if match else paragraph).rstrip(".")


def line(name, text, indent="  "):
    head = (indent + name).ljust(COLUMN - 1) + " "
    if len(indent + name) >= COLUMN - 1:
        head = indent + name + " "
    return textwrap.fill(text, WIDTH, initial_indent=head, subsequent_indent=" " * COLUMN)


def render():
    root = os.path.join(REPO, ADDON_DIR)
    out = [line(ADDON_DIR + "/", "the Odoo addon", indent="")]
    python, folders = [], []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        rel = os.path.relpath(dirpath, root)
        top = rel.split(os.sep)[0]
        if top in FOLDERS:
            if rel == top:
                folders.append((top + "/", FOLDERS[top]))
            continue
        for name in sorted(filenames):
            if name.endswith(".py") and name not in ("__init__.py", "__manifest__.py"):
                path = os.path.normpath(os.path.join(rel, name))
                python.append((path, first_sentence(os.path.join(dirpath, name))))
    order = {"": 0, "xero": 1, "models": 2, "wizard": 3, "controllers": 4}
    python.sort(key=lambda item: (order.get(os.path.dirname(item[0]), 9), item[0]))
    out += [line(path, text) for path, text in python]
    out += [line(path, text) for path, text in sorted(folders)]
    out += [line(path, text, indent="") for path, text in OUTSIDE]
    return "```\n" + "\n".join(out) + "\n```"


def doc_block(text):
    match = re.search(re.escape(START) + r"\n(.*?)\n" + re.escape(END), text, re.S)
    return match and match.group(1)


def main(argv):
    block = render()
    if "--write" not in argv:
        print(block)
        return 0
    with open(DOC, encoding="utf-8") as fh:
        text = fh.read()
    if doc_block(text) is None:
        raise SystemExit("docs/architecture.md has no %s … %s markers" % (START, END))
    text = re.sub(re.escape(START) + r"\n.*?\n" + re.escape(END), lambda m: START + "\n" + block + "\n" + END,
                  text, flags=re.S)
    with open(DOC, "w", encoding="utf-8") as fh:
        fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
