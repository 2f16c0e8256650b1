from . import xero_import_line
from . import xero_import_wizard
