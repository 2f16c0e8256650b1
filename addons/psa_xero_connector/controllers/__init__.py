from . import main, signin, webhook
