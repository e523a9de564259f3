"""The Amazon Business Ordering, Package Tracking and Reporting (order reports) APIs and the Login with Amazon
(LWA) token endpoint, on the emulator's port.

Routed by path: ``POST /auth/o2/token`` (grant_type=refresh_token, form-encoded) issues access tokens;
``POST /ordering/2022-10-30/orders`` (placeOrder), ``GET /ordering/2022-10-30/orders/{externalId}``
(orderDetails, with ``x-amz-user-email``) and ``GET /ab-tracking/2025-07-02/orders/{orderId}/shipments/
{shipmentId}/packages/{packageId}?region=US`` (getPackageTrackingDetails), ``GET /reports/2025-06-09/
orderReports?orderStartDate=…&orderEndDate=…`` (getOrderReports) and ``GET /reports/2025-06-09/purchaseOrders/
{purchaseOrderNumber}/orderReports`` (getOrderReportsByPurchaseOrderNumber) need a valid
``x-amz-access-token``. Each operation has its own usage plan, as the published models give them (0.5
requests/s, burst 10, times ``speedup``): over it, 429 with ``{"errors": [...]}``; every answer of theirs
carries ``x-amzn-RateLimit-Limit`` (the rate applied).

This module reads requests and writes answers; what an order does (idempotency by ``externalId``, line
items accepted or rejected whole, charges, shipping and delivery on the emulator's clock) is ``models``.
The answers are the published models' shapes (``PlaceOrderResult``, ``OrderDetailsResult``,
``GetPackageTrackingDetailsResponse``, ``GetOrderReportsResponse``, ``ErrorList``; checked in
``tests/amazon_business/test_emulator_published.py`` and ``test_reporting_published.py``):

- ``lineItems[]``: per line, ``acceptedItems`` (a ``SingleAcceptedItem``, or an ``AcceptedItemGroup`` for a
  product sold as a group, with its ``items``) with the artifacts ``OrderIdentifier``, ``UnitPrice``,
  ``Charge`` SUBTOTAL/PRINCIPAL (unit price x quantity), ``Charge`` SUBTOTAL/TAX (at the store's rate), a
  ``Charge`` SHIPPING/PRINCIPAL for a product with a shipping fee, ``DeliveryTimeRange`` and, once shipped
  (orderDetails), a ``ShipmentGroup`` naming the line's package; or ``rejectedItems`` with ``RejectionCode``,
  ``RejectionMessage`` and ``UnavailableQuantity`` / ``BrokenUnitPriceExpectation`` /
  ``BrokenChargeExpectation``.
- ``acceptanceArtifacts``: ``Signed`` when an item was placed, and once shipped (orderDetails) the order's
  ``Shipment``: one package per accepted line, each with its ``PackageTrackingAttribute`` (``packageId``).
- ``rejectionArtifacts``: none.

A package's tracking answer follows the clock (``models.tracking``): ``trackingStatus``, the delivery window
and promise, the carrier and its tracking ID once shipped, events and the milestones reached. ``region``
(required) must be one of the models' stores and the order's; ``locale`` (default en-US) a language tag, and
every text is in English.

An order report has one ``OrderReport`` per Amazon order (an accepted line): its date, store, purchase order
number, charges (SUBTOTAL, SHIPPING_AND_HANDLING, TAX, NET_TOTAL), ``orderStatus`` (``models.order_status``:
PENDING_APPROVAL, PENDING_FULFILLMENT, CLOSED, CANCELLED), buyer, buying group and approver.

Admin (plain JSON, under ``/_emulator/amazon-business/``): ``GET products``; ``POST products/{asin}``
``{"price": 12.5, "available": 3, "shipping": 9.99}``; ``GET|PUT usage-plan`` ``{"speedup": 10}``; ``GET
orders``; ``GET packages``; ``PUT packages/{carrierTrackingId}`` ``{"status": "DELAYED"}`` (a tracking status
for the package, ``null`` for the clock's); ``POST tokens/expire`` (every access token issued so far expires,
as after an hour); ``PUT approval-policy`` ``{"threshold": 1000}`` (orders from that subtotal wait for
approval; ``null``: none); ``POST orders/{externalId}/approval`` ``{"decision": "APPROVED", "approver":
"lead@example.com"}`` (or REJECTED); ``POST orders/{externalId}/cancel`` ``{"by": "AMAZON"}`` (and an
``orderId`` for one Amazon order of it; refused once shipped). Faults (the emulator's ``/_emulator/faults``,
by operation name): ``throttle_rate`` answers 429 as the usage plan would, ``drop_response_after_commit`` /
``error_after_commit`` lose the answer to a committed order.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from werkzeug.wrappers import Request, Response

from pulumi_outposts_orders.emulator.amazon_business.exceptions import AbError
from pulumi_outposts_orders.emulator.amazon_business.models import (
    ACCESS_TOKEN_TTL_S,
    DEFAULT_STORE,
    LWA_CLIENT_ID,
    LWA_CLIENT_SECRET,
    LWA_REFRESH_TOKEN,
    ORDER_STATUSES,
    STORE_REFRESH_TOKENS,
    STORES,
    AmazonBusinessBackend,
    TokenBucket,
    attribute,
    buyer,
    effective_range,
    placed_on,
    promised_range,
    shipment_status,
    tracking,
)
from pulumi_outposts_orders.emulator.calls import CallCounter
from pulumi_outposts_orders.emulator.clock import DAY, Clock
from pulumi_outposts_orders.emulator.faults import Decision, Faults, apply
from pulumi_outposts_orders.emulator.store import Store

ORDERS_PATH = "/ordering/2022-10-30/orders"
TRACKING_PATH = "/ab-tracking/2025-07-02/orders"
"""getPackageTrackingDetails is ``GET {TRACKING_PATH}/{orderId}/shipments/{shipmentId}/packages/{packageId}``."""
REPORTS_PATH = "/reports/2025-06-09"
"""getOrderReports is ``GET {REPORTS_PATH}/orderReports``; getOrderReportsByPurchaseOrderNumber ``GET
{REPORTS_PATH}/purchaseOrders/{purchaseOrderNumber}/orderReports``."""
TOKEN_PATH = "/auth/o2/token"
ADMIN_PREFIX = "/_emulator/amazon-business/"
OPERATIONS = ("placeOrder", "orderDetails", "getPackageTrackingDetails", "getOrderReports",
              "getOrderReportsByPurchaseOrderNumber", "lwaToken")
"""Names in the call log and in the faults settings (by name only)."""
CARRIER = "Amazon Logistics"
"""The carrier's name in tracking answers (``carrierDetails.localizedCarrierName``)."""
_LOCALE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
"""RFC 3339 date-time (the models' ``format: date-time``): a date, a time and an offset."""


def addressed(request: Request) -> bool:
    """Whether the request is for the Ordering API, Package Tracking, LWA, or their admin."""
    return (request.path.startswith(ORDERS_PATH) or request.path.startswith(TRACKING_PATH)
            or request.path.startswith(REPORTS_PATH + "/") or request.path == TOKEN_PATH
            or request.path.startswith(ADMIN_PREFIX))


_TOKEN_STORE = "amazon_business.token_store"  # the request's access token's store (None: every store)


class AmazonBusiness:
    """Serves the Ordering and Package Tracking APIs, LWA and their admin API."""

    def __init__(self, store: Store, clock: Clock, calls: CallCounter, faults: Faults, seed: bool = True) -> None:
        self._calls, self._faults = calls, faults
        self.buckets = {operation: TokenBucket() for operation in OPERATIONS if operation != "lwaToken"}
        self.backend = AmazonBusinessBackend(store, clock, seed=seed)

    def handle(self, request: Request) -> tuple[Response, Decision]:
        """The response (and the fault decision, for a dropped response)."""
        if request.path.startswith(ADMIN_PREFIX):
            return self._admin(request), Decision()
        if request.path == TOKEN_PATH:
            self._calls.count("lwaToken")
            return self._token(request), Decision()
        if request.path.startswith(TRACKING_PATH):
            name = "getPackageTrackingDetails"
        elif request.path.startswith(REPORTS_PATH + "/purchaseOrders/"):
            name = "getOrderReportsByPurchaseOrderNumber"
        elif request.path.startswith(REPORTS_PATH + "/"):
            name = "getOrderReports"
        else:
            name = "placeOrder" if request.method == "POST" else "orderDetails"
        self._calls.count(name)
        bucket = self.buckets[name]
        headers = [("x-amzn-RateLimit-Limit", f"{bucket.rate:g}"), ("x-amzn-RequestId", str(uuid.uuid4()))]
        decision = Decision()
        try:
            if not bucket.take():
                self._calls.count(f"{name}.throttled")
                raise AbError(429, "QuotaExceeded", "You exceeded your quota for the requested resource.")
            self._authenticate(request)
            decision = self._faults.decide(name)
            if decision.throttle:
                self._calls.count(f"{name}.throttled")
                raise AbError(429, "QuotaExceeded", "You exceeded your quota for the requested resource.")
            apply(decision)
            if name == "getPackageTrackingDetails":
                payload = self._track(request)
            elif name.startswith("getOrderReports"):
                payload = self._reports(request, name)
            else:
                payload = self._route(request)
            status = 200
        except AbError as error:
            status, payload = error.status, _errors(error.code, error.message)
        except Exception as error:  # faults.apply raises Outposts-style ApiErrors
            status, payload = 500, _errors("InternalFailure", str(error) or "internal error")
        if decision.error_after_commit:
            status, payload = 500, _errors("InternalFailure", "An internal error occurred (injected fault)")
        return Response(json.dumps(payload), status=status, headers=headers, content_type="application/json"), decision

    # --- LWA -------------------------------------------------------------------------------------
    def _token(self, request: Request) -> Response:
        form = request.form
        if form.get("grant_type") != "refresh_token":
            return _oauth_error("unsupported_grant_type", "grant_type must be refresh_token")
        if form.get("client_id") != LWA_CLIENT_ID or form.get("client_secret") != LWA_CLIENT_SECRET:
            return _oauth_error("invalid_client", "Client authentication failed", 401)
        stores = {token: store for store, token in STORE_REFRESH_TOKENS.items()}
        refresh = form.get("refresh_token")
        if refresh != LWA_REFRESH_TOKEN and refresh not in stores:
            return _oauth_error("invalid_grant", "The request has an invalid grant parameter : refresh_token")
        token = self.backend.issue_token(stores.get(str(refresh)))
        body = {"access_token": token, "token_type": "bearer", "expires_in": ACCESS_TOKEN_TTL_S}
        return Response(json.dumps(body), status=200, content_type="application/json")

    def _authenticate(self, request: Request) -> None:
        token = request.headers.get("x-amz-access-token", "")
        if not self.backend.authorized(token):
            raise AbError(403, "Unauthorized", "Access to requested resource is denied: missing or invalid "
                          "x-amz-access-token")
        request.environ[_TOKEN_STORE] = self.backend.token_store(token)

    @staticmethod
    def _authorised_in(request: Request, store: str) -> None:
        """403 when the request's access token was issued by another store's refresh token."""
        only = request.environ.get(_TOKEN_STORE)
        if only is not None and only != store:
            raise AbError(403, "Unauthorized", f"Access to requested resource is denied: the access token was "
                          f"issued for the {only} store, not {store}")

    # --- ordering --------------------------------------------------------------------------------
    def _route(self, request: Request) -> dict[str, Any]:
        rest = request.path[len(ORDERS_PATH):]
        if request.method == "POST" and rest in ("", "/"):
            if request.mimetype != "application/json":
                raise AbError(415, "UnsupportedMediaType", "Content-Type must be application/json")
            try:
                body = json.loads(request.get_data() or b"null")
            except ValueError as error:
                raise AbError(400, "InvalidInput", f"the body is not JSON: {error}") from error
            _validate(body)
            region = next((a.get("region") for a in body.get("attributes") or []
                           if isinstance(a, dict) and a.get("attributeType") == "Region"), DEFAULT_STORE)
            self._authorised_in(request, str(region))
            order, now = self.backend.place(body)
            return _view(order, now, with_shipments=False)
        if request.method == "GET" and rest.startswith("/") and "/" not in rest[1:]:
            email = request.headers.get("x-amz-user-email")
            if not email:
                raise AbError(400, "InvalidInput", "the x-amz-user-email header is required")
            order, now = self.backend.details(unquote(rest[1:]), email)
            self._authorised_in(request, str(order.get("store", DEFAULT_STORE)))
            return _view(order, now, with_shipments=True)
        raise AbError(404, "NotFound", f"no operation {request.method} {request.path}")

    # --- package tracking ------------------------------------------------------------------------
    def _track(self, request: Request) -> dict[str, Any]:
        parts = request.path[len(TRACKING_PATH):].split("/")
        if request.method != "GET" or len(parts) != 6 or parts[0] or parts[2:5:2] != ["shipments", "packages"] \
                or not all(parts[1::2]):
            raise AbError(404, "NotFound", f"no operation {request.method} {request.path}")
        region = request.args.get("region")
        if region not in STORES:
            raise AbError(400, "INVALID_REQUEST_PARAMETER", f"region is required: one of {', '.join(STORES)}")
        if not _LOCALE.match(request.args.get("locale", "en-US")):
            raise AbError(400, "INVALID_REQUEST_PARAMETER", "locale must be a language tag such as en-US")
        self._authorised_in(request, region)
        package, order, accepted, now = self.backend.package(parts[1], parts[3], parts[5], region)
        return _tracking_view(package, order, accepted, now)

    # --- reporting -------------------------------------------------------------------------------
    def _reports(self, request: Request, name: str) -> dict[str, Any]:
        """getOrderReports (by order date, wall time: ``orderStartDate`` and ``orderEndDate``, at most 366 days
        apart, the end not in the future: up to REPORT_CLOCK_SKEW_S is let pass) or
        getOrderReportsByPurchaseOrderNumber; ``orderStatuses`` and ``region`` filter; REPORT_PAGE_SIZE orders a
        page, then a ``nextPageToken`` valid for the same query only."""
        if request.method != "GET":
            raise AbError(404, "NotFound", f"no operation {request.method} {request.path}")
        args = request.args
        region = args.get("region")
        if region is not None and region not in STORES:
            raise AbError(400, "INVALID_REQUEST_PARAMETER", f"region must be one of {', '.join(STORES)}")
        only = request.environ.get(_TOKEN_STORE)
        if only is not None and region is not None:
            self._authorised_in(request, region)
        chosen = only or region
        stores = {str(chosen)} if chosen else set(STORES)
        purchase_order, placed = None, None
        if name == "getOrderReportsByPurchaseOrderNumber":
            parts = request.path[len(REPORTS_PATH + "/purchaseOrders/"):].split("/")
            if len(parts) != 2 or parts[1] != "orderReports":
                raise AbError(404, "NotFound", f"no operation {request.method} {request.path}")
            purchase_order = unquote(parts[0])
            if not purchase_order:
                raise AbError(400, "INVALID_REQUEST_PARAMETER", "The required parameter purchaseOrderNumber is "
                              "missing or invalid.")
        elif request.path != REPORTS_PATH + "/orderReports":
            raise AbError(404, "NotFound", f"no operation {request.method} {request.path} (the emulator serves the "
                          "order reports only)")
        else:
            placed = (_date_arg(args, "orderStartDate"), _date_arg(args, "orderEndDate"))
            if placed[0] > placed[1]:
                raise AbError(400, "INVALID_REQUEST_PARAMETER", "The orderStartDate must be before or equal to "
                              "orderEndDate.")
            if placed[1] - placed[0] > 366 * DAY:
                raise AbError(400, "INVALID_REQUEST_PARAMETER", "orderStartDate must not be more than 366 days "
                              "before orderEndDate.")
            if placed[1] > time.time() + REPORT_CLOCK_SKEW_S:
                raise AbError(400, "INVALID_REQUEST_PARAMETER", "orderEndDate must not be in the future.")
        statuses = [s for given in args.getlist("orderStatuses") for s in given.split(",") if s]
        unknown = [s for s in statuses if s not in ORDER_STATUSES]
        if unknown or ("orderStatuses" in args and not statuses):
            raise AbError(400, "INVALID_REQUEST_PARAMETER", f"orderStatuses must be values of "
                          f"{', '.join(ORDER_STATUSES)}")
        rows, _now = self.backend.reports(stores, purchase_order, placed)
        reports = [_order_report(row) for row in rows]
        reports = [r for r in reports if not statuses or r["orderStatus"] in statuses]
        query = json.dumps([request.path, sorted((k, v) for k, v in args.items(multi=True) if k != "nextPageToken")])
        start = _page_start(args.get("nextPageToken"), query)
        page: dict[str, Any] = {"ordersReport": reports[start:start + REPORT_PAGE_SIZE]}
        page["size"] = len(page["ordersReport"])
        if start + REPORT_PAGE_SIZE < len(reports):
            page["nextPageToken"] = _page_token(start + REPORT_PAGE_SIZE, query)
        return page

    # --- admin -----------------------------------------------------------------------------------
    def _admin(self, request: Request) -> Response:
        path = request.path[len(ADMIN_PREFIX):]
        try:
            if path == "products" and request.method == "GET":
                return _json(200, self.backend.products())
            if path.startswith("products/") and request.method == "POST":
                return _json(200, self.backend.set_product(path.split("/", 1)[1], _admin_body(request)))
            if path == "usage-plan" and request.method == "PUT":
                speedup = _admin_body(request).get("speedup")
                if isinstance(speedup, bool) or not isinstance(speedup, int | float) or speedup <= 0:
                    raise AbError(400, "InvalidInput", "speedup must be a number > 0")
                for bucket in self.buckets.values():
                    bucket.set_speedup(float(speedup))
            if path == "usage-plan" and request.method in ("GET", "PUT"):
                plan = self.buckets["placeOrder"]  # every operation has the same plan
                return _json(200, {"rate": plan.rate, "burst": plan.burst, "speedup": plan.speedup})
            if path == "tokens/expire" and request.method == "POST":
                self.backend.expire_tokens()
                return _json(200, {"expired": True})
            if path == "orders" and request.method == "GET":
                return _json(200, [{k: v for k, v in o.items() if k != "digest"} for o in self.backend.orders()])
            if path == "packages" and request.method == "GET":
                return _json(200, self.backend.packages())
            if path.startswith("packages/") and request.method == "PUT":
                return _json(200, self.backend.set_package_status(path.split("/", 1)[1], _admin_body(request)))
            if path == "approval-policy" and request.method == "PUT":
                return _json(200, self.backend.set_approval_threshold(_admin_body(request)))
            parts = path.split("/")
            if len(parts) == 3 and parts[0] == "orders" and request.method == "POST":
                if parts[2] == "approval":
                    order = self.backend.decide(unquote(parts[1]), _admin_body(request))
                    return _json(200, {k: v for k, v in order.items() if k != "digest"})
                if parts[2] == "cancel":
                    order = self.backend.cancel(unquote(parts[1]), _admin_body(request))
                    return _json(200, {k: v for k, v in order.items() if k != "digest"})
        except AbError as error:
            return _json(error.status, {"message": error.message})
        return _json(404, {"message": f"No admin endpoint {request.method} {request.path}"})


# --- validation ----------------------------------------------------------------------------------
def _validate(body: Any) -> None:
    """The model's rules the emulator enforces (400 InvalidInput naming the first problem)."""
    def bad(message: str) -> AbError:
        return AbError(400, "InvalidInput", message)

    if not isinstance(body, dict):
        raise bad("the body must be a JSON object")
    external = body.get("externalId")
    if not isinstance(external, str) or not 1 <= len(external) <= 255:
        raise bad("externalId must be a string of 1 to 255 characters")
    items = body.get("lineItems")
    if not isinstance(items, list) or not 1 <= len(items) <= 50:
        raise bad("lineItems must have 1 to 50 items")
    seen: set[str] = set()
    for i, item in enumerate(items):
        where = f"lineItems[{i}]"
        if not isinstance(item, dict):
            raise bad(f"{where} must be an object")
        line_id = item.get("externalId")
        if not isinstance(line_id, str) or not 1 <= len(line_id) <= 127 or line_id in seen:
            raise bad(f"{where}.externalId must be 1 to 127 characters and unique within the order")
        seen.add(line_id)
        quantity = item.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 2**31 - 1:
            raise bad(f"{where}.quantity must be a whole number >= 1")
        kinds = {a.get("attributeType") for a in item.get("attributes", []) if isinstance(a, dict)}
        if "SelectedProductReference" not in kinds:
            raise bad(f"{where}.attributes must hold a SelectedProductReference")
        currencies = {e.get("amount", {}).get("currencyCode") for e in item.get("expectations", [])}
        if len(currencies) > 1:
            raise bad(f"{where}.expectations mix currencies: {', '.join(sorted(map(str, currencies)))}")
    if buyer(body) is None:
        raise bad("attributes must hold a BuyerReference with a user email")
    for given in body.get("attributes", []):
        if isinstance(given, dict) and given.get("attributeType") == "Region" \
                and given.get("region") not in STORES:
            raise bad(f"the Region attribute's region must be one of {', '.join(STORES)}")


# --- views ---------------------------------------------------------------------------------------
def _view(order: dict[str, Any], now: float, with_shipments: bool) -> dict[str, Any]:
    """The answer (PlaceOrderResult, OrderDetailsResult): per line item, accepted and rejected items with their
    artifacts; the order's acceptance artifacts (``Signed``, and its ``Shipment`` once shipped)."""
    lines = []
    shipped_lines = []
    for line in order["lineItems"]:
        entry: dict[str, Any] = {"externalId": line["externalId"], "acceptedItems": [], "rejectedItems": []}
        if "accepted" in line:
            window = effective_range(order, line["accepted"], now)
            line_shipped = with_shipments and window is not None and \
                shipment_status(window[0], window[2], now) != "NOT_SHIPPED"
            if line_shipped:
                shipped_lines.append(line)
            entry["acceptedItems"].append(_accepted(order, line, line_shipped, now))
        else:
            entry["rejectedItems"].append(_rejected(line))
        lines.append(entry)
    artifacts: list[dict[str, Any]] = []
    if any("accepted" in line for line in order["lineItems"]):
        artifacts.append({"acceptanceArtifactType": "Signed"})
    if shipped_lines:
        artifacts.append({"acceptanceArtifactType": "Shipment", "identifier": order["shipmentId"], "packages": [
            _package(order, line["accepted"], now) for line in shipped_lines]})
    return {"lineItems": lines, "acceptanceArtifacts": artifacts, "rejectionArtifacts": []}


def _accepted(order: dict[str, Any], line: dict[str, Any], shipped: bool, now: float) -> dict[str, Any]:
    accepted = line["accepted"]
    currency = accepted["currency"]
    low, high = promised_range(order, accepted, now)
    artifacts: list[dict[str, Any]] = [
        {"acceptanceArtifactType": "OrderIdentifier", "identifier": accepted["orderIdentifier"]},
        {"acceptanceArtifactType": "UnitPrice", "amount": _money(currency, accepted["unitPrice"])},
        _charge(currency, accepted["subtotal"], "SUBTOTAL", "PRINCIPAL"),
        _charge(currency, accepted["tax"], "SUBTOTAL", "TAX"),
    ]
    if accepted["shipping"]:
        artifacts.append(_charge(currency, accepted["shipping"], "SHIPPING", "PRINCIPAL"))
    artifacts.append({"acceptanceArtifactType": "DeliveryTimeRange", "lowerBoundary": {"date": _iso(low)},
                      "upperBoundary": {"date": _iso(high)}})
    if shipped:
        artifacts.append({"acceptanceArtifactType": "ShipmentGroup", "identifier": order["shipmentId"],
                          "packageReferences": [_tracking_number(accepted)], "quantity": line["quantity"]})
    item: dict[str, Any] = {"acceptedItemType": "SingleAcceptedItem", "quantity": line["quantity"],
                            "artifacts": artifacts}
    if accepted.get("group"):
        item.update(acceptedItemType="AcceptedItemGroup", items=[
            {"acceptedItemType": "SingleAcceptedItem", "quantity": count, "artifacts": []}
            for _asin, count in accepted["group"]])
    return item


def _rejected(line: dict[str, Any]) -> dict[str, Any]:
    rejected = line["rejected"]
    artifacts = [{"rejectionArtifactType": "RejectionCode", "code": rejected["code"]},
                 {"rejectionArtifactType": "RejectionMessage", "message": rejected["message"]}]
    if "artifact" in rejected:
        artifacts.append(rejected["artifact"])
    return {"quantity": line["quantity"], "artifacts": artifacts}


def _package(order: dict[str, Any], accepted: dict[str, Any], now: float) -> dict[str, Any]:
    low, high = promised_range(order, accepted, now)
    return {"packageReference": _tracking_number(accepted), "packageAttributes": [{
        "packageAttributeType": "PackageTrackingAttribute", "carrierName": _carrier_code(order),
        "deliveryDateRange": {"startDateTime": {"date": _iso(low)}, "endDateTime": {"date": _iso(high)}},
        "packageId": accepted["packageId"]}]}


def _tracking_number(accepted: dict[str, Any]) -> dict[str, Any]:
    return {"packageReferenceType": "CarrierTrackingNumber", "value": accepted["trackingNumber"]}


def _carrier_code(order: dict[str, Any]) -> str:
    return f"AMZL_{order.get('store', 'US')}"


def _money(currency: str, amount: float) -> dict[str, Any]:
    return {"currencyCode": currency, "amount": amount}


def _charge(currency: str, amount: float, category: str, kind: str) -> dict[str, Any]:
    return {"acceptanceArtifactType": "Charge", "amount": _money(currency, amount), "category": category,
            "type": kind}


_EVENTS = {
    "SHIPPED": "Package left the shipper facility.",
    "ARRIVED": "Package arrived at a carrier facility.",
    "OUT_FOR_DELIVERY": "Package is out for delivery.",
    "DELIVERED": "Package delivered.",
    "DELAYED": "Package delayed in transit: it will arrive later than first estimated.",
    "UNDELIVERABLE": "Package undeliverable: it is being returned to the seller.",
    "RETURNED": "Package returned to the seller.",
    "REFUND_ISSUED": "Refund issued for the package.",
    "AVAILABLE_FOR_PICKUP": "Package available for pickup.",
    "CUSTOMER_ACTION": "Action required: provide delivery instructions or schedule a redelivery.",
}
"""Each tracking event's description, by milestone or status (ARRIVED: half a day after shipping)."""
_PROMISES = {
    "UNDELIVERABLE": "Undeliverable, returning to the seller",
    "RETURNED": "Returned to the seller",
    "REFUND_ISSUED": "Refund issued",
    "AVAILABLE_FOR_PICKUP": "Available for pickup",
    "CUSTOMER_ACTION": "Action required",
}


def _tracking_view(package: dict[str, Any], order: dict[str, Any], accepted: dict[str, Any],
                   now: float) -> dict[str, Any]:
    """The answer (GetPackageTrackingDetailsResponse) for a package at ``now`` (ORDERED while its order waits for
    approval or once it is cancelled: it never ships)."""
    low, high = promised_range(order, accepted, now)
    window = effective_range(order, accepted, now)
    if window is None:
        status, reached = "ORDERED", [("ORDERED", float(order["placedAt"]))]
        package = {**package, "setAt": None}
    else:
        status, reached = tracking(package, window[0], high, now)
    when = dict(reached)
    details: dict[str, Any] = {"trackingStatus": status}
    if "DELIVERED" in when:
        details["localizedDeliveryPromise"] = f"Delivered {_day(when['DELIVERED'], weekday=False)}"
        details["deliveryWindow"] = {"endDate": _iso(when["DELIVERED"])}
    elif status == "DELAYED":
        late = max(high, now) + DAY
        details["localizedDeliveryPromise"] = f"Delayed, now arriving by {_day(late, weekday=False)}"
        details["deliveryWindow"] = {"startDate": _iso(low), "endDate": _iso(late)}
    else:
        first, last = _day(low, weekday=False), _day(high, weekday=False)
        details["localizedDeliveryPromise"] = _PROMISES.get(status) or (
            f"Arriving {first}" if first == last else f"Arriving {first} - {last}")
        details["deliveryWindow"] = {"startDate": _iso(low), "endDate": _iso(high)}
    if "SHIPPED" in when:
        details["carrierDetails"] = {"localizedCarrierName": CARRIER, "carrierTrackingId": accepted["trackingNumber"]}
    ship_to = {key: order.get("shipTo", {})[field] for key, field in
               (("city", "city"), ("state", "stateOrRegion"), ("country", "countryCode"))
               if field in order.get("shipTo", {})}
    events: list[tuple[float, str, dict[str, Any]]] = []
    if "SHIPPED" in when:
        events.append((when["SHIPPED"], _EVENTS["SHIPPED"], {}))
        arrived = when["SHIPPED"] + DAY / 2
        if arrived <= now and arrived <= when.get("OUT_FOR_DELIVERY", arrived):
            events.append((arrived, _EVENTS["ARRIVED"], ship_to))
    for milestone in ("OUT_FOR_DELIVERY", "DELIVERED"):
        if milestone in when:
            events.append((when[milestone], _EVENTS[milestone], ship_to))
    if status not in when and package.get("setAt") is not None:
        events.append((float(package["setAt"]), _EVENTS[status], {}))
    details["packageTrackingEvents"] = [
        {"localizedDescription": text, "localizedEventDate": _day(at), "localizedEventTime": _clock_time(at),
         **({"location": location} if location else {})}
        for at, text, location in sorted(events, key=lambda event: event[0], reverse=True)]
    details["packageMilestones"] = [{"milestoneType": name, "milestoneWindow": {"endDate": _iso(at)}}
                                    for name, at in reversed(reached)]
    return {"packageTrackingDetails": details}


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _day(epoch: float, weekday: bool = True) -> str:
    """A date as tracking answers write it (UTC, English): ``Tuesday, April 29`` (or ``April 29``)."""
    at = time.gmtime(epoch)
    day = f"{_MONTHS[at.tm_mon - 1]} {at.tm_mday}"
    return f"{_WEEKDAYS[at.tm_wday]}, {day}" if weekday else day


def _clock_time(epoch: float) -> str:
    """A time as tracking answers write it (UTC, English): ``6:39 AM``."""
    at = time.gmtime(epoch)
    return f"{at.tm_hour % 12 or 12}:{at.tm_min:02d} {'AM' if at.tm_hour < 12 else 'PM'}"


def _iso(epoch: float) -> str:
    """ISO 8601 in UTC: ``2025-04-29T19:15:23Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


REPORT_PAGE_SIZE = 25
"""Orders in one page of an order report."""
REPORT_CLOCK_SKEW_S = 300.0
"""How far in the future (by the emulator's wall clock) an ``orderEndDate`` may be: a client's clock may run ahead."""


def _order_report(row: dict[str, Any]) -> dict[str, Any]:
    """One Amazon order as the Reporting API's ``OrderReport``: its metadata, charges, status, buyer, group and
    approver."""
    order, line = row["order"], row["line"]
    accepted = line["accepted"]
    currency = accepted["currency"]
    amounts = [("SUBTOTAL", accepted["subtotal"]), ("SHIPPING_AND_HANDLING", accepted["shipping"]),
               ("TAX", accepted["tax"])]
    net = round(sum(amount for _, amount in amounts), 2)
    report: dict[str, Any] = {
        "orderMetadata": {"orderDate": {"date": _iso(placed_on(order))}, "orderId": accepted["orderIdentifier"],
                          "region": order.get("store", DEFAULT_STORE)},
        "charges": [{"type": kind, "amount": _money(currency, amount)} for kind, amount in
                    [*amounts, ("NET_TOTAL", net)]],
        "orderStatus": row["status"],
        "buyingCustomer": {"name": str(order["buyer"]).split("@", 1)[0], "email": order["buyer"]},
    }
    purchase_order = attribute(order["request"], "PurchaseOrderNumber").get("purchaseOrderNumber")
    if purchase_order:
        report["purchaseOrderNumber"] = purchase_order
    group = attribute(order["request"], "BuyingGroupReference").get("groupReference", {}).get("identifier")
    if group:
        report["buyerGroup"] = {"name": group}
    approval = order.get("approval") or {}
    if approval.get("approver"):
        approver = approval["approver"]
        report["approverDetails"] = {"lastOrderApproverCustomer": {"name": approver.split("@", 1)[0],
                                                                   "email": approver}}
    return report


def _date_arg(args: Any, name: str) -> float:
    """A required ISO 8601 date-time query parameter, as epoch seconds (400 naming it otherwise)."""
    value = args.get(name)
    if not value:
        raise AbError(400, "INVALID_REQUEST_PARAMETER", f"The required parameter {name} is missing.")
    try:
        parsed = datetime.fromisoformat(value) if _DATE_TIME.match(value) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise AbError(400, "INVALID_REQUEST_PARAMETER", f"{name} must be an ISO 8601 date-time with its offset, "
                      "e.g. 2025-01-15T10:30:00Z")
    return parsed.timestamp()


def _page_token(start: int, query: str) -> str:
    digest = hashlib.sha256(query.encode()).hexdigest()[:16]
    return base64.urlsafe_b64encode(json.dumps([start, digest]).encode()).decode()


def _page_start(token: str | None, query: str) -> int:
    """Where the page ``token`` starts (0 without one); 400 for a token of another query, or none of ours."""
    if not token:
        return 0
    try:
        start, digest = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, TypeError):
        raise AbError(400, "INVALID_REQUEST_PARAMETER", "nextPageToken is not valid") from None
    if digest != hashlib.sha256(query.encode()).hexdigest()[:16] or not isinstance(start, int) or start < 0:
        raise AbError(400, "INVALID_REQUEST_PARAMETER", "nextPageToken must be used with the same query parameters "
                      "as the original request")
    return start


def _errors(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"code": code, "message": message, "details": ""}]}


def _oauth_error(code: str, description: str, status: int = 400) -> Response:
    return Response(json.dumps({"error": code, "error_description": description}), status=status,
                    content_type="application/json")


def _admin_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(request.get_data() or b"{}")
    except ValueError as error:
        raise AbError(400, "InvalidInput", f"the body is not valid JSON: {error}") from error
    if not isinstance(body, dict):
        raise AbError(400, "InvalidInput", "the body must be a JSON object")
    return body


def _json(status: int, payload: Any) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json")
