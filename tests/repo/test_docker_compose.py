"""docker-compose.yml cannot be run here (no Docker engine): check what can be checked by
reading it — services, mounts of files that exist, and the demo wiring."""

import os

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_compose_file_is_consistent():
    with open(os.path.join(REPO, "docker-compose.yml")) as fh:
        compose = yaml.safe_load(fh)
    services = compose["services"]
    assert set(services) == {"db", "odoo", "harness"}
    assert services["odoo"]["image"] == "odoo:18.0"
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert os.path.exists(os.path.join(REPO, source)), (name, volume)
            else:
                assert source in compose["volumes"], (name, volume)
    entry = services["odoo"]["entrypoint"][-1].replace("/mnt/psa-xero/", "")
    assert os.access(os.path.join(REPO, entry), os.X_OK)
    assert "--webhook-url http://odoo:8069/xero/webhook" in services["harness"]["command"]
    with open(os.path.join(REPO, "docker", "odoo-demo.sh")) as fh:
        script = fh.read()
    assert "http://localhost:8070/identity/connect/authorize" in script  # the browser's URL
    assert "http://harness:8070/api.xro/2.0" in script                   # the server's URL
    # the same demo database as `./run demo`: UK chart, companies matching the harness's organisations
    assert "-i psa_xero_connector,l10n_uk --without-demo=all" in script
    assert "/mnt/psa-xero/tools/demo_setup.py" in script and '"odoo_url": "http://localhost:8069"' in script
