"""Intuit's OAuth 2.0 through intuit-oauth (Intuit's own client): discovery, consent choosing
one company, code → tokens, refresh rotation (old value → invalid_grant), revocation."""

import pytest
import requests
from intuitlib.client import AuthClient
from intuitlib.enums import Scopes
from intuitlib.exceptions import AuthClientError
from quickbooks.exceptions import AuthorizationException
from quickbooks.objects.customer import Customer

from harness.qbo.testing import approve_consent, consent_form, query_of

from .conftest import CLIENT_ID, CLIENT_SECRET, REDIRECT, UK, US, Api, auth_client, quickbooks


def test_discovery_document_points_intuitlib_at_the_simulator(qbo):
    doc = requests.get(qbo.url + "/.well-known/openid_configuration", timeout=10).json()
    assert doc["token_endpoint"] == qbo.url + "/oauth2/v1/tokens/bearer"
    assert doc["revocation_endpoint"] == qbo.url + "/v2/oauth2/tokens/revoke"
    client = AuthClient(CLIENT_ID, CLIENT_SECRET, REDIRECT, qbo.url + "/.well-known/openid_configuration")
    assert client.auth_endpoint == qbo.url + "/connect/oauth2"


def test_consent_page_offers_each_company_and_the_callback_names_the_one_chosen(qbo):
    client = AuthClient(CLIENT_ID, CLIENT_SECRET, REDIRECT, qbo.url + "/.well-known/openid_configuration")
    url = client.get_authorization_url([Scopes.ACCOUNTING], state_token="st-1")
    _, offered = consent_form(requests.get(url, timeout=10).text)
    assert offered == [US, UK]
    back = query_of(approve_consent(url, UK))
    assert back["state"] == "st-1" and back["realmId"] == UK and back["code"]
    assert back.keys() == {"code", "state", "realmId"}
    client.get_bearer_token(back["code"], realm_id=back["realmId"])
    assert client.expires_in == 3600 and client.x_refresh_token_expires_in == 100 * 24 * 3600
    # one authorisation = one company: the token reaches UK only
    api = Api(qbo.url, client.access_token, UK)
    assert api.get("companyinfo/" + UK).status_code == 200
    denied = api.get("companyinfo/" + US, realm=US)
    assert denied.status_code == 403 and denied.json()["Fault"]["type"] == "AuthorizationFault"


def test_cancel_redirects_with_access_denied(qbo):
    client = AuthClient(CLIENT_ID, CLIENT_SECRET, REDIRECT, qbo.url + "/.well-known/openid_configuration")
    back = query_of(approve_consent(client.get_authorization_url([Scopes.ACCOUNTING], "s"), decision="deny"))
    assert back == {"error": "access_denied", "state": "s"}


def test_a_code_works_once(qbo):
    client = AuthClient(CLIENT_ID, CLIENT_SECRET, REDIRECT, qbo.url + "/.well-known/openid_configuration")
    back = query_of(approve_consent(client.get_authorization_url([Scopes.ACCOUNTING])))
    client.get_bearer_token(back["code"])
    with pytest.raises(AuthClientError) as err:
        client.get_bearer_token(back["code"])
    assert err.value.status_code == 400 and b"invalid_grant" in err.value.content


def test_refresh_keeps_the_value_within_a_day_then_rotates_and_the_old_value_is_refused(qbo, admin):
    client = auth_client(qbo.url, US)
    first = client.refresh_token
    client.refresh()
    assert client.refresh_token == first  # Intuit changes the value every 24–26 h, not on each refresh
    admin.post("/clock/advance", {"seconds": 25 * 3600})
    client.refresh()
    rotated = client.refresh_token
    assert rotated != first
    with pytest.raises(AuthClientError) as err:
        client.refresh(refresh_token=first)
    assert b"invalid_grant" in err.value.content
    client.refresh(refresh_token=rotated)  # the newest still works
    assert Customer.all(qb=quickbooks(qbo.url, client))


def test_revoke_ends_api_access_and_refresh(qbo):
    client = auth_client(qbo.url, US)
    qb = quickbooks(qbo.url, client)
    assert Customer.all(qb=qb)
    assert client.revoke() is True
    with pytest.raises(AuthorizationException) as err:
        Customer.all(qb=qb)
    assert err.value.error_code == 401
    with pytest.raises(AuthClientError):
        client.refresh()


def test_expired_access_token_answers_401_until_refreshed(qbo, admin, qb, auth):
    admin.post("/clock/advance", {"seconds": 3601})
    with pytest.raises(AuthorizationException):
        Customer.all(qb=qb)
    auth.refresh()
    assert Customer.all(qb=quickbooks(qbo.url, auth))
