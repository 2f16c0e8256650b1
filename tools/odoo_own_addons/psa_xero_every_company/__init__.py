from . import models

# Nothing is ever sent during Odoo's tests (they never commit, so the outbox's worker never
# runs); should anything call Xero anyway, it meets a closed port, and `./run` fails the run
# when the request log is not empty afterwards.
UNREACHABLE = "http://127.0.0.1:9"


def post_init_hook(env):
    prefix = "psa_xero_connector."
    icp = env["ir.config_parameter"].sudo()
    for key, path in (("authorize_url", "/identity/connect/authorize"), ("token_url", "/identity/connect/token"),
                      ("revoke_url", "/identity/connect/revocation"), ("connections_url", "/connections"),
                      ("api_url", "/api.xro/2.0")):
        icp.set_param(prefix + key, UNREACHABLE + path)
    icp.set_param(prefix + "client_id", "odoo-own-tests")
    icp.set_param(prefix + "client_secret", "odoo-own-tests")
    icp.set_param(prefix + "webhook_key", "odoo-own-tests")
    env["res.company"].search([])._psa_xero_connect()
