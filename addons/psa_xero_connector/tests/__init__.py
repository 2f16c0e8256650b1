from . import test_connect_flow
