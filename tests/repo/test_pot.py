"""./run pot's normalisation: the committed template carries no export date nor server build,
so exporting again from the same code changes nothing. (That the template holds every string
is the addon's own test, tests/test_i18n.py, which needs Odoo's exporter.)"""

import os

from tools.i18n_pot import normalise_pot

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
POT = os.path.join(REPO, "addons", "psa_xero_connector", "i18n", "psa_xero_connector.pot")

EXPORTED = '''\
# Translation of Odoo Server.
# This file contains the translation of the following modules:
# \t* psa_xero_connector
#
msgid ""
msgstr ""
"Project-Id-Version: Odoo Server 18.0-20250506\\n"
"Report-Msgid-Bugs-To: \\n"
"POT-Creation-Date: 2026-11-27 08:44+0000\\n"
"PO-Revision-Date: 2026-11-27 08:44+0000\\n"
"Last-Translator: \\n"

#. module: psa_xero_connector
#: model:ir.ui.menu,name:psa_xero_connector.menu_xero_root
msgid "POT-Creation-Date: is only text here"
msgstr ""
'''


def test_export_date_and_build_are_dropped_and_nothing_else():
    text = normalise_pot(EXPORTED)
    assert "2026-11-27" not in text
    assert '"Project-Id-Version: Odoo Server 18.0\\n"\n' in text
    assert text == EXPORTED.replace('"POT-Creation-Date: 2026-11-27 08:44+0000\\n"\n', "").replace(
        '"PO-Revision-Date: 2026-11-27 08:44+0000\\n"\n', "").replace("18.0-20250506", "18.0")
    assert normalise_pot(text) == text


def test_committed_template_is_normalised():
    with open(POT, encoding="utf-8") as fh:
        text = fh.read()
    assert normalise_pot(text) == text
    assert '"Project-Id-Version: Odoo Server 18.0\\n"' in text
    assert text.count('\nmsgid "') > 100
