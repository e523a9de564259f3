"""The provider's placeOrder requests and the emulator's error answers, checked against Amazon's published model.

The schemas are ``published/ordering.json``, derived from the Amazon Business Ordering API model (Swagger 2.0,
``Ordering_API.json``; its source and SHA-256 are in the file's ``$comment``) by ``scripts/derive_ab_schemas.py``:
every object closed, every discriminated type one of its subtypes. The model's licence is not stated, so the
repository keeps the derived schemas, not the document; where the document is at hand (``../shared/reference``
beside the checkout), a test derives them again and compares.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pulumi_outposts_orders.amazon_business import client, inputs
from pulumi_outposts_orders.emulator import amazon_business as ab
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .published_schemas import MODELS, assert_derived
from .test_schema import FULL

HERE = Path(__file__).resolve().parent
SCHEMAS = json.loads((HERE / "published" / "ordering.json").read_text())
MODEL = MODELS / "Ordering_API.json"
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def validator(definition: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({**SCHEMAS, "$ref": f"#/$defs/{definition}"})


def problems(definition: str, document: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(definition).iter_errors(document)]


@pytest.mark.skipif(not MODEL.exists(), reason=f"the published model is not at hand ({MODEL})")
def test_the_derived_schemas_are_what_the_published_model_gives() -> None:
    assert_derived(MODEL, SCHEMAS)


def test_the_schemas_catch_what_the_model_does_not_define() -> None:
    request = inputs.place_request(FULL, "pulumi-x")
    assert problems("PlaceOrderRequest", request) == []
    assert problems("PlaceOrderRequest", {k: v for k, v in request.items() if k != "expectations"})
    assert problems("PlaceOrderRequest", {**request, "attributes": [{"attributeType": "Region", "region": "GB"}]})
    invented = {"expectationType": "ExpectedCharge", "amount": {"currencyCode": "USD", "amount": 1.0},
                "source": "SUBTOTAL", "tolerance": 0.1}
    assert problems("PlaceOrderRequest", {**request, "expectations": [invented]})


MINIMAL = {**{k: v for k, v in FULL.items() if k in ("buyer_email", "generation", "order_key")},
           "line_items": [{"asin": "B000000001", "buying_option_id": "bo-1", "quantity": 1}],
           "shipping_address": {"full_name": "Site Ops", "address_line1": "1 Main St", "city": "Seattle",
                                "postal_code": "98109", "country_code": "US"}}


@pytest.mark.parametrize("marketplace", [m for group in client.MARKETPLACES.values() for m in group])
@pytest.mark.parametrize("options", [
    MINIMAL,
    FULL,
    {"line_items": [{"asin": "B000000001", "buying_option_id": "bo-1", "quantity": 3, "external_id": "qsfp",
                     "expected_unit_price": {"amount": 12.5, "currency": "USD"},
                     "expected_charge": {"amount": 37.5, "currency": "USD"}}]},
], ids=["minimal", "full", "expectations"])
def test_every_request_the_provider_sends_is_one_the_model_defines(marketplace: str, options: dict[str, Any]) -> None:
    props = {**MINIMAL, **options, "marketplace": marketplace}
    assert inputs.check_inputs(props) == []
    assert problems("PlaceOrderRequest", inputs.place_request(props, inputs.external_id("org/p/s/r", 1))) == []


def test_the_emulator_answers_errors_as_the_model_defines_them(emulator: RunningEmulator) -> None:
    form = urllib.parse.urlencode({"grant_type": "refresh_token", "client_id": ab.LWA_CLIENT_ID,
                                   "client_secret": ab.LWA_CLIENT_SECRET, "refresh_token": ab.LWA_REFRESH_TOKEN})
    login = urllib.request.Request(f"{emulator.endpoint}/auth/o2/token", data=form.encode())
    token = json.loads(DIRECT.open(login, timeout=10).read())["access_token"]
    requests = [
        urllib.request.Request(f"{emulator.endpoint}{ab.ORDERS_PATH}/no-such-order", headers={
            "x-amz-access-token": token, "x-amz-user-email": "buyer@example.com"}),
        urllib.request.Request(f"{emulator.endpoint}{ab.ORDERS_PATH}/no-such-order", headers={
            "x-amz-access-token": "Atza|not-a-token", "x-amz-user-email": "buyer@example.com"}),
        urllib.request.Request(f"{emulator.endpoint}{ab.ORDERS_PATH}", data=b"{}", headers={
            "x-amz-access-token": token, "Content-Type": "application/json"}),
    ]
    statuses = []
    for request in requests:
        with pytest.raises(urllib.error.HTTPError) as failed:
            DIRECT.open(request, timeout=10)
        statuses.append(failed.value.code)
        assert problems("ErrorList", json.loads(failed.value.read())) == []
    assert statuses == [404, 403, 400]


def test_the_answer_the_provider_is_tested_with_is_one_the_model_defines() -> None:
    from .test_schema import ANSWER

    assert problems("OrderDetailsResult", ANSWER) == []
