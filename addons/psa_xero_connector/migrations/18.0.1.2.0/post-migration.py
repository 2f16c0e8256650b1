"""18.0.1.2.0: the accounting connection no longer asks the OpenID scopes (they belong to Sign in
with Xero) and asks payments read-only. A database whose stored scopes are an earlier default gets
today's; scopes an administrator chose by hand are kept. Connections made before keep their
tokens (Xero cannot narrow a granted token): the next Reconnect asks the new scopes."""

from odoo.addons.psa_xero_connector import const


def migrate(cr, version):
    for old, new in const.OLD_DEFAULT_SCOPES.items():
        cr.execute("UPDATE ir_config_parameter SET value = %s WHERE key = %s AND value = %s",
                   (new, const.PARAM_PREFIX + "scopes", old))
