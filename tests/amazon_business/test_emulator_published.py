"""The emulator's Amazon Business answers, checked against Amazon's published models over HTTP.

Every placeOrder and orderDetails answer is validated against ``PlaceOrderResult`` / ``OrderDetailsResult``
(``published/ordering.json``) and every getPackageTrackingDetails answer, errors included, against
``GetPackageTrackingDetailsResponse`` / ``ErrorList`` (``published/package_tracking.json``, derived from the
Package Tracking model by ``scripts/derive_ab_schemas.py``), with the same validator as
``test_published_model.py``. The requests are the provider's own (``inputs.place_request``). Beside the shapes,
the facts a customer reads: charges per category and type, rejections, a group's quantities, and packages
moving ORDERED -> SHIPPED -> OUT_FOR_DELIVERY -> DELIVERED on the emulator's clock (or DELAYED when set).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pulumi_outposts_orders.amazon_business import inputs
from pulumi_outposts_orders.emulator import amazon_business as ab
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .published_schemas import MODELS, assert_derived

HERE = Path(__file__).resolve().parent
ORDERING = json.loads((HERE / "published" / "ordering.json").read_text())
TRACKING = json.loads((HERE / "published" / "package_tracking.json").read_text())
TRACKING_MODEL = MODELS / "PackageTracking_API.json"
"""Where the Package Tracking model is looked for (the repository keeps only its derivation: it is under the
Amazon Software License)."""
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
BUYER = "buyer@example.com"
# The statuses the Package Tracking model documents for ``trackingStatus`` (in its description: no enum).
DOCUMENTED_STATUSES = {"ORDERED", "SHIPPED", "OUT_FOR_DELIVERY", "DELIVERED", "DELAYED", "UNDELIVERABLE", "RETURNED",
                       "REFUND_ISSUED", "AVAILABLE_FOR_PICKUP", "CUSTOMER_ACTION"}
PRODUCTS = {p.asin: p for p in ab.SEED_PRODUCTS}
QSFP, MPO, PDU, EU, KIT = (PRODUCTS[a] for a in ("B07QSFP28A", "B08MPOFIB1", "B09PDUC19A", "B001W0QL2I",
                                                 "B0CQSFPKIT"))


def problems(schemas: dict[str, Any], definition: str, document: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator({**schemas, "$ref": f"#/$defs/{definition}"})
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


class Client:
    """The three operations over HTTP, each answer checked against its published model."""

    def __init__(self, emulator: RunningEmulator) -> None:
        self.endpoint = emulator.endpoint
        form = urllib.parse.urlencode({"grant_type": "refresh_token", "client_id": ab.LWA_CLIENT_ID,
                                       "client_secret": ab.LWA_CLIENT_SECRET, "refresh_token": ab.LWA_REFRESH_TOKEN})
        login = urllib.request.Request(f"{self.endpoint}{ab.TOKEN_PATH}", data=form.encode())
        self.token = json.loads(DIRECT.open(login, timeout=10).read())["access_token"]

    def send(self, request: urllib.request.Request) -> tuple[int, dict[str, str], Any]:
        try:
            with DIRECT.open(request, timeout=10) as response:
                return response.status, dict(response.headers), json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), json.loads(error.read())

    def place(self, lines: list[dict[str, Any]], external: str, marketplace: str = "US") -> dict[str, Any]:
        props = {"line_items": lines, "buyer_email": BUYER, "marketplace": marketplace,
                 "shipping_address": {"full_name": "Site Ops", "address_line1": "410 Terry Ave N", "city": "Seattle",
                                      "state_or_region": "WA", "postal_code": "98109", "country_code": "US"}}
        body = inputs.place_request(props, external)
        assert problems(ORDERING, "PlaceOrderRequest", body) == []
        status, _, answer = self.send(urllib.request.Request(
            f"{self.endpoint}{ab.ORDERS_PATH}", data=json.dumps(body).encode(),
            headers={"x-amz-access-token": self.token, "Content-Type": "application/json"}))
        assert status == 200, answer
        assert problems(ORDERING, "PlaceOrderResult", answer) == []
        return dict(answer)

    def details(self, external: str) -> dict[str, Any]:
        status, _, answer = self.send(urllib.request.Request(
            f"{self.endpoint}{ab.ORDERS_PATH}/{external}",
            headers={"x-amz-access-token": self.token, "x-amz-user-email": BUYER}))
        assert status == 200, answer
        assert problems(ORDERING, "OrderDetailsResult", answer) == []
        return dict(answer)

    def track(self, order_id: str, shipment_id: str, package_id: str, query: str = "region=US",
              token: str | None = None) -> tuple[int, dict[str, str], dict[str, Any]]:
        status, headers, answer = self.send(urllib.request.Request(
            f"{self.endpoint}{ab.TRACKING_PATH}/{order_id}/shipments/{shipment_id}/packages/{package_id}?{query}",
            headers={"x-amz-access-token": self.token if token is None else token}))
        assert problems(TRACKING, "GetPackageTrackingDetailsResponse" if status == 200 else "ErrorList", answer) == []
        if status == 200:
            assert answer["packageTrackingDetails"]["trackingStatus"] in DOCUMENTED_STATUSES
        return status, headers, answer

    def status_of(self, package: tuple[str, str, str]) -> str:
        status, _, answer = self.track(*package)
        assert status == 200, answer
        return str(answer["packageTrackingDetails"]["trackingStatus"])


@pytest.mark.skipif(not TRACKING_MODEL.exists(), reason=f"the published model is not at hand ({TRACKING_MODEL})")
def test_the_derived_tracking_schemas_are_what_the_published_model_gives() -> None:
    assert_derived(TRACKING_MODEL, TRACKING)


@pytest.fixture(scope="module")
def running() -> Iterator[RunningEmulator]:
    with RunningEmulator(args=["--ab-speedup", "10000"]) as emulator:  # no test here is about the usage plan
        yield emulator


@pytest.fixture
def client(running: RunningEmulator) -> Client:
    return Client(running)


def line(product: ab.SeedProduct, quantity: int, **expected: float) -> dict[str, Any]:
    return {"asin": product.asin, "buying_option_id": product.buying_option_id, "quantity": quantity,
            "external_id": f"{product.asin.lower()}-{quantity}",
            **{name: {"amount": amount, "currency": product.currency} for name, amount in expected.items()}}


def artifacts(item: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    key = "acceptanceArtifactType" if "acceptedItemType" in item or "packages" in item else "rejectionArtifactType"
    return [a for a in item["artifacts"] if a[key] == kind]


def charges(answer: dict[str, Any]) -> dict[tuple[str, str], float]:
    """The order's charges, summed per (category, type)."""
    totals: dict[tuple[str, str], float] = {}
    for entry in answer["lineItems"]:
        for item in entry["acceptedItems"]:
            for charge in artifacts(item, "Charge"):
                key = (charge["category"], charge["type"])
                totals[key] = round(totals.get(key, 0.0) + charge["amount"]["amount"], 2)
    return totals


def accepted(answer: dict[str, Any], index: int) -> dict[str, Any]:
    [item] = answer["lineItems"][index]["acceptedItems"]
    assert answer["lineItems"][index]["rejectedItems"] == []
    return dict(item)


def rejected(answer: dict[str, Any], index: int) -> tuple[int, dict[str, dict[str, Any]]]:
    [item] = answer["lineItems"][index]["rejectedItems"]
    assert answer["lineItems"][index]["acceptedItems"] == []
    return item["quantity"], {a["rejectionArtifactType"]: a for a in item["artifacts"]}


def test_accepted_lines_carry_their_charges_and_the_order_is_signed(client: Client) -> None:
    answer = client.place([line(QSFP, 3, expected_unit_price=129.0, expected_charge=387.0), line(PDU, 1)], "all-in")
    assert [entry["externalId"] for entry in answer["lineItems"]] == ["b07qsfp28a-3", "b09pduc19a-1"]
    qsfp, pdu = accepted(answer, 0), accepted(answer, 1)
    assert (qsfp["acceptedItemType"], qsfp["quantity"], pdu["quantity"]) == ("SingleAcceptedItem", 3, 1)
    assert [a["acceptanceArtifactType"] for a in qsfp["artifacts"]] == [
        "OrderIdentifier", "UnitPrice", "Charge", "Charge", "DeliveryTimeRange"]  # no shipping fee, not shipped
    assert artifacts(qsfp, "UnitPrice") == [{"acceptanceArtifactType": "UnitPrice",
                                             "amount": {"currencyCode": "USD", "amount": 129.0}}]
    assert {(c["category"], c["type"]): c["amount"]["amount"] for c in artifacts(qsfp, "Charge")} == {
        ("SUBTOTAL", "PRINCIPAL"): 387.0, ("SUBTOTAL", "TAX"): 39.67}  # 387 x 10.25 % = 39.6675
    assert {(c["category"], c["type"]): c["amount"]["amount"] for c in artifacts(pdu, "Charge")} == {
        ("SUBTOTAL", "PRINCIPAL"): 899.0, ("SUBTOTAL", "TAX"): 92.15, ("SHIPPING", "PRINCIPAL"): 45.0}
    assert charges(answer) == {("SUBTOTAL", "PRINCIPAL"): 1286.0, ("SUBTOTAL", "TAX"): 131.82,
                               ("SHIPPING", "PRINCIPAL"): 45.0}
    [window] = artifacts(qsfp, "DeliveryTimeRange")
    assert window["lowerBoundary"]["date"] < window["upperBoundary"]["date"]
    assert window["upperBoundary"]["date"].endswith("Z") and len(window["upperBoundary"]["date"]) == 20
    identifiers = {artifacts(item, "OrderIdentifier")[0]["identifier"] for item in (qsfp, pdu)}
    assert len(identifiers) == 2 and all(i.startswith("114-") for i in identifiers)
    assert answer["acceptanceArtifacts"] == [{"acceptanceArtifactType": "Signed"}]
    assert answer["rejectionArtifacts"] == []
    assert client.details("all-in") == answer  # not shipped yet: the same answer


def test_another_store_charges_no_tax(client: Client) -> None:
    answer = client.place([line(EU, 10)], "eu-order", marketplace="DE")
    assert charges(answer) == {("SUBTOTAL", "PRINCIPAL"): 60.3, ("SUBTOTAL", "TAX"): 0.0}
    assert artifacts(accepted(answer, 0), "UnitPrice")[0]["amount"] == {"currencyCode": "EUR", "amount": 6.03}


def test_a_line_beyond_what_is_available_is_rejected_and_the_rest_placed(client: Client) -> None:
    answer = client.place([line(QSFP, 2), line(MPO, 1000)], "partly")
    assert accepted(answer, 0)["quantity"] == 2
    quantity, reasons = rejected(answer, 1)
    assert quantity == 1000
    assert reasons["RejectionCode"]["code"] == "QUANTITY_UNAVAILABLE"
    assert reasons["RejectionMessage"]["message"] == "1000 requested, 200 available"
    assert reasons["UnavailableQuantity"] == {"rejectionArtifactType": "UnavailableQuantity", "quantity": 800}
    assert set(reasons) == {"RejectionCode", "RejectionMessage", "UnavailableQuantity"}
    assert charges(answer) == {("SUBTOTAL", "PRINCIPAL"): 258.0, ("SUBTOTAL", "TAX"): 26.45}
    assert answer["acceptanceArtifacts"] == [{"acceptanceArtifactType": "Signed"}]


def test_broken_price_expectations_reject_their_lines(client: Client) -> None:
    answer = client.place([line(QSFP, 1, expected_unit_price=120.0),
                           line(MPO, 2, expected_unit_price=58.5, expected_charge=100.0)], "broken")
    _, price = rejected(answer, 0)
    assert price["RejectionCode"]["code"] == "BROKEN_EXPECTATION"
    assert price["BrokenUnitPriceExpectation"] == {
        "rejectionArtifactType": "BrokenUnitPriceExpectation", "boundary": {"currencyCode": "USD", "amount": 120.0},
        "actualAmount": {"currencyCode": "USD", "amount": 129.0}}
    quantity, charge = rejected(answer, 1)
    assert quantity == 2 and charge["RejectionCode"]["code"] == "BROKEN_EXPECTATION"
    assert charge["BrokenChargeExpectation"] == {
        "rejectionArtifactType": "BrokenChargeExpectation", "boundary": {"currencyCode": "USD", "amount": 100.0},
        "actualAmount": {"currencyCode": "USD", "amount": 117.0}, "sources": ["SUBTOTAL"]}
    assert answer["acceptanceArtifacts"] == [] and answer["rejectionArtifacts"] == []  # nothing was placed


def test_a_group_is_accepted_as_one_item_of_several(client: Client) -> None:
    answer = client.place([line(KIT, 2)], "kit")
    group = accepted(answer, 0)
    assert group["acceptedItemType"] == "AcceptedItemGroup" and group["quantity"] == 2
    assert group["items"] == [{"acceptedItemType": "SingleAcceptedItem", "quantity": 2, "artifacts": []}] * 2
    assert group["quantity"] * sum(item["quantity"] for item in group["items"]) == 8
    assert charges(answer) == {("SUBTOTAL", "PRINCIPAL"): 698.0, ("SUBTOTAL", "TAX"): 71.55}  # 71.545, half up


def test_packages_follow_the_clock_and_a_delayed_one_reads_delayed(running: RunningEmulator, client: Client) -> None:
    client.place([line(QSFP, 3), line(KIT, 1)], "tracked")
    [order] = [o for o in running.admin.amazon_business_orders() if o["externalId"] == "tracked"]
    before = [(item["accepted"]["orderIdentifier"], order["shipmentId"], item["accepted"]["packageId"])
              for item in order["lineItems"]]
    assert [package for _, _, package in before] == ["1", "2"]
    status, _, answer = client.track(*before[0])
    assert status == 200
    assert answer["packageTrackingDetails"]["trackingStatus"] == "ORDERED"
    assert "carrierDetails" not in answer["packageTrackingDetails"]
    assert [m["milestoneType"] for m in answer["packageTrackingDetails"]["packageMilestones"]] == ["ORDERED"]
    unshipped = client.details("tracked")
    assert [a["acceptanceArtifactType"] for a in unshipped["acceptanceArtifacts"]] == ["Signed"]

    running.admin.advance_days(1.5)  # shipped a day after the order
    shipped = client.details("tracked")
    signed, shipment = shipped["acceptanceArtifacts"]
    assert signed == {"acceptanceArtifactType": "Signed"} and shipment["acceptanceArtifactType"] == "Shipment"
    assert len(shipment["packages"]) == 2  # one package per line
    packages = []
    for index, package in enumerate(shipment["packages"]):
        [attribute] = package["packageAttributes"]
        item = accepted(shipped, index)
        [group] = artifacts(item, "ShipmentGroup")
        assert group == {"acceptanceArtifactType": "ShipmentGroup", "identifier": shipment["identifier"],
                         "packageReferences": [package["packageReference"]], "quantity": item["quantity"]}
        [window] = artifacts(item, "DeliveryTimeRange")
        assert attribute["deliveryDateRange"] == {"startDateTime": window["lowerBoundary"],
                                                  "endDateTime": window["upperBoundary"]}
        assert attribute["carrierName"] == "AMZL_US"
        packages.append((artifacts(item, "OrderIdentifier")[0]["identifier"], shipment["identifier"],
                         attribute["packageId"]))
    assert packages == before  # what the customer reads names the same packages
    status, headers, answer = client.track(*packages[0], query="region=US&locale=en-US")
    details = answer["packageTrackingDetails"]
    assert status == 200 and headers["x-amzn-RateLimit-Limit"] == "5000"
    assert details["trackingStatus"] == "SHIPPED"
    assert details["carrierDetails"] == {"localizedCarrierName": "Amazon Logistics", "carrierTrackingId": shipment[
        "packages"][0]["packageReference"]["value"]}
    assert [m["milestoneType"] for m in details["packageMilestones"]] == ["SHIPPED", "ORDERED"]
    assert details["packageTrackingEvents"][-1]["localizedDescription"] == "Package left the shipper facility."
    assert details["deliveryWindow"] == {"startDate": attribute_of(shipment, 0)["startDateTime"]["date"],
                                         "endDate": attribute_of(shipment, 0)["endDateTime"]["date"]}

    tracking_id = shipment["packages"][1]["packageReference"]["value"]
    delayed = running.admin.set_amazon_business_package_status(tracking_id, "DELAYED")
    assert delayed["status"] == "DELAYED"
    assert [client.status_of(p) for p in packages] == ["SHIPPED", "DELAYED"]
    running.admin.advance_days(1.3)  # out for delivery on the day of delivery
    assert [client.status_of(p) for p in packages] == ["OUT_FOR_DELIVERY", "DELAYED"]
    running.admin.advance_days(0.7)  # delivered at the end of the delivery range, 3 days after the order
    assert [client.status_of(p) for p in packages] == ["DELIVERED", "DELAYED"]
    _, _, answer = client.track(*packages[0])
    details = answer["packageTrackingDetails"]
    assert [m["milestoneType"] for m in details["packageMilestones"]] == [
        "DELIVERED", "OUT_FOR_DELIVERY", "SHIPPED", "ORDERED"]
    assert details["deliveryWindow"] == {"endDate": details["packageMilestones"][0]["milestoneWindow"]["endDate"]}
    assert details["localizedDeliveryPromise"].startswith("Delivered ")
    assert details["packageTrackingEvents"][0]["location"] == {"city": "Seattle", "state": "WA", "country": "US"}
    _, _, answer = client.track(*packages[1])
    assert answer["packageTrackingDetails"]["localizedDeliveryPromise"].startswith("Delayed, now arriving by ")
    assert "DELIVERED" not in {m["milestoneType"] for m in answer["packageTrackingDetails"]["packageMilestones"]}
    running.admin.set_amazon_business_package_status(tracking_id, None)  # back to the clock
    assert [client.status_of(p) for p in packages] == ["DELIVERED", "DELIVERED"]
    assert client.details("tracked")["acceptanceArtifacts"] == shipped["acceptanceArtifacts"]


def attribute_of(shipment: dict[str, Any], index: int) -> dict[str, Any]:
    return dict(shipment["packages"][index]["packageAttributes"][0]["deliveryDateRange"])


def test_tracking_refuses_what_names_no_package(running: RunningEmulator, client: Client) -> None:
    client.place([line(MPO, 1)], "refused")
    [order] = [o for o in running.admin.amazon_business_orders() if o["externalId"] == "refused"]
    known = (order["lineItems"][0]["accepted"]["orderIdentifier"], order["shipmentId"], "1")
    running.admin.reset_calls()
    assert client.track(*known)[0] == 200
    cases = [
        ((known[0], known[1], "2"), "region=US", None, 404),
        ((known[0], "000000000000000", "1"), "region=US", None, 404),
        (("114-0000000-0000000", known[1], "1"), "region=US", None, 404),
        (known, "region=DE", None, 404),  # placed in the US store
        (known, "", None, 400),
        (known, "region=GB", None, 400),  # the United Kingdom's store is UK
        (known, "region=US&locale=english", None, 400),
        (known, "region=US", "Atza|not-a-token", 403),
    ]
    for ids, query, token, expected in cases:
        status, headers, answer = client.track(*ids, query=query, token=token)
        assert (status, ids, query) == (expected, ids, query)
        assert answer["errors"][0]["code"] and headers["x-amzn-RateLimit-Limit"] == "5000"
    assert running.admin.calls().get("getPackageTrackingDetails") == 1 + len(cases)
    with pytest.raises(RuntimeError, match="404"):
        running.admin.set_amazon_business_package_status("TBA000000000000", "DELAYED")
    with pytest.raises(RuntimeError, match="400"):
        running.admin.set_amazon_business_package_status(order["lineItems"][0]["accepted"]["trackingNumber"], "LOST")
