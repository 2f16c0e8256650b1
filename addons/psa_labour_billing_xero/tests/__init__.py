from . import test_labour_to_xero
