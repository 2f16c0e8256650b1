"""The errors the QBO client raises, one kind per thing a caller does about it, carrying
QBO's own words (``errors``: each ``Fault.Error[]`` as QBO sent it).

Fault shapes (../shared/qbo-facts.md "Errors" and "Limits"):
- JSON ``{"Fault": {"Error": [{"Message", "Detail", "code", "element"}], "type"}, "time"}``,
  also inside a 200 and inside each failed ``BatchItemResponse`` (developer.intuit.com
  error-codes; IntuitRestServiceDef.xsd ``Fault`` / ``Error``);
- the throttle's XML ``<IntuitResponse><Fault type="SERVICE"><Error code="3001">`` with
  "ThrottleExceeded", answered with 429 even to JSON clients (ruckus/quickbooks-ruby PR #348,
  routablehq/python-quickbooks#43);
- Intuit's gateway answers some 401s with lower-case keys (``"fault": {"error": [{"message",
  "detail", "code"}]}``; unconfirmed), read the same way.
"""

import re
import xml.etree.ElementTree as ET

THROTTLE_WAIT = 60  # Intuit: wait 60 s after a 429 (limits-and-throttles page)
STALE_OBJECT = "5010"
THROTTLED = "3001"
_DUPLICATE_DOC = re.compile(r"DocNumber=(?P<number>.*?) is assigned to TxnType=(?P<type>.+?) with TxnId=(?P<id>\w+)")


class QboError(Exception):
    """Base class. ``status``: the HTTP status (None when no answer came); ``errors``: QBO's
    ``Fault.Error[]`` entries ({"code", "Message", "Detail", "element"}); ``fault_type``:
    ValidationFault, SystemFault, AuthenticationFault, AuthorizationFault, SERVICE …"""

    def __init__(self, message, status=None, body=None, errors=(), fault_type=None):
        super().__init__(message)
        self.status = status
        self.body = body
        self.errors = list(errors)
        self.fault_type = fault_type

    @property
    def code(self):
        return str(self.errors[0].get("code") or "") if self.errors else ""

    @property
    def element(self):
        return (self.errors[0].get("element") or "") if self.errors else ""

    @property
    def messages(self):
        """Each error as QBO words it: "Message: Detail" (Detail alone when it repeats Message)."""
        return [error_text(e) for e in self.errors]


class QboValidationError(QboError):
    """QBO refused the content (6000 business rules, 6140 duplicate DocNumber, 6210 closed
    period, 2020 missing field, 2500 unknown reference …): fix the data, then retry."""


class QboStaleObject(QboError):
    """5010 Stale Object Error: the SyncToken sent is not the object's current one (someone
    changed it in QBO since we read it). Re-read, re-apply our change, send again — never an
    auth problem (alga-psa PR #2673 misread it as one)."""


class QboRateLimited(QboError):
    """429 ThrottleExceeded (code 3001): wait ``retry_after`` seconds. ``scope``: which limit
    the caller was counting against — "batch" for ``/batch`` (40 per minute per realm), else
    "realm" (500 per minute, 10 per second); QBO's answer does not say which."""

    def __init__(self, message, retry_after=THROTTLE_WAIT, scope="realm", status=429, body=None, errors=(),
                 fault_type=None):
        super().__init__(message, status, body, errors, fault_type)
        self.retry_after = retry_after
        self.scope = scope


class QboAuthError(QboError):
    """401/403 (3200 AuthenticationFailed, 3100 ApplicationAuthorizationFailed) or the token
    endpoint's refusal (``oauth_error``: invalid_grant, invalid_client …): refresh or reconnect."""

    def __init__(self, message, status=None, body=None, errors=(), fault_type=None, oauth_error=None):
        super().__init__(message, status, body, errors, fault_type)
        self.oauth_error = oauth_error

    @property
    def grant_refused(self):
        """The refresh token is dead (invalid_grant): only a new consent helps."""
        return self.oauth_error == "invalid_grant"


class QboTransientError(QboError):
    """5xx, SystemFault, timeout, connection reset: the same request may be sent again (with the
    same ``requestid``). ``answer_lost``: the request left, no answer came — it may have been
    applied (for a refresh: Intuit may have rotated the refresh token)."""

    def __init__(self, message, status=None, body=None, errors=(), fault_type=None, answer_lost=False):
        super().__init__(message, status, body, errors, fault_type)
        self.answer_lost = answer_lost


class QboNotFound(QboError):
    """610 Object Not Found for the object asked for (a read, an update by Id), or a 404."""


def error_text(error):
    message = (error.get("Message") or "").strip()
    detail = (error.get("Detail") or "").strip()
    if not detail or detail == message:
        return message
    if not message or detail.startswith(message):
        return detail
    return "%s: %s" % (message, detail)


def _lower_keys(node):
    return {str(k).lower(): v for k, v in node.items()} if isinstance(node, dict) else {}


def json_fault(body):
    """-> (fault type, [errors]) of a JSON Fault body (or of a bare ``Fault`` object, as batch
    items carry it); (None, []) when the body is none. Keys are normalised to QBO's spelling."""
    top = _lower_keys(body)
    fault = _lower_keys(top.get("fault")) if "fault" in top else (top if "error" in top else {})
    if not fault:
        return None, []
    errors = []
    for raw in fault.get("error") or ():
        raw = _lower_keys(raw)
        error = {"code": str(raw.get("code") or ""), "Message": raw.get("message") or "",
                 "Detail": raw.get("detail") or ""}
        if raw.get("element"):
            error["element"] = raw["element"]
        errors.append(error)
    return fault.get("type"), errors


def xml_fault(text):
    """-> (fault type, [errors]) of an XML ``IntuitResponse`` Fault (the 429 body); (None, [])
    when ``text`` is not one."""
    if not isinstance(text, str) or "<" not in text:
        return None, []
    try:
        root = ET.fromstring(text.strip().encode("utf-8"))
    except ET.ParseError:
        return None, []
    fault = next((n for n in root.iter() if n.tag.rsplit("}", 1)[-1] == "Fault"), None)
    if fault is None:
        return None, []
    errors = []
    for node in fault:
        if node.tag.rsplit("}", 1)[-1] != "Error":
            continue
        parts = {child.tag.rsplit("}", 1)[-1]: (child.text or "").strip() for child in node}
        error = {"code": node.get("code") or "", "Message": parts.get("Message", ""), "Detail": parts.get("Detail", "")}
        if node.get("element"):
            error["element"] = node.get("element")
        errors.append(error)
    return fault.get("type"), errors


def error_for(status, body, headers=None, scope="realm"):
    """The error for an answer: ``status`` (None for a Fault inside a 200 or a batch item),
    ``body`` decoded JSON or text. -> a QboError (to raise), or None when it is no error."""
    if isinstance(body, (dict, list)):
        fault_type, errors = json_fault(body if isinstance(body, dict) else {})
    else:
        fault_type, errors = xml_fault(body)
    if not errors and (status is None or status < 400):
        return None
    codes = {e["code"] for e in errors}
    text = "; ".join(error_text(e) for e in errors) or "QuickBooks answered %s" % status
    kwargs = {"status": status, "body": body, "errors": errors, "fault_type": fault_type}
    if status == 429 or THROTTLED in codes:
        return QboRateLimited(text, retry_after=retry_after(headers), scope=scope, **kwargs)
    if STALE_OBJECT in codes:
        return QboStaleObject(text, **kwargs)
    if status in (401, 403) or fault_type in ("AuthenticationFault", "AuthorizationFault") \
            or codes & {"3200", "3100"}:
        return QboAuthError(text, **kwargs)
    if status == 404 or ("610" in codes and all(e.get("element", "") in ("", "Id") for e in errors)):
        return QboNotFound(text, **kwargs)
    if (status is not None and (status >= 500 or status in (408, 425))) or fault_type == "SystemFault" \
            or "10000" in codes:
        return QboTransientError(text, **kwargs)
    if status is None or status == 400 or fault_type == "ValidationFault" or errors:
        return QboValidationError(text, **kwargs)
    return QboError(text, **kwargs)


def retry_after(headers):
    """Seconds to wait after a 429: its Retry-After when QBO sends one, else Intuit's 60."""
    lower = {str(k).lower(): v for k, v in (headers or {}).items()}
    try:
        return max(1, int(float(lower["retry-after"])))
    except (KeyError, TypeError, ValueError):
        return THROTTLE_WAIT


def duplicate_document(error):
    """6140's Detail names the document holding the number ("DocNumber=1234 is assigned to
    TxnType=Credit Memo with TxnId=111"). -> {"number", "txn_type", "txn_id"} or None."""
    for entry in getattr(error, "errors", None) or ():
        if entry.get("code") in ("6140", "6210"):
            match = _DUPLICATE_DOC.search(entry.get("Detail") or "")
            if match:
                return {"number": match.group("number"), "txn_type": match.group("type"),
                        "txn_id": match.group("id")}
    return None
