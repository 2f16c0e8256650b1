"""The README's demo walk as data, shared by the walk itself (test_demo_command.py, in
Chromium against `./run demo`), which first checks that it is the README's.

The README's numbered demo steps name every menu, button and field in **bold** (a field's
value follows in quotes). The walk is the Odoo tours of demo_walk_tour.js (labour billing's:
labour_demo_walk_tour.js) — their steps whose content starts with "README: " — and, in
between, the clicks on the harness's own pages (another origin, where no tour runs) listed
here. Both must name the same things in the same order."""

import os
import re

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
README = os.path.join(REPO, "README.md")
TOURS = os.path.join(REPO, "addons", "psa_xero_connector", "static", "tests", "tours", "demo_walk_tour.js")
# labour billing's steps (11–13): the glue module of labour billing and OCA's tickets holds them
LABOUR_TOURS = os.path.join(REPO, "addons", "psa_labour_billing_helpdesk", "static", "tests", "tours",
                            "labour_demo_walk_tour.js")

# In the README's order: ("tour", name) runs an Odoo tour; ("harness", name) clicks on a
# harness page, naming what it clicks.
HARNESS_CLICKS = {
    "consent": [("Northwind IT Services", None), ("Contoso Managed Services", None), ("Allow access", None)],
    "payment": [("Northwind IT Services", None), ("Record payment", None)],
    "labour": [("Northwind IT Services", None)],
}
WALK = [
    ("tour", "psa_xero_demo_1_connect"),
    ("harness", "consent"),
    ("tour", "psa_xero_demo_3_organisations"),
    ("tour", "psa_xero_demo_6_invoice"),
    ("tour", "psa_xero_demo_7_credit_note"),
    ("tour", "psa_xero_demo_8_bill"),
    ("tour", "psa_xero_demo_9_purchase"),
    ("harness", "payment"),
    ("tour", "psa_xero_demo_10_paid"),
    ("tour", "psa_xero_demo_11_ticket_time"),
    ("tour", "psa_xero_demo_12_invoice_labour"),
    ("harness", "labour"),
]

_BOLD = re.compile(r'\*\*([^*]+)\*\*(?: "([^"]+)")?')


def readme_steps(text=None):
    """[(label, value or None)] of the README's numbered demo steps, in order."""
    text = text if text is not None else open(README, encoding="utf-8").read()
    section = text.split("\n## The demo\n", 1)[1].split("\n## ", 1)[0]
    items = []
    for line in section.splitlines():
        if re.match(r"^\d+\. ", line):
            items.append(line.split(". ", 1)[1])
        elif items and line.startswith(" ") and line.strip():
            items[-1] += " " + line.strip()   # a step wraps onto indented lines
        elif items and not line.startswith(" "):
            items.append(None) if line.strip() else None
    steps = []
    for item in filter(None, items):
        steps.extend((m.group(1), m.group(2)) for m in _BOLD.finditer(item))
    return steps


_README_STEP = re.compile(r'^README: (.+?)(?: "([^"]+)")?$')

# Run in the browser, where the tours are registered: {tour name: [step content]}, the
# helpers of demo_walk_tour.js expanded as they really run.
TOUR_CONTENTS_JS = """(() => {
    const tours = odoo.loader.modules.get("@web/core/registry").registry.category("web_tour.tours");
    const out = {};
    for (const [name, tour] of tours.getEntries()) {
        if (name.startsWith("psa_xero_demo_")) {
            out[name] = tour.steps().map((step) => step.content || "");
        }
    }
    return out;
})()"""


def tour_labels(contents):
    """[(label, value or None)] of the steps whose content starts with "README: "."""
    return [(m.group(1), m.group(2)) for m in map(_README_STEP.match, contents) if m]


def walk_steps(tour_contents):
    """[(label, value)] of the whole walk: tours and harness clicks in WALK's order."""
    out = []
    for kind, name in WALK:
        out += tour_labels(tour_contents[name]) if kind == "tour" else HARNESS_CLICKS[name]
    return out
