"""./run reads the report of Odoo's own runner (`--part odoo-own`): lines as Odoo 18 writes them
(taken from a real run), counted into the total; a missing report is a failure."""

from tools import odoo_own

LOG = """\
2026-11-27 09:08:10,740 18135 INFO db odoo.addons.account.tests.test_account_payment: skipped Subtest \
TestAccountPayment.test_invoice_paid_hook_called_in_various_scenarios [without oustanding] : Accounting not installed
2026-11-27 09:08:33,857 18135 ERROR db odoo.addons.account.tests.test_account_payment: FAIL: \
TestAccountPayment.test_resequence_change_payment_name
Traceback (most recent call last):
  File "/opt/odoo18/src/odoo/addons/account/tests/test_account_payment.py", line 777, in test_resequence_change_payment_name
    self.assertEqual(payment.move_id.name, 'PBNK1/2025/00002')
AssertionError: 'PBNK1/2026/00002' != 'PBNK1/2025/00002'

2026-11-27 09:08:33,864 18135 INFO db odoo.addons.account.tests.test_account_payment: Starting \
TestAccountPayment.test_suggested_default_partner_bank ...
2026-11-27 09:13:39,527 18135 INFO db odoo.addons.purchase.tests.test_purchase_invoice: skipped \
TestPurchaseToInvoice.test_partial_billing_interaction_with_invoicing_switch_threshold : This test requires it
2026-11-27 09:15:59,000 18135 DEBUG db odoo.tests.stats: Detailed Tests Report:
\taccount: 1000.00s 99999 queries
\taccount.test_account_payment.TestAccountPayment: 39.83s 8259 queries
\taccount.test_account_payment.TestAccountPayment.setUpClass: 8.57s 2335 queries
\tpurchase.test_purchase_invoice.TestPurchaseToInvoice: 56.00s 7271 queries
2026-11-27 09:15:59,281 18135 ERROR db odoo.tests.result: 1 failed, 1 error(s) of 392 tests when loading database 'db'
"""


def test_the_report_skips_and_class_times_are_read():
    failures, errors, ran = (int(n) for n in odoo_own.REPORT.search(LOG).groups())
    assert (failures, errors, ran) == (1, 1, 392)
    assert len(odoo_own.SKIPPED.findall(LOG)) == 1  # a skipped subtest is not a skipped test
    assert odoo_own.class_times(LOG) == [(56.0, "purchase.TestPurchaseToInvoice", 7271),
                                         (39.83, "account.TestAccountPayment", 8259)]
    errors_text = odoo_own.errors_of(LOG)
    assert "AssertionError: 'PBNK1/2026/00002'" in errors_text and "Starting" not in errors_text


def test_every_excluded_test_is_in_the_selection():
    """An exclusion names one test of a selected class, so it cannot hide a whole class."""
    for spec in odoo_own.EXCLUDED:
        assert spec.startswith("-/") and "." in spec.split(":")[1], spec
        assert spec[1:].rsplit(".", 1)[0] in odoo_own.SELECTION, spec
