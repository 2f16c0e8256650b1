from . import test_tickets
