"""Normalising the addon's translation template as exported by Odoo (standard library only).

Odoo's exporter stamps the header with the export time and the server's build
(``Odoo Server 18.0-20250506``); OCA's templates carry neither, so that exporting twice from
the same code gives the same file and a diff shows only changed strings.
"""

import re

DROPPED_HEADERS = ("POT-Creation-Date", "PO-Revision-Date")


def normalise_pot(text):
    lines = [line for line in text.splitlines(keepends=True)
             if not any(line.startswith('"%s:' % key) for key in DROPPED_HEADERS)]
    text = "".join(lines)
    # "Odoo Server 18.0-20250506" or "18.0+e" → the series only
    return re.sub(r'^("Project-Id-Version: [^\\"]*?\d+\.\d+)[^\\"]*', r"\1", text, count=1, flags=re.M)
