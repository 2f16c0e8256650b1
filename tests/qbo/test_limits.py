"""Throttling: 10 requests/s per realm and app, 500/min per realm, 40 batches/min, answered
429 with Intuit's XML ThrottleExceeded fault even to a JSON client (python-quickbooks then
raises "Error reading json response", as its users report). Simulated time is nearly frozen
here (time scale 0.001) so that the thresholds do not depend on this machine's speed."""

import xml.etree.ElementTree as ET

import pytest
from quickbooks.exceptions import QuickbooksException
from quickbooks.objects.customer import Customer

from harness.clock import Clock
from harness.qbo import seed
from harness.qbo.app import QboApp
from harness.qbo.store import QboStore
from harness.server import HarnessServer
from harness.testing import Admin

from .conftest import CLIENT_ID, CLIENT_SECRET, REDIRECT, US, Api, auth_client, quickbooks

NS = "{http://schema.intuit.com/finance/v3}"


@pytest.fixture
def frozen():
    server = HarnessServer(app=QboApp(QboStore(), Clock(0.001))).start()
    seed.load(server.app, "demo")
    server.app.identity.register_client(CLIENT_ID, CLIENT_SECRET, [REDIRECT])
    yield server
    server.stop()


def assert_throttled(resp):
    assert resp.status_code == 429
    assert resp.headers["Content-Type"].startswith("application/xml")
    root = ET.fromstring(resp.content)
    error = root.find(NS + "Fault/" + NS + "Error")
    assert root.tag == NS + "IntuitResponse" and error.get("code") == "3001"
    assert error.find(NS + "Message").text == "message=ThrottleExceeded; errorCode=003001; statusCode=429"


def test_ten_per_second_then_xml_429_even_to_json_clients(frozen):
    client = auth_client(frozen.url, US)
    api = Api(frozen.url, client.access_token, US)
    for _ in range(10):
        assert api.get("companyinfo/" + US).status_code == 200
    assert_throttled(api.get("companyinfo/" + US, headers={"Accept": "application/json"}))
    with pytest.raises(QuickbooksException) as err:
        Customer.all(qb=quickbooks(frozen.url, client))
    assert err.value.error_code == 10000 and "ThrottleExceeded" in err.value.message
    Admin(frozen.url).post("/clock/advance", {"seconds": 1})
    assert api.get("companyinfo/" + US).status_code == 200


def test_five_hundred_per_minute_per_realm(frozen):
    admin = Admin(frozen.url)
    admin.post("/limits", {"second": 100000})
    api = Api(frozen.url, auth_client(frozen.url, US).access_token, US)
    codes = [api.get("companyinfo/" + US).status_code for _ in range(500)]
    assert set(codes) == {200}
    assert_throttled(api.get("companyinfo/" + US))
    admin.post("/clock/advance", {"seconds": 60})
    assert api.get("companyinfo/" + US).status_code == 200


def test_forty_batches_per_minute(frozen):
    admin = Admin(frozen.url)
    admin.post("/limits", {"second": 100000})
    api = Api(frozen.url, auth_client(frozen.url, US).access_token, US)
    body = {"BatchItemRequest": [{"bId": "1", "Query": "select * from Class"}]}
    assert {api.post("batch", body).status_code for _ in range(40)} == {200}
    assert_throttled(api.post("batch", body))
    assert api.get("companyinfo/" + US).status_code == 200  # other calls still pass
