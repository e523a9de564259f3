"""The Amazon Business Ordering API and its Login with Amazon (LWA) token endpoint, on the emulator's port.

Routed by path: ``POST /auth/o2/token`` (grant_type=refresh_token, form-encoded) issues access tokens;
``POST /ordering/2022-10-30/orders`` (placeOrder) and ``GET /ordering/2022-10-30/orders/{externalId}``
(orderDetails, with ``x-amz-user-email``) need a valid ``x-amz-access-token``. Each ordering operation has
its own usage plan, as the published model gives them (0.5 requests/s, burst 10, times ``speedup``): over it,
429 with ``{"errors": [...]}``; every ordering response carries ``x-amzn-RateLimit-Limit`` (the rate applied).

This module reads requests and writes answers; what an order does (idempotency by ``externalId``, line
items accepted or rejected whole, shipping and delivery on the emulator's clock) is ``models``. The
result shapes are the emulator's own reading of the public model: ``lineItems[].acceptedItems[]`` /
``rejectedItems[]`` with typed ``artifacts``.

Admin (plain JSON, under ``/_emulator/amazon-business/``): ``GET products``; ``POST products/{asin}``
``{"price": 12.5, "available": 3}``; ``GET|PUT usage-plan`` ``{"speedup": 10}``; ``GET orders``;
``POST tokens/expire`` (every access token issued so far expires, as after an hour). Faults (the
emulator's ``/_emulator/faults``, by operation name): ``throttle_rate`` answers 429 as the usage plan
would, ``drop_response_after_commit`` / ``error_after_commit`` lose the answer to a committed order.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import unquote

from werkzeug.wrappers import Request, Response

from pulumi_outposts_orders.emulator.amazon_business.exceptions import AbError
from pulumi_outposts_orders.emulator.amazon_business.models import (
    ACCESS_TOKEN_TTL_S,
    LWA_CLIENT_ID,
    LWA_CLIENT_SECRET,
    LWA_REFRESH_TOKEN,
    AmazonBusinessBackend,
    TokenBucket,
    buyer,
    shipment_status,
)
from pulumi_outposts_orders.emulator.calls import CallCounter
from pulumi_outposts_orders.emulator.clock import Clock
from pulumi_outposts_orders.emulator.faults import Decision, Faults, apply
from pulumi_outposts_orders.emulator.store import Store

ORDERS_PATH = "/ordering/2022-10-30/orders"
TOKEN_PATH = "/auth/o2/token"
ADMIN_PREFIX = "/_emulator/amazon-business/"
OPERATIONS = ("placeOrder", "orderDetails", "lwaToken")
"""Names in the call log and in the faults settings (by name only)."""


def addressed(request: Request) -> bool:
    """Whether the request is for the Ordering API, LWA, or their admin."""
    return (request.path.startswith(ORDERS_PATH) or request.path == TOKEN_PATH
            or request.path.startswith(ADMIN_PREFIX))


class AmazonBusiness:
    """Serves the Ordering API, LWA and their admin API."""

    def __init__(self, store: Store, clock: Clock, calls: CallCounter, faults: Faults, seed: bool = True) -> None:
        self._calls, self._faults = calls, faults
        self.buckets = {operation: TokenBucket() for operation in ("placeOrder", "orderDetails")}  # per operation
        self.backend = AmazonBusinessBackend(store, clock, seed=seed)

    def handle(self, request: Request) -> tuple[Response, Decision]:
        """The response (and the fault decision, for a dropped response)."""
        if request.path.startswith(ADMIN_PREFIX):
            return self._admin(request), Decision()
        if request.path == TOKEN_PATH:
            self._calls.count("lwaToken")
            return self._token(request), Decision()
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
        if form.get("refresh_token") != LWA_REFRESH_TOKEN:
            return _oauth_error("invalid_grant", "The request has an invalid grant parameter : refresh_token")
        token = self.backend.issue_token()
        body = {"access_token": token, "token_type": "bearer", "expires_in": ACCESS_TOKEN_TTL_S}
        return Response(json.dumps(body), status=200, content_type="application/json")

    def _authenticate(self, request: Request) -> None:
        token = request.headers.get("x-amz-access-token", "")
        if not self.backend.authorized(token):
            raise AbError(403, "Unauthorized", "Access to requested resource is denied: missing or invalid "
                          "x-amz-access-token")

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
            order, now = self.backend.place(body)
            return _view(order, now, with_shipments=False)
        if request.method == "GET" and rest.startswith("/") and "/" not in rest[1:]:
            email = request.headers.get("x-amz-user-email")
            if not email:
                raise AbError(400, "InvalidInput", "the x-amz-user-email header is required")
            order, now = self.backend.details(unquote(rest[1:]), email)
            return _view(order, now, with_shipments=True)
        raise AbError(404, "NotFound", f"no operation {request.method} {request.path}")

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


# --- views ---------------------------------------------------------------------------------------
def _view(order: dict[str, Any], now: float, with_shipments: bool) -> dict[str, Any]:
    """The API's answer: per line item, accepted and rejected items with their artifacts."""
    lines = []
    for line in order["lineItems"]:
        entry: dict[str, Any] = {"externalId": line["externalId"], "acceptedItems": [], "rejectedItems": []}
        if "accepted" in line:
            accepted = line["accepted"]
            artifacts: list[dict[str, Any]] = [
                {"acceptanceArtifactType": "OrderIdentifier", "identifier": accepted["orderIdentifier"]},
                {"acceptanceArtifactType": "UnitPrice", "amount": accepted["unitPrice"]},
                {"acceptanceArtifactType": "Charge", "source": "SUBTOTAL", "amount": accepted["charge"]},
                {"acceptanceArtifactType": "DeliveryDateRange", "lower": _iso(accepted["deliveryRange"][0]),
                 "upper": _iso(accepted["deliveryRange"][1])},
            ]
            if with_shipments:
                artifacts.append(_shipment(order["placedAt"], accepted, now))
            entry["acceptedItems"].append({"quantity": line["quantity"], "artifacts": artifacts})
        else:
            rejected = line["rejected"]
            reason = {"rejectionArtifactType": "RejectionReason", "code": rejected["code"],
                      "message": rejected["message"]}
            entry["rejectedItems"].append({"quantity": line["quantity"], "artifacts": [reason]})
        lines.append(entry)
    return {"externalId": order["externalId"], "lineItems": lines}


def _shipment(placed: float, accepted: dict[str, Any], now: float) -> dict[str, Any]:
    delivered_at = accepted["deliveryRange"][1]
    status = shipment_status(placed, delivered_at, now)
    shipment = {"acceptanceArtifactType": "Shipment", "status": status, "carrier": "AMZL_US",
                "trackingNumber": accepted["trackingNumber"] if status != "NOT_SHIPPED" else None}
    if status == "DELIVERED":
        shipment["deliveredAt"] = _iso(delivered_at)
    return shipment


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


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
