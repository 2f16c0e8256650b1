from . import xero_import_wizard
