from . import test_every_company
