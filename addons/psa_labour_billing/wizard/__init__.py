from . import labour_invoice_wizard
