"""The emulator's order reports (Amazon Business Reporting API), checked against the published model over HTTP.

Every getOrderReports and getOrderReportsByPurchaseOrderNumber answer, errors included, is validated against
``GetOrderReportsResponse`` / ``GetOrderReportsByPurchaseOrderNumberResponse`` / ``ErrorList``
(``published/reporting.json``, derived from the Reporting model, version 2025-06-09, by
``scripts/derive_ab_schemas.py``; the model itself is under the Amazon Software License and not kept here), and the
placeOrder / orderDetails answers they are compared with against ``published/ordering.json``, with the validator of
``test_emulator_published.py``. The orders are placed with the provider's own requests (``inputs.place_request``).

Beside the shapes, what a customer reading the reports sees: an order's status through approval, fulfilment,
delivery and cancellation (and that what waits for approval or was cancelled never ships); its charges, the same
as the Ordering API's; the date window, status and region filters; pages followed to the end; the operations'
refusals (the model's rules on dates, statuses, regions, page tokens and access tokens); TrialMode orders that
are answered and never kept; and the usage-plan header on every answer.

The emulator is shared by the module's tests: each uses its own externalIds and purchase order numbers, resets the
approval threshold (a global setting) it sets, and reads the shared clock only relative to its own orders.
"""

from __future__ import annotations

import calendar
import json
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_outposts_orders.amazon_business import inputs
from pulumi_outposts_orders.emulator import amazon_business as ab
from pulumi_outposts_orders.emulator.amazon_business.responses import REPORT_PAGE_SIZE, REPORTS_PATH
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .published_schemas import MODELS, assert_derived
from .test_emulator_published import (
    BUYER,
    DIRECT,
    EU,
    HERE,
    KIT,
    MPO,
    ORDERING,
    PDU,
    QSFP,
    Client,
    accepted,
    artifacts,
    line,
    problems,
)

REPORTING = json.loads((HERE / "published" / "reporting.json").read_text())
REPORTING_MODEL = MODELS / "Reporting_API_v2025_06_09.json"
"""Where the Reporting model is looked for (the repository keeps only its derivation: it is under the Amazon
Software License)."""
ORDER_REPORTS = f"{REPORTS_PATH}/orderReports"
APPROVER = "lead@example.com"
RATE = "5000"  # 0.5 requests/s x --ab-speedup 10000
CHARGE_TYPES = ["SUBTOTAL", "SHIPPING_AND_HANDLING", "TAX", "NET_TOTAL"]
"""The charges of an emulated order report, in order (no PROMOTION: the emulator has none)."""

Report = dict[str, Any]
Package = tuple[str, str, str]


def iso(epoch: float) -> str:
    """A date as the model's query parameters take it: ISO 8601, UTC, to the second."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def by_purchase_order(number: str) -> str:
    return f"{REPORTS_PATH}/purchaseOrders/{urllib.parse.quote(number, safe='')}/orderReports"


def dated(start: float, end: float, **params: str) -> str:
    """getOrderReports' path and query for orders placed from ``start`` to ``end`` (epoch seconds)."""
    query = {"orderStartDate": iso(start), "orderEndDate": iso(end), **params}
    return f"{ORDER_REPORTS}?{urllib.parse.urlencode(query)}"


class ReportingClient(Client):
    """``Client``, placing orders with a purchase order number or in TrialMode, and reading the order reports."""

    def __init__(self, emulator: RunningEmulator) -> None:
        super().__init__(emulator)
        self.emulator = emulator

    def login(self, refresh_token: str) -> str:
        """An access token from LWA for ``refresh_token``."""
        form = urllib.parse.urlencode({"grant_type": "refresh_token", "client_id": ab.LWA_CLIENT_ID,
                                       "client_secret": ab.LWA_CLIENT_SECRET, "refresh_token": refresh_token})
        request = urllib.request.Request(f"{self.endpoint}{ab.TOKEN_PATH}", data=form.encode())
        return str(json.loads(DIRECT.open(request, timeout=10).read())["access_token"])

    def place(self, lines: list[dict[str, Any]], external: str, marketplace: str = "US",
              purchase_order: str | None = None, trial: bool = False) -> dict[str, Any]:
        props = {"line_items": lines, "buyer_email": BUYER, "marketplace": marketplace,
                 "purchase_order_number": purchase_order, "trial_mode": trial,
                 "shipping_address": {"full_name": "Site Ops", "address_line1": "410 Terry Ave N", "city": "Seattle",
                                      "state_or_region": "WA", "postal_code": "98109", "country_code": "US"}}
        body = inputs.place_request(props, external)
        assert problems(ORDERING, "PlaceOrderRequest", body) == []
        assert ({"attributeType": "TrialMode"} in body["attributes"]) is trial
        status, _, answer = self.send(urllib.request.Request(
            f"{self.endpoint}{ab.ORDERS_PATH}", data=json.dumps(body).encode(),
            headers={"x-amz-access-token": self.token, "Content-Type": "application/json"}))
        assert status == 200, answer
        assert problems(ORDERING, "PlaceOrderResult", answer) == []
        return dict(answer)

    def lookup(self, external: str) -> tuple[int, dict[str, Any]]:
        """orderDetails, whatever its status (validated as ``OrderDetailsResult`` or ``ErrorList``)."""
        status, _, answer = self.send(urllib.request.Request(
            f"{self.endpoint}{ab.ORDERS_PATH}/{external}",
            headers={"x-amz-access-token": self.token, "x-amz-user-email": BUYER}))
        assert problems(ORDERING, "OrderDetailsResult" if status == 200 else "ErrorList", answer) == []
        return status, dict(answer)

    def reports(self, path_and_query: str, token: str | None = None) -> tuple[int, dict[str, str], dict[str, Any]]:
        """One answer of either operation, validated against its published root (``ErrorList`` unless 200)."""
        status, headers, answer = self.send(urllib.request.Request(
            f"{self.endpoint}{path_and_query}", headers={"x-amz-access-token": self.token if token is None else token}))
        operation = "ByPurchaseOrderNumber" if "/purchaseOrders/" in path_and_query else ""
        root = f"GetOrderReports{operation}Response" if status == 200 else "ErrorList"
        assert problems(REPORTING, root, answer) == [], (path_and_query, answer)
        assert headers.get("x-amzn-RateLimit-Limit") == RATE, (path_and_query, headers)
        if status == 200:
            assert answer["size"] == len(answer["ordersReport"])
        return status, headers, dict(answer)

    def every_report(self, path_and_query: str, token: str | None = None) -> list[Report]:
        """Every order report of a query, following ``nextPageToken`` to the last page."""
        found: list[Report] = []
        page: str | None = None
        separator = "&" if "?" in path_and_query else "?"
        while True:
            query = path_and_query if page is None else \
                f"{path_and_query}{separator}{urllib.parse.urlencode({'nextPageToken': page})}"
            status, _, answer = self.reports(query, token)
            assert status == 200, answer
            found.extend(answer["ordersReport"])
            page = answer.get("nextPageToken")
            if page is None:
                return found
            assert answer["size"] == REPORT_PAGE_SIZE  # only the last page is short

    def statuses(self, purchase_order: str) -> dict[str, str]:
        """The ``orderStatus`` of each Amazon order of a purchase order, by its order ID."""
        return {r["orderMetadata"]["orderId"]: r["orderStatus"] for r in self.every_report(
            by_purchase_order(purchase_order))}

    def packages(self, external: str) -> list[Package]:
        """The (orderId, shipmentId, packageId) of each accepted line of the stored order ``external``."""
        [order] = [o for o in self.emulator.admin.amazon_business_orders() if o["externalId"] == external]
        return [(item["accepted"]["orderIdentifier"], order["shipmentId"], item["accepted"]["packageId"])
                for item in order["lineItems"] if "accepted" in item]


@pytest.fixture(scope="module")
def running() -> Iterator[RunningEmulator]:
    with RunningEmulator(args=["--ab-speedup", "10000"]) as emulator:  # no test here is about the usage plan
        yield emulator


@pytest.fixture
def client(running: RunningEmulator) -> ReportingClient:
    return ReportingClient(running)


def order_ids(answer: dict[str, Any]) -> list[str]:
    """The Amazon order of each accepted line of a placeOrder / orderDetails answer."""
    return [artifacts(item, "OrderIdentifier")[0]["identifier"]
            for entry in answer["lineItems"] for item in entry["acceptedItems"]]


def report_charges(report: Report) -> dict[str, float]:
    assert [charge["type"] for charge in report["charges"]] == CHARGE_TYPES
    assert len({charge["amount"]["currencyCode"] for charge in report["charges"]}) == 1
    return {charge["type"]: charge["amount"]["amount"] for charge in report["charges"]}


def ordering_charges(item: dict[str, Any]) -> dict[str, float]:
    """An accepted item's charges (Ordering API), named as the Reporting API names them."""
    by_kind = {(c["category"], c["type"]): c["amount"]["amount"] for c in artifacts(item, "Charge")}
    return {"SUBTOTAL": by_kind[("SUBTOTAL", "PRINCIPAL")], "SHIPPING_AND_HANDLING": by_kind.get(
        ("SHIPPING", "PRINCIPAL"), 0.0), "TAX": by_kind[("SUBTOTAL", "TAX")]}


def shipped_lines(details: dict[str, Any]) -> set[str]:
    """The Amazon orders an orderDetails answer shows shipped (a ``ShipmentGroup``)."""
    return {artifacts(item, "OrderIdentifier")[0]["identifier"] for entry in details["lineItems"]
            for item in entry["acceptedItems"] if artifacts(item, "ShipmentGroup")}


@pytest.mark.skipif(not REPORTING_MODEL.exists(), reason=f"the published model is not at hand ({REPORTING_MODEL})")
def test_the_derived_reporting_schemas_are_what_the_published_model_gives() -> None:
    assert_derived(REPORTING_MODEL, REPORTING)


def test_an_order_waits_for_approval_then_is_fulfilled_and_closed(running: RunningEmulator,
                                                                  client: ReportingClient) -> None:
    running.admin.require_amazon_business_approval(1000)
    try:
        big = client.place([line(PDU, 1), line(QSFP, 1)], "report-approved", purchase_order="PO-LIFECYCLE")  # 1028
        small = client.place([line(MPO, 2)], "report-small", purchase_order="PO-LIFECYCLE")  # 117
    finally:
        running.admin.require_amazon_business_approval(None)
    waiting, [below] = order_ids(big), order_ids(small)
    packages = client.packages("report-approved")
    reports = client.every_report(by_purchase_order("PO-LIFECYCLE"))
    assert [r["orderMetadata"]["orderId"] for r in reports] == [*waiting, below]  # oldest first, one per line
    [stored] = [o for o in running.admin.amazon_business_orders() if o["externalId"] == "report-approved"]
    for report in reports:
        assert report["purchaseOrderNumber"] == "PO-LIFECYCLE"
        assert report["orderMetadata"]["region"] == "US"
        assert report["buyingCustomer"] == {"name": "buyer", "email": BUYER}
        assert "approverDetails" not in report
    assert reports[0]["orderMetadata"]["orderDate"] == {"date": iso(stored["wallPlacedAt"])}
    assert client.statuses("PO-LIFECYCLE") == {**dict.fromkeys(waiting, "PENDING_APPROVAL"),
                                               below: "PENDING_FULFILLMENT"}
    assert [client.status_of(p) for p in packages] == ["ORDERED", "ORDERED"]

    running.admin.advance_days(2)  # long past shipping, had it not waited
    assert client.statuses("PO-LIFECYCLE") == {**dict.fromkeys(waiting, "PENDING_APPROVAL"),
                                               below: "PENDING_FULFILLMENT"}
    details = client.details("report-approved")
    assert details["acceptanceArtifacts"] == [{"acceptanceArtifactType": "Signed"}]  # no Shipment
    assert shipped_lines(details) == set()
    assert [client.status_of(p) for p in packages] == ["ORDERED", "ORDERED"]
    assert shipped_lines(client.details("report-small")) == {below}

    running.admin.decide_amazon_business_approval("report-approved", "APPROVED", APPROVER)
    approved = client.every_report(by_purchase_order("PO-LIFECYCLE"))
    assert {r["orderMetadata"]["orderId"]: r["orderStatus"] for r in approved} == {
        **dict.fromkeys(waiting, "PENDING_FULFILLMENT"), below: "PENDING_FULFILLMENT"}
    for report in approved[:2]:
        assert report["approverDetails"] == {"lastOrderApproverCustomer": {"name": "lead", "email": APPROVER}}
    assert "approverDetails" not in approved[2]

    running.admin.advance_days(1.5)  # fulfilment started at the approval: shipped a day after it
    assert shipped_lines(client.details("report-approved")) == set(waiting)
    assert [client.status_of(p) for p in packages] == ["SHIPPED", "SHIPPED"]
    assert client.statuses("PO-LIFECYCLE") == {**dict.fromkeys(waiting, "PENDING_FULFILLMENT"), below: "CLOSED"}

    running.admin.advance_days(1.6)  # delivered 3 days after the approval
    assert [client.status_of(p) for p in packages] == ["DELIVERED", "DELIVERED"]
    assert client.statuses("PO-LIFECYCLE") == dict.fromkeys([*waiting, below], "CLOSED")


def test_a_report_charges_what_the_order_was_charged(client: ReportingClient) -> None:
    answer = client.place([line(PDU, 1), line(QSFP, 3), line(KIT, 1)], "report-charges", purchase_order="PO-CHARGES")
    items = {artifacts(item, "OrderIdentifier")[0]["identifier"]: item
             for entry in answer["lineItems"] for item in entry["acceptedItems"]}
    reports = client.every_report(by_purchase_order("PO-CHARGES"))
    assert [r["orderMetadata"]["orderId"] for r in reports] == list(items)
    for report in reports:
        charges = report_charges(report)
        item = items[report["orderMetadata"]["orderId"]]
        assert {k: v for k, v in charges.items() if k != "NET_TOTAL"} == ordering_charges(item)
        assert charges["NET_TOTAL"] == round(charges["SUBTOTAL"] + charges["SHIPPING_AND_HANDLING"] + charges["TAX"], 2)
        assert {c["amount"]["currencyCode"] for c in report["charges"]} == {
            artifacts(item, "UnitPrice")[0]["amount"]["currencyCode"]}
    assert report_charges(reports[0]) == {"SUBTOTAL": 899.0, "SHIPPING_AND_HANDLING": 45.0, "TAX": 92.15,
                                          "NET_TOTAL": 1036.15}
    assert report_charges(reports[1]) == {"SUBTOTAL": 387.0, "SHIPPING_AND_HANDLING": 0.0, "TAX": 39.67,
                                          "NET_TOTAL": 426.67}


def test_a_rejected_approval_cancels_every_amazon_order_of_it(running: RunningEmulator,
                                                              client: ReportingClient) -> None:
    running.admin.require_amazon_business_approval(1000)
    try:
        answer = client.place([line(PDU, 2), line(MPO, 1)], "report-rejected", purchase_order="PO-REJECTED")
    finally:
        running.admin.require_amazon_business_approval(None)
    ids = order_ids(answer)
    assert client.statuses("PO-REJECTED") == dict.fromkeys(ids, "PENDING_APPROVAL")
    running.admin.decide_amazon_business_approval("report-rejected", "REJECTED", APPROVER)
    reports = client.every_report(by_purchase_order("PO-REJECTED"))
    assert {r["orderMetadata"]["orderId"]: r["orderStatus"] for r in reports} == dict.fromkeys(ids, "CANCELLED")
    assert all(r["approverDetails"]["lastOrderApproverCustomer"]["email"] == APPROVER for r in reports)
    running.admin.advance_days(4)
    assert client.statuses("PO-REJECTED") == dict.fromkeys(ids, "CANCELLED")
    assert shipped_lines(client.details("report-rejected")) == set()
    assert [client.status_of(p) for p in client.packages("report-rejected")] == ["ORDERED", "ORDERED"]


def test_a_cancelled_amazon_order_never_ships_and_a_shipped_one_cannot_be_cancelled(
        running: RunningEmulator, client: ReportingClient) -> None:
    answer = client.place([line(QSFP, 1), line(MPO, 1)], "report-cancelled", purchase_order="PO-CANCELLED")
    cancelled, kept = order_ids(answer)
    running.admin.cancel_amazon_business_order("report-cancelled", "AMAZON", cancelled)
    assert client.statuses("PO-CANCELLED") == {cancelled: "CANCELLED", kept: "PENDING_FULFILLMENT"}

    running.admin.advance_days(1.5)  # the other one has shipped
    assert shipped_lines(client.details("report-cancelled")) == {kept}
    before = client.every_report(by_purchase_order("PO-CANCELLED"))
    with pytest.raises(RuntimeError, match=r"\(400\)"):
        running.admin.cancel_amazon_business_order("report-cancelled", "AMAZON", kept)
    with pytest.raises(RuntimeError, match=r"\(400\)"):  # all of them: one has shipped
        running.admin.cancel_amazon_business_order("report-cancelled", "BUYER")
    assert client.every_report(by_purchase_order("PO-CANCELLED")) == before

    running.admin.advance_days(2)  # past the delivery of both, had both shipped
    details = client.details("report-cancelled")
    assert shipped_lines(details) == {kept}
    [shipment] = [a for a in details["acceptanceArtifacts"] if a["acceptanceArtifactType"] == "Shipment"]
    assert len(shipment["packages"]) == 1
    assert [client.status_of(p) for p in client.packages("report-cancelled")] == ["ORDERED", "DELIVERED"]
    assert client.statuses("PO-CANCELLED") == {cancelled: "CANCELLED", kept: "CLOSED"}


def test_orders_are_reported_by_the_date_they_were_placed(client: ReportingClient) -> None:
    answer = client.place([line(MPO, 1)], "report-dated", purchase_order="PO-DATED")
    [placed] = order_ids(answer)
    now = time.time()
    found = client.every_report(dated(now - 86_400, now))
    assert placed in {r["orderMetadata"]["orderId"] for r in found}
    [report] = [r for r in found if r["orderMetadata"]["orderId"] == placed]
    assert report == client.every_report(by_purchase_order("PO-DATED"))[0]
    placed_at = report["orderMetadata"]["orderDate"]["date"]
    assert iso(now - 86_400) <= placed_at <= iso(now)
    assert all(iso(now - 86_400) <= r["orderMetadata"]["orderDate"]["date"] <= iso(now) for r in found)
    second = calendar.timegm(time.strptime(placed_at, "%Y-%m-%dT%H:%M:%SZ"))
    assert placed in {r["orderMetadata"]["orderId"] for r in client.every_report(dated(second, second))}
    before = client.every_report(dated(now - 2 * 86_400, second - 1))  # ends the second before it was placed
    assert placed not in {r["orderMetadata"]["orderId"] for r in before}


def test_order_statuses_filter_the_report(running: RunningEmulator, client: ReportingClient) -> None:
    answer = client.place([line(QSFP, 1), line(MPO, 1)], "report-filtered", purchase_order="PO-FILTERED")
    cancelled, open_one = order_ids(answer)
    running.admin.cancel_amazon_business_order("report-filtered", "BUYER", cancelled)
    now = time.time()

    def reported(statuses: str) -> dict[str, str]:
        found = client.every_report(dated(now - 86_400, now, orderStatuses=statuses))
        assert {r["orderStatus"] for r in found} <= set(statuses.split(","))
        return {r["orderMetadata"]["orderId"]: r["orderStatus"] for r in found if r["orderMetadata"]["orderId"] in (
            cancelled, open_one)}

    assert reported("CANCELLED") == {cancelled: "CANCELLED"}
    assert reported("PENDING_FULFILLMENT") == {open_one: "PENDING_FULFILLMENT"}
    assert reported("PENDING_FULFILLMENT,CANCELLED") == {cancelled: "CANCELLED", open_one: "PENDING_FULFILLMENT"}
    assert reported("CLOSED,PENDING_APPROVAL,PAYMENT_CONFIRMED,PENDING") == {}


def test_region_filters_the_report_and_a_store_bound_token_reads_its_store(client: ReportingClient) -> None:
    [european] = order_ids(client.place([line(EU, 2)], "report-de", marketplace="DE", purchase_order="PO-DE"))
    [american] = order_ids(client.place([line(MPO, 1)], "report-us", purchase_order="PO-US"))
    now = time.time()

    def reported(token: str | None = None, **region: str) -> dict[str, str]:
        return {r["orderMetadata"]["orderId"]: r["orderMetadata"]["region"]
                for r in client.every_report(dated(now - 86_400, now, **region), token)}

    everywhere = reported()
    assert (everywhere[european], everywhere[american]) == ("DE", "US")
    assert set(reported(region="US").values()) == {"US"} and american in reported(region="US")
    assert set(reported(region="DE").values()) == {"DE"} and european in reported(region="DE")
    assert reported(region="UK") == {}
    assert client.statuses("PO-DE") == {european: "PENDING_FULFILLMENT"}
    assert client.every_report(f"{by_purchase_order('PO-DE')}?region=US") == []
    [report] = client.every_report(f"{by_purchase_order('PO-DE')}?region=DE")
    assert report_charges(report) == {"SUBTOTAL": 12.06, "SHIPPING_AND_HANDLING": 0.0, "TAX": 0.0,
                                      "NET_TOTAL": 12.06}
    assert {c["amount"]["currencyCode"] for c in report["charges"]} == {"EUR"}
    german = client.login(ab.STORE_REFRESH_TOKENS["DE"])
    assert set(reported(german).values()) == {"DE"} and european in reported(german)
    assert european in reported(german, region="DE")
    assert client.every_report(by_purchase_order("PO-US"), german) == []


def test_pages_hold_every_order_once(client: ReportingClient) -> None:
    count = REPORT_PAGE_SIZE + 3
    placed = [order_ids(client.place([line(QSFP, 1)], f"report-page-{n}", purchase_order="PO-PAGES"))[0]
              for n in range(count)]
    status, _, first = client.reports(by_purchase_order("PO-PAGES"))
    assert status == 200 and first["size"] == REPORT_PAGE_SIZE and "nextPageToken" in first
    found = client.every_report(by_purchase_order("PO-PAGES"))
    assert [r["orderMetadata"]["orderId"] for r in found] == placed  # each once, oldest first
    now = time.time()
    dated_ids = [r["orderMetadata"]["orderId"] for r in client.every_report(dated(now - 86_400, now, region="US"))]
    assert len(dated_ids) == len(set(dated_ids)) > REPORT_PAGE_SIZE
    assert set(placed) <= set(dated_ids)


def test_a_page_token_serves_its_own_query_only(client: ReportingClient) -> None:
    for n in range(REPORT_PAGE_SIZE + 1):
        client.place([line(MPO, 1)], f"report-token-{n}", purchase_order="PO-TOKEN")
    _, _, first = client.reports(f"{by_purchase_order('PO-TOKEN')}?region=US")
    token = urllib.parse.quote(first["nextPageToken"])
    status, _, second = client.reports(f"{by_purchase_order('PO-TOKEN')}?region=US&nextPageToken={token}")
    assert status == 200 and second["size"] == 1 and "nextPageToken" not in second
    for other in (f"{by_purchase_order('PO-TOKEN')}?nextPageToken={token}",
                  f"{by_purchase_order('PO-TOKEN')}?region=DE&nextPageToken={token}"):
        status, _, answer = client.reports(other)
        assert (status, answer["errors"][0]["code"]) == (400, "INVALID_REQUEST_PARAMETER"), other
    # The purchase order number is a parameter of the query too: the token does not page another one's report.
    status, _, answer = client.reports(f"{by_purchase_order('PO-OTHER')}?region=US&nextPageToken={token}")
    assert (status, answer["errors"][0]["code"]) == (400, "INVALID_REQUEST_PARAMETER")

    now = time.time()
    _, _, dated_first = client.reports(dated(now - 86_400, now))
    dated_token = dated_first["nextPageToken"]
    assert client.reports(f"{dated(now - 86_400, now)}&nextPageToken={urllib.parse.quote(dated_token)}")[0] == 200
    for other in (dated(now - 86_400, now, orderStatuses="PENDING_FULFILLMENT", nextPageToken=dated_token),
                  dated(now - 2 * 86_400, now, nextPageToken=dated_token),
                  f"{ORDER_REPORTS}?nextPageToken=not-a-token&orderStartDate={iso(now - 86_400)}"
                  f"&orderEndDate={iso(now)}"):
        status, _, answer = client.reports(other)
        assert (status, answer["errors"][0]["code"]) == (400, "INVALID_REQUEST_PARAMETER"), other


def test_the_reports_refuse_what_the_model_does_not_allow(client: ReportingClient) -> None:
    now = time.time()
    day = 86_400
    start, end = iso(now - day), iso(now)
    uk = client.login(ab.STORE_REFRESH_TOKENS["UK"])
    cases: list[tuple[str, str | None, int]] = [
        (f"{ORDER_REPORTS}?orderEndDate={end}", None, 400),  # orderStartDate is required
        (f"{ORDER_REPORTS}?orderStartDate={start}", None, 400),  # and orderEndDate
        (dated(now - day, now - 2 * day), None, 400),  # the start after the end
        (dated(now - 367 * day, now), None, 400),  # more than 366 days apart
        (dated(now - day, now + day), None, 400),  # the end in the future
        (f"{ORDER_REPORTS}?orderStartDate=yesterday&orderEndDate={end}", None, 400),  # not ISO 8601
        (f"{ORDER_REPORTS}?orderStartDate={start}&orderEndDate=01%2F02%2F2025", None, 400),
        (f"{ORDER_REPORTS}?orderStartDate=2025-04-01&orderEndDate={end}", None, 400),  # a date, not a date-time
        (f"{ORDER_REPORTS}?orderStartDate=2025-04-01T00:00:00&orderEndDate={end}", None, 400),  # no offset
        (dated(now - day, now) + "&orderStatuses=CLOSED&orderStatuses=FOO", None, 400),  # every value is read
        (dated(now - day, now, orderStatuses="SHIPPED"), None, 400),  # not an OrderStatus
        (dated(now - day, now, orderStatuses="CLOSED,DELIVERED"), None, 400),
        (dated(now - day, now, orderStatuses=""), None, 400),  # at least one
        (dated(now - day, now, region="GB"), None, 400),  # the United Kingdom's store is UK
        (f"{by_purchase_order('PO-LIFECYCLE')}?region=GB", None, 400),
        (dated(now - day, now), "Atza|not-a-token", 403),
        (by_purchase_order("PO-LIFECYCLE"), "Atza|not-a-token", 403),
        (dated(now - day, now, region="US"), uk, 403),  # a UK store's token
        (f"{by_purchase_order('PO-LIFECYCLE')}?region=US", uk, 403),
        (f"{REPORTS_PATH}/shipmentReports?orderStartDate={start}&orderEndDate={end}", None, 404),
        (f"{REPORTS_PATH}/purchaseOrders/PO-LIFECYCLE/shipmentReports", None, 404),
    ]
    for query, token, expected in cases:
        status, _, answer = client.reports(query, token)
        assert status == expected, (query, answer)
        assert answer["errors"][0]["code"] and answer["errors"][0]["message"]
    _, _, missing = client.reports(f"{ORDER_REPORTS}?orderEndDate={end}")
    assert missing["errors"][0] == {"code": "INVALID_REQUEST_PARAMETER", "details": "",
                                    "message": "The required parameter orderStartDate is missing."}
    status, _, widest = client.reports(dated(now - 366 * day, now))  # 366 days apart: allowed
    assert status == 200, widest


def test_a_trial_order_is_answered_and_never_kept(running: RunningEmulator, client: ReportingClient) -> None:
    available = {p["asin"]: p["available"] for p in running.admin.amazon_business_products()}
    trial = client.place([line(QSFP, 4), line(PDU, 1)], "report-trial", purchase_order="PO-TRIAL", trial=True)
    assert [accepted(trial, i)["quantity"] for i in (0, 1)] == [4, 1]
    assert trial["acceptanceArtifacts"] == [{"acceptanceArtifactType": "Signed"}]
    assert "report-trial" not in {o["externalId"] for o in running.admin.amazon_business_orders()}
    status, answer = client.lookup("report-trial")
    assert status == 404 and answer["errors"][0]["code"]
    assert {p["asin"]: p["available"] for p in running.admin.amazon_business_products()} == available
    assert client.every_report(by_purchase_order("PO-TRIAL")) == []

    real = client.place([line(QSFP, 4), line(PDU, 1)], "report-trial", purchase_order="PO-TRIAL")
    assert [accepted(real, i)["quantity"] for i in (0, 1)] == [4, 1]
    assert client.lookup("report-trial") == (200, real)  # not shipped yet: the same answer
    after = {p["asin"]: p["available"] for p in running.admin.amazon_business_products()}
    assert (after[QSFP.asin], after[PDU.asin]) == (available[QSFP.asin] - 4, available[PDU.asin] - 1)
    assert client.statuses("PO-TRIAL") == dict.fromkeys(order_ids(real), "PENDING_FULFILLMENT")


def test_a_trial_order_takes_its_lines_from_one_stock_as_a_real_one_would(running: RunningEmulator,
                                                                          client: ReportingClient) -> None:
    running.admin.set_amazon_business_product(PDU.asin, available=20)
    try:
        trial = client.place([line(PDU, 15), line(PDU, 10)], "report-trial-stock", trial=True)
        real = client.place([line(PDU, 15), line(PDU, 10)], "report-real-stock")
        assert [bool(entry["acceptedItems"]) for entry in trial["lineItems"]] == [True, False]
        assert [bool(entry["acceptedItems"]) for entry in real["lineItems"]] == [True, False]
    finally:
        running.admin.set_amazon_business_product(PDU.asin, available=PDU.available)


def test_every_answer_carries_the_rate_applied(client: ReportingClient) -> None:
    now = time.time()
    for query, expected in ((dated(now - 86_400, now), 200), (by_purchase_order("PO-NONE"), 200),
                            (f"{ORDER_REPORTS}?orderStartDate=x", 400), (f"{REPORTS_PATH}/nothing", 404)):
        status, headers, _ = client.reports(query)  # which checks x-amzn-RateLimit-Limit
        assert (status, headers["x-amzn-RateLimit-Limit"]) == (expected, RATE)
        assert headers.get("x-amzn-RequestId")
