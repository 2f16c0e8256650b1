from . import test_rules
from . import test_labour_billing
from . import test_manifest
