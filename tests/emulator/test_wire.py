"""The wire: SigV4 checks, unknown and unimplemented operations, malformed requests, timestamps."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .conftest import client_of
from .helpers import error_of

SIGNED = {
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260616/us-east-1/outposts/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64,
    "X-Amz-Date": "20260616T000000Z",
}
"""A well-formed signature: enough outside strict mode."""


def raw(endpoint: str, method: str, path: str, body: bytes | None = None,
        headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], dict[str, Any]]:
    """A raw HTTP call: status, headers, JSON body."""
    request = urllib.request.Request(endpoint + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def test_unsigned_requests_get_an_aws_style_403(live: RunningEmulator) -> None:
    status, headers, body = raw(live.endpoint, "GET", "/outposts")
    assert status == 403 and headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    assert body == {"message": "Missing Authentication Token"}
    status, headers, _ = raw(live.endpoint, "GET", "/outposts", headers={"Authorization": "Bearer nope"})
    assert (status, headers["x-amzn-ErrorType"]) == (403, "IncompleteSignatureException")


def test_strict_mode_verifies_signatures_and_refuses_other_keys() -> None:
    with RunningEmulator(args=["--credentials", "AKIASTRICT:right-secret"]) as running:
        good = client_of(running, aws_access_key_id="AKIASTRICT", aws_secret_access_key="right-secret")
        assert good.get_outpost(OutpostId=seed.RACK_OUTPOST_ID)["Outpost"]["OutpostId"] == seed.RACK_OUTPOST_ID
        arn = f"arn:aws:outposts:us-east-1:{seed.ACCOUNT_ID}:outpost/{seed.RACK_OUTPOST_ID}"
        assert good.list_orders(OutpostIdentifierFilter=arn, MaxResults=5)["Orders"] == []  # encoded query
        good.create_order(OutpostIdentifier=arn, PaymentOption="NO_UPFRONT",  # signed JSON body
                          LineItems=[{"CatalogItemId": seed.RACK_CATALOG_ITEM_ID, "Quantity": 1}])
        wrong_secret = client_of(running, aws_access_key_id="AKIASTRICT", aws_secret_access_key="wrong")
        error = error_of(wrong_secret.list_sites)
        assert (error["Code"], error["HTTPStatusCode"]) == ("InvalidSignatureException", 403)
        other_key = client_of(running, aws_access_key_id="AKIAOTHER", aws_secret_access_key="right-secret")
        assert error_of(other_key.list_sites)["Code"] == "UnrecognizedClientException"


def test_other_operations_of_the_model_are_refused_by_name(outposts: Any) -> None:
    error = error_of(outposts.get_site_address, SiteId=seed.SITE_ID, AddressType="SHIPPING_ADDRESS")
    assert (error["Code"], error["HTTPStatusCode"]) == ("NotImplementedException", 501)
    assert error["Message"] == "Operation GetSiteAddress is not implemented by the emulator"


def test_unknown_paths_are_errors(live: RunningEmulator) -> None:
    status, headers, body = raw(live.endpoint, "GET", "/no/such/path")
    assert (status, headers["x-amzn-ErrorType"]) == (404, "UnknownOperationException")
    assert "GET /no/such/path" in body["message"]
    status, _, body = raw(live.endpoint, "GET", "/_emulator/nothing")
    assert status == 404 and "nothing" in body["message"]


def test_validation_of_uri_and_query_members(outposts: Any, live: RunningEmulator) -> None:
    error = error_of(outposts.get_order, OrderId="not-an-order")
    assert error["Code"] == "ValidationException" and "OrderId" in error["Message"] and "[pattern]" in error["Message"]
    unvalidated = client_of(live, _unvalidated())
    error = error_of(unvalidated.list_orders, MaxResults=5000)
    assert "MaxResults must be <= 1000" in error["Message"]


def test_malformed_json_bodies_are_validation_errors(live: RunningEmulator) -> None:
    status, headers, body = raw(live.endpoint, "POST", "/quotes", b"{not json", SIGNED)
    assert (status, headers["x-amzn-ErrorType"]) == (400, "ValidationException")
    assert "not valid JSON" in body["message"]
    status, _, body = raw(live.endpoint, "POST", "/quotes", b"[1, 2]", SIGNED)
    assert status == 400 and "JSON object" in body["message"]


def test_timestamps_are_epoch_seconds_on_the_wire(live: RunningEmulator, outposts: Any) -> None:
    parsed = outposts.get_quote(QuoteIdentifier=seed.QUOTE_ID)
    assert parsed["Quote"]["CreatedDate"].year >= 2024
    body = json.loads(_last_body(outposts, "get_quote", QuoteIdentifier=seed.QUOTE_ID))
    assert isinstance(body["Quote"]["CreatedDate"], int | float)
    assert "_OutpostId" not in body["Quote"] and "_LineItems" not in body["Quote"]["QuoteOptions"][0]


def _unvalidated() -> Any:
    from botocore.config import Config

    return Config(parameter_validation=False, retries={"total_max_attempts": 1})


def _last_body(client: Any, operation: str, **params: Any) -> bytes:
    bodies: list[bytes] = []
    client.meta.events.register("after-call.outposts", lambda http_response, **_: bodies.append(http_response.content))
    getattr(client, operation)(**params)
    return bodies[-1]
