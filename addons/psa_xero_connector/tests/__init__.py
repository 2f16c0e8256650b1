from . import test_connect_flow, test_tokens
