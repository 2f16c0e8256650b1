#!/bin/sh
# Runs inside the official odoo:18.0 image (docker-compose.yml): install the Python
# requirements, create the demo database once — the addon, Odoo's UK chart (l10n_uk, this
# database only) and the two companies that match the harness's organisations
# (tools/demo_setup.py, as `./run demo` does) — point it at the harness, serve.
set -e
# the harness (`-e ./harness`) only serves the tests, and the mount is read-only: leave it out
grep -v '^-e ./harness' /mnt/psa-xero/requirements.txt > /tmp/requirements.txt
pip3 install --quiet --break-system-packages -r /tmp/requirements.txt 2>/dev/null \
  || pip3 install --quiet -r /tmp/requirements.txt
DB=psa_xero_demo
ODOO="odoo --db_host=db --db_user=odoo --db_password=odoo --addons-path=/mnt/extra-addons,/usr/lib/python3/dist-packages/odoo/addons"
if ! su odoo -s /bin/sh -c "psql -h db -U odoo -lqt" 2>/dev/null | cut -d'|' -f1 | grep -qw "$DB"; then
  su odoo -s /bin/sh -c "$ODOO -d $DB -i psa_xero_connector,l10n_uk --without-demo=all --stop-after-init --no-http"
  # the browser goes to the harness on localhost; Odoo's server reaches it as "harness"
  { cat <<'PY'
PARAMS = {"odoo_url": "http://localhost:8069", "xero": {
    "client_id": "demo-client", "client_secret": "demo-secret",
    "authorize_url": "http://localhost:8070/identity/connect/authorize",
    "token_url": "http://harness:8070/identity/connect/token",
    "revoke_url": "http://harness:8070/identity/connect/revocation",
    "connections_url": "http://harness:8070/connections",
    "api_url": "http://harness:8070/api.xro/2.0",
    "webhook_key": "demo-webhook-key"}}
PY
    cat /mnt/psa-xero/tools/demo_setup.py; } | su odoo -s /bin/sh -c "$ODOO shell -d $DB --no-http" | grep -q configured
fi
exec su odoo -s /bin/sh -c "$ODOO -d $DB --db-filter=^$DB\$"
