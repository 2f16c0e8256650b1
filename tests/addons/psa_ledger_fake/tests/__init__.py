from . import test_core_with_a_fake_ledger
