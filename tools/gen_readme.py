"""The addon's README.rst from its ``readme/*.md`` fragments, in OCA's layout (``./run readme``).

OCA's own generator (``oca-gen-addon-readme``, OCA/maintainer-tools) is not on PyPI and converts
Markdown with pandoc, which this machine does not have. This one makes the same document —
title, generated-file banner with the source digest, badges, description, table of contents,
Installation / Configuration / Usage / Known issues / Roadmap, Bug Tracker, Credits (Authors,
Contributors, Maintainers) — from the Markdown that OCA's 17.0+ fragments use, written the way
pandoc writes reStructuredText. Standard library only, plus docutils (an Odoo dependency) to
check the result renders without a warning.

The Markdown understood is what the fragments need, and anything else is refused rather than
rendered wrong: paragraphs, ``-``/``*`` and ``1.`` lists (nested by indentation), ``#``
headings, fenced code blocks, and inline ```code```, ``**strong**``, ``*emphasis*``,
``[text](url)`` and ``<url>``.
"""

import ast
import hashlib
import os
import re
import sys
import textwrap

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDON_DIR = os.path.join(REPO, "addons", "psa_xero_connector")
BRANCH = "main"
WIDTH = 72  # pandoc's default --columns, which OCA's generator uses

# name → (section title, level of the fragment's own headings: 2 = under a "=" section)
FRAGMENTS = {
    "DESCRIPTION": (None, 2),
    "CONTEXT": ("Use Cases / Context", 2),
    "INSTALL": ("Installation", 2),
    "CONFIGURE": ("Configuration", 2),
    "USAGE": ("Usage", 2),
    "DEVELOP": ("Development", 2),
    "ROADMAP": ("Known issues / Roadmap", 2),
    "HISTORY": ("Changelog", 2),
    "CONTRIBUTORS": ("Contributors", 3),
    "CREDITS": ("Other credits", 3),
}
ADORNMENTS = "=-~^'\""  # pandoc's order of section underlines

LICENSE_BADGES = {
    "LGPL-3": ("https://img.shields.io/badge/license-LGPL--3-blue.png",
               "http://www.gnu.org/licenses/lgpl-3.0-standalone.html", "License: LGPL-3"),
    "AGPL-3": ("https://img.shields.io/badge/license-AGPL--3-blue.png",
               "http://www.gnu.org/licenses/agpl-3.0-standalone.html", "License: AGPL-3"),
    "GPL-3": ("https://img.shields.io/badge/license-GPL--3-blue.png",
              "http://www.gnu.org/licenses/gpl-3.0-standalone.html", "License: GPL-3"),
}
STATUS_BADGES = {
    "alpha": ("https://img.shields.io/badge/maturity-Alpha-red.png", "Alpha"),
    "beta": ("https://img.shields.io/badge/maturity-Beta-yellow.png", "Beta"),
    "production/stable": ("https://img.shields.io/badge/maturity-Production%2FStable-green.png",
                          "Production/Stable"),
    "mature": ("https://img.shields.io/badge/maturity-Mature-brightgreen.png", "Mature"),
}
STATUS_URL = "https://odoo-community.org/page/development-status"


class FragmentError(ValueError):
    """A fragment uses Markdown this generator does not render; the message says where."""


# --- inline Markdown → reStructuredText -------------------------------------------------------

INLINE = re.compile(
    r"\\(?P<esc>[!-/:-@\[-`{-~])"
    r"|(?P<code>(?P<ticks>`+)(?P<code_text>.+?)(?P=ticks))"
    r"|\[(?P<link_text>[^\]]+)\]\((?P<link_url>[^)\s]+)\)"
    r"|<(?P<auto>https?://[^>\s]+)>"
    r"|\*\*(?P<strong>[^*\s](?:[^*]*[^*\s])?)\*\*"
    r"|\*(?P<em>[^*\s](?:[^*]*[^*\s])?)\*"
    r"|(?<!\w)_(?P<em2>[^_\s](?:[^_]*[^_\s])?)_(?!\w)"
)
# docutils: inline markup must start after whitespace or one of these, and end before one of these
START_OK = set(" \t\n-:/'\"<([{") | {"\u2018", "\u201c", "\u2014", "\u2013"}
END_OK = set(" \t\n-.,:;!?\\/'\")]}>") | {"\u2019", "\u201d", "\u2014", "\u2013", "\u2026"}
KEEP_SPACE = "\x01"  # a space that must survive wrapping as part of an escaped "\ "


def escape(text):
    text = text.replace("\\", "\\\\")
    for char in "*`|":
        text = text.replace(char, "\\" + char)
    # "word_" is a reference and "[1]_" a footnote in reStructuredText
    return re.sub(r"(?<=\w)_(?!\w)", r"\\_", text)


def inline(text):
    """One paragraph's Markdown text → reStructuredText (not wrapped)."""
    pieces = []  # (is_markup, text)
    pos = 0
    for match in INLINE.finditer(text):
        if match.start() > pos:
            pieces.append((False, escape(text[pos:match.start()])))
        if match.group("esc"):
            pieces.append((False, escape(match.group("esc"))))
        elif match.group("code"):
            code = match.group("code_text").strip()
            if "``" in code:
                raise FragmentError("inline code with double backticks: %r" % code)
            pieces.append((True, "``%s``" % code))
        elif match.group("link_text"):
            label = re.sub(r"[`*]", "", match.group("link_text"))
            pieces.append((True, "`%s <%s>`__" % (label.replace("<", "\\<"), match.group("link_url"))))
        elif match.group("auto"):
            pieces.append((False, match.group("auto")))
        else:
            word = match.group("strong") or match.group("em") or match.group("em2")
            mark = "**" if match.group("strong") else "*"
            pieces.append((True, "%s%s%s" % (mark, escape(word), mark)))
        pos = match.end()
    if pos < len(text):
        pieces.append((False, escape(text[pos:])))
    out = ""
    for index, (markup, piece) in enumerate(pieces):
        if markup:
            if out and out[-1] not in START_OK:
                out += "\\" + KEEP_SPACE
            out += piece
            following = pieces[index + 1][1][:1] if index + 1 < len(pieces) else ""
            if following and following not in END_OK:
                out += "\\" + KEEP_SPACE
        else:
            out += piece
    return out


def wrap(text, width=WIDTH):
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    return [line.replace(KEEP_SPACE, " ") for line in lines]


# --- block Markdown → a small tree -------------------------------------------------------------

LIST_ITEM = re.compile(r"^( *)([-*+]|\d+[.)]) +(.*)$")
HEADING = re.compile(r"^(#{1,6}) +(.+?) *#*$")
FENCE = re.compile(r"^( *)(```+|~~~+) *([\w+-]*) *$")


class Blocks(list):
    separated = False


def _indent_of(line):
    return len(line) - len(line.lstrip(" "))


def parse_blocks(lines, where):
    """Markdown lines → [("p", text) | ("h", level, text) | ("code", lang, lines) | ("list", ordered, items, loose)].

    ``blocks.separated`` says whether a blank line stands between two of them (which makes the
    list holding them loose, as in CommonMark)."""
    blocks = Blocks()
    i = 0
    blank = False
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            blank = True
            continue
        if blank and blocks:
            blocks.separated = True
        blank = False
        if "\t" in line:
            raise FragmentError("%s: a tab; indent with spaces" % where)
        fence = FENCE.match(line)
        if fence:
            end = i + 1
            while end < len(lines) and not lines[end].strip().startswith(fence.group(2)):
                end += 1
            if end == len(lines):
                raise FragmentError("%s: unclosed code block" % where)
            blocks.append(("code", fence.group(3), [body[len(fence.group(1)):] for body in lines[i + 1:end]]))
            i = end + 1
            continue
        heading = HEADING.match(line)
        if heading:
            blocks.append(("h", len(heading.group(1)), heading.group(2)))
            i += 1
            continue
        item = LIST_ITEM.match(line)
        if item:
            i = _parse_list(lines, i, blocks, where)
            continue
        if line.lstrip().startswith((">", "|", "<", "    ")) or re.match(r"^ *(---+|\*\*\*+|===+) *$", line):
            raise FragmentError("%s: unsupported Markdown (quote, table, HTML, indented code or rule): %r"
                                % (where, line))
        paragraph = []
        while (i < len(lines) and lines[i].strip() and not LIST_ITEM.match(lines[i])
               and not HEADING.match(lines[i]) and not FENCE.match(lines[i])):
            paragraph.append(lines[i].strip())
            i += 1
        blocks.append(("p", " ".join(paragraph)))
    return blocks


def _parse_list(lines, i, blocks, where):
    first = LIST_ITEM.match(lines[i])
    base = len(first.group(1))
    ordered = first.group(2)[0].isdigit()
    items, loose = [], False
    while i < len(lines):
        item = LIST_ITEM.match(lines[i])
        if not item or len(item.group(1)) != base or item.group(2)[0].isdigit() != ordered:
            break
        content_indent = base + len(item.group(2)) + 1 + (len(item.group(3)) - len(item.group(3).lstrip(" ")))
        body = [item.group(3)]
        i += 1
        while i < len(lines):
            line = lines[i]
            if not line.strip():
                # a blank line belongs to the item when what follows is indented under it
                nxt = next((n for n in lines[i + 1:] if n.strip()), None)
                if nxt is not None and _indent_of(nxt) > base:
                    body.append("")
                    i += 1
                    continue
                if nxt is not None and LIST_ITEM.match(nxt) and _indent_of(nxt) == base:
                    loose = True
                break
            if _indent_of(line) <= base and (LIST_ITEM.match(line) or HEADING.match(line) or FENCE.match(line)):
                break
            # continuation lines (lazy or indented) keep their indentation relative to the item's text
            body.append(line[content_indent:] if _indent_of(line) >= content_indent else line.strip())
            i += 1
        while body and not body[-1].strip():
            body.pop()
        blocks_of_item = parse_blocks(body, where)
        loose = loose or blocks_of_item.separated
        items.append(blocks_of_item)
        if i < len(lines) and not lines[i].strip():
            i += 1
    blocks.append(("list", ordered, items, loose))
    return i


# --- tree → reStructuredText in pandoc's manner -------------------------------------------------

def render_blocks(blocks, level, width=WIDTH):
    chunks = []
    for block in blocks:
        kind = block[0]
        if kind == "p":
            chunks.append(wrap(inline(block[1]), width))
        elif kind == "h":
            # "#" is a "=" section, "##" a "-" one; OCA shifts a level-3 fragment's headings by one
            depth = block[1] - 1 + level - 2
            if depth >= len(ADORNMENTS):
                raise FragmentError("heading too deep: %r" % block[2])
            title = inline(block[2]).replace(KEEP_SPACE, " ")
            chunks.append([title, ADORNMENTS[depth] * len(title)])
        elif kind == "code":
            head = ".. code:: %s" % block[1] if block[1] else "::"
            chunks.append([head, ""] + [("   " + line).rstrip() for line in block[2]])
        elif kind == "list":
            chunks.append(render_list(block, level, width))
    out = []
    for chunk in chunks:
        if out:
            out.append("")
        out.extend(chunk)
    return out


def render_list(block, level, width):
    """pandoc's way: "-  " or "1. " then the text indented under it; a blank line follows every
    item of a loose list, and in a tight one each item that ends with something else than its
    text (a nested list, a code block)."""
    _, ordered, items, loose = block
    out = []
    previous = None
    for number, item in enumerate(items, 1):
        marker = ("%d." % number) if ordered else "-"
        marker = marker.ljust(3) if len(marker) < 3 else marker + " "
        pad = " " * len(marker)
        body = render_blocks(item, level, width - len(pad)) or [""]
        if previous is not None and (loose or previous[-1][0] != "p"):
            out.append("")
        out.append(marker + body[0])
        out.extend((pad + line) if line else "" for line in body[1:])
        previous = item
    return out


def render_fragment(text, level, where):
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n".join(render_blocks(parse_blocks(lines, where), level)) + "\n"


# --- the document -------------------------------------------------------------------------------

def read_manifest(addon_dir):
    with open(os.path.join(addon_dir, "__manifest__.py"), encoding="utf-8") as fh:
        return ast.literal_eval(fh.read())


def source_digest(addon_dir):
    """OCA's digest: sha256 over the manifest and the readme folder (names and contents)."""
    digest = hashlib.sha256()
    paths = ["__manifest__.py"]
    for root, dirs, files in os.walk(os.path.join(addon_dir, "readme")):
        dirs.sort()
        rel = os.path.relpath(root, addon_dir)
        paths += [os.path.join(rel, name) for name in sorted(files) if not name.startswith(".")]
    for path in paths:
        digest.update(path.encode("utf-8"))
        with open(os.path.join(addon_dir, path), "rb") as fh:
            digest.update(fh.read())
    return "sha256:" + digest.hexdigest()


def github_repo(manifest):
    """(org, repository) from the manifest's website, which is the repository's address as in OCA's
    modules (``https://github.com/OCA/<repo>``, what OCA's ``oca-fix-manifest-website`` writes)."""
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+)", manifest.get("website", ""))
    if not match:
        raise SystemExit("the manifest's website is not a GitHub repository's address "
                         "(https://github.com/<org>/<repo>): cannot name the bug tracker")
    return match.group(1), match.group(2)


def read_fragments(addon_dir):
    fragments = {}
    for name, (_, level) in FRAGMENTS.items():
        path = os.path.join(addon_dir, "readme", name + ".md")
        if os.path.exists(os.path.join(addon_dir, "readme", name + ".rst")):
            raise SystemExit("readme/%s.rst: this project's fragments are Markdown (%s.md), as OCA's 17.0+"
                             % (name, name))
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            if text.strip():
                fragments[name] = render_fragment(text, level, "readme/%s.md" % name)
    if "DESCRIPTION" not in fragments:
        raise SystemExit("readme/DESCRIPTION.md is missing: it is the one fragment OCA requires")
    return fragments


def badges(manifest, org, repo, addon_url):
    status = manifest.get("development_status", "Beta").lower()
    found = []
    if status in STATUS_BADGES:
        found.append((STATUS_BADGES[status][0], STATUS_URL, STATUS_BADGES[status][1]))
    if manifest.get("license") in LICENSE_BADGES:
        found.append(LICENSE_BADGES[manifest["license"]])
    found.append(("https://img.shields.io/badge/github-%s%%2F%s-lightgray.png?logo=github"
                  % (org.replace("-", "--"), repo.replace("-", "--")), addon_url, "%s/%s" % (org, repo)))
    lines = []
    for index, (image, target, alt) in enumerate(found, 1):
        lines += [".. |badge%d| image:: %s" % (index, image), "    :target: %s" % target, "    :alt: %s" % alt]
    return lines + ["", " ".join("|badge%d|" % i for i in range(1, len(found) + 1))]


def credits(manifest, fragments, org, repo, addon_url):
    out = ["Credits", "=======", ""]
    authors = [a.strip() for a in manifest.get("author", "").split(",") if a.strip() and "(OCA)" not in a]
    if authors:
        out += ["Authors", "-------", ""] + ["* %s" % a for a in authors] + [""]
    for name in ("CONTRIBUTORS", "CREDITS"):
        if name in fragments:
            heading = FRAGMENTS[name][0]
            out += [heading, "-" * len(heading), "", fragments[name].rstrip("\n"), ""]
    out += ["Maintainers", "-----------", ""]
    maintainers = manifest.get("maintainers") or []
    if maintainers:
        for login in maintainers:
            out += [".. |maintainer-%s| image:: https://github.com/%s.png?size=40px" % (login, login),
                    "    :target: https://github.com/%s" % login, "    :alt: %s" % login]
        out += ["", "Current maintainer%s:" % ("s" if len(maintainers) > 1 else ""), "",
                " ".join("|maintainer-%s|" % m for m in maintainers), ""]
    return out + ["This module is part of the `%s/%s <%s>`_ project on GitHub." % (org, repo, addon_url), "",
                  "You are welcome to contribute."]


def generate(addon_dir=ADDON_DIR):
    """The README.rst text for the addon in ``addon_dir``."""
    addon = os.path.basename(os.path.abspath(addon_dir))
    manifest = read_manifest(addon_dir)
    fragments = read_fragments(addon_dir)
    org, repo = github_repo(manifest)
    project_url = "https://github.com/%s/%s" % (org, repo)
    addon_url = "%s/tree/%s/addons/%s" % (project_url, BRANCH, addon)
    title = manifest["name"]
    out = ["=" * len(title), title, "=" * len(title), "",
           "..",
           "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
           "   !! This file is generated by ./run readme         !!",
           "   !! (tools/gen_readme.py) from readme/*.md and the !!",
           "   !! manifest: changes will be overwritten.         !!",
           "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
           "   !! source digest: %s" % source_digest(addon_dir),
           "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", ""]
    out += badges(manifest, org, repo, addon_url) + ["", fragments["DESCRIPTION"].rstrip("\n"), ""]
    if manifest.get("development_status", "Beta").lower() == "alpha":
        out += [".. IMPORTANT::", "   This is an alpha version: the data model and design can change at any time.",
                "   Only for development or testing, not for production.", ""]
    out += ["**Table of contents**", "", ".. contents::", "   :local:", ""]
    for name in ("CONTEXT", "INSTALL", "CONFIGURE", "USAGE", "DEVELOP", "ROADMAP", "HISTORY"):
        if name in fragments:
            heading = FRAGMENTS[name][0]
            out += [heading, "=" * len(heading), "", fragments[name].rstrip("\n"), ""]
    out += ["Bug Tracker", "===========", "",
            "Bugs are tracked on `GitHub Issues <%s/issues>`_." % project_url,
            "Before reporting one, please check whether it is already there; when you",
            "report it, say which module and version, how to reproduce it, what",
            "happened and what you expected.", ""]
    return "\n".join(out + credits(manifest, fragments, org, repo, addon_url)) + "\n"


def check_rst(text):
    """Render with docutils as OCA does (PyPI's settings): any warning is an error."""
    import io

    from docutils.core import publish_string
    from docutils.utils import SystemMessage

    stream = io.StringIO()
    try:
        publish_string(text, writer_name="html4css1", settings_overrides={
            "file_insertion_enabled": False, "raw_enabled": False, "halt_level": 2, "report_level": 2,
            "warning_stream": stream, "output_encoding": "unicode"})
    except SystemMessage as exc:
        raise SystemExit("README.rst does not render cleanly: %s" % exc) from None


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(prog="./run readme", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether README.rst is current")
    parser.add_argument("--addon-dir", default=ADDON_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    path = os.path.join(args.addon_dir, "README.rst")
    shown = os.path.relpath(path, REPO)
    try:
        text = generate(args.addon_dir)
    except FragmentError as exc:
        print("[readme] %s" % exc, file=sys.stderr)
        return 1
    check_rst(text)
    current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
    if args.check:
        if current != text:
            print("[readme] %s is not what readme/*.md and the manifest make: run ./run readme" % shown,
                  file=sys.stderr)
            return 1
        print("[readme] %s is current" % shown)
        return 0
    if current == text:
        print("[readme] %s unchanged" % shown)
        return 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    print("[readme] wrote %s" % shown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
