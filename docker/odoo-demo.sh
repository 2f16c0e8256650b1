#!/bin/sh
# Runs inside the official odoo:18.0 image (docker-compose.yml): install the Python
# requirements, create the demo database with the addon once, point it at the harness, serve.
set -e
# the harness (`-e ./harness`) only serves the tests, and the mount is read-only: leave it out
grep -v '^-e ./harness' /mnt/psa-xero/requirements.txt > /tmp/requirements.txt
pip3 install --quiet --break-system-packages -r /tmp/requirements.txt 2>/dev/null \
  || pip3 install --quiet -r /tmp/requirements.txt
DB=psa_xero_demo
ODOO="odoo --db_host=db --db_user=odoo --db_password=odoo --addons-path=/mnt/extra-addons,/usr/lib/python3/dist-packages/odoo/addons"
if ! su odoo -s /bin/sh -c "psql -h db -U odoo -lqt" 2>/dev/null | cut -d'|' -f1 | grep -qw "$DB"; then
  su odoo -s /bin/sh -c "$ODOO -d $DB -i psa_xero_connector --stop-after-init --no-http"
  su odoo -s /bin/sh -c "$ODOO shell -d $DB --no-http" <<'PY'
icp = env['ir.config_parameter']
icp.set_param('web.base.url', 'http://localhost:8069')
icp.set_param('web.base.url.freeze', 'True')
settings = {
    'client_id': 'demo-client', 'client_secret': 'demo-secret',
    # the browser goes to the harness on localhost; Odoo's server reaches it as "harness"
    'authorize_url': 'http://localhost:8070/identity/connect/authorize',
    'token_url': 'http://harness:8070/identity/connect/token',
    'revoke_url': 'http://harness:8070/identity/connect/revocation',
    'connections_url': 'http://harness:8070/connections',
    'api_url': 'http://harness:8070/api.xro/2.0',
    'webhook_key': 'demo-webhook-key',
}
for key, value in settings.items():
    icp.set_param('psa_xero_connector.' + key, value)
env.cr.commit()
PY
fi
exec su odoo -s /bin/sh -c "$ODOO -d $DB --db-filter=^$DB\$"
