"""The Amazon Business Ordering API and its Login with Amazon (LWA) token endpoint, on the emulator's port.

Routed by path: ``POST /auth/o2/token`` (grant_type=refresh_token, form-encoded) issues access tokens;
``POST /ordering/2022-10-30/orders`` (placeOrder) and ``GET /ordering/2022-10-30/orders/{externalId}``
(orderDetails, with ``x-amz-user-email``) need a valid ``x-amz-access-token``. Both ordering operations
share one usage plan (0.5 requests/s, burst 10, times ``speedup``): over it, 429 with
``{"errors": [...]}``; every ordering response carries ``x-amzn-RateLimit-Limit`` (the rate applied).

Orders are idempotent by ``externalId``: the same ID with the same body answers the stored order; with
another body, 400 ``IDEMPOTENCY_CONFLICT`` (the emulator's code), unless every item of the stored
order was rejected (nothing placed: the ID is free again). Each line item is accepted or rejected
whole: rejected for a broken price expectation (``BROKEN_EXPECTATION``), a quantity beyond what is
available (``QUANTITY_UNAVAILABLE``) or an unknown product/buying option (``PRODUCT_UNAVAILABLE``).
Accepted items ship one simulated day after the order and are delivered at the end of their delivery
range (three days), following the emulator's clock. The result shapes are the emulator's own reading of
the public model: ``lineItems[].acceptedItems[]`` / ``rejectedItems[]`` with typed ``artifacts``.

Admin (plain JSON, under ``/_emulator/amazon-business/``): ``GET products``; ``POST products/{asin}``
``{"price": 12.5, "available": 3}``; ``GET|PUT usage-plan`` ``{"speedup": 10}``; ``GET orders``;
``POST tokens/expire`` (every access token issued so far expires, as after an hour). Faults (the
emulator's ``/_emulator/faults``, by operation name): ``throttle_rate`` answers 429 as the usage plan
would, ``drop_response_after_commit`` / ``error_after_commit`` lose the answer to a committed order.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from werkzeug.wrappers import Request, Response

from pulumi_outposts_orders.emulator.calls import CallCounter
from pulumi_outposts_orders.emulator.clock import DAY, Clock
from pulumi_outposts_orders.emulator.faults import Decision, Faults, apply
from pulumi_outposts_orders.emulator.store import Store, Transaction

ORDERS_PATH = "/ordering/2022-10-30/orders"
TOKEN_PATH = "/auth/o2/token"
ADMIN_PREFIX = "/_emulator/amazon-business/"
OPERATIONS = ("placeOrder", "orderDetails", "lwaToken")
"""Names in the call log and in the faults settings (by name only)."""

LWA_CLIENT_ID = "amzn1.application-oa2-client.emulator"
LWA_CLIENT_SECRET = "emulator-lwa-client-secret"
LWA_REFRESH_TOKEN = "Atzr|emulator-refresh-token"
"""The credentials the emulator accepts (any other: 400 invalid_client / invalid_grant)."""
ACCESS_TOKEN_TTL_S = 3600
TOKENS_EXPIRED_AT = "ab_tokens_expired_at"
"""Setting: access tokens issued up to this wall time are expired (admin ``POST tokens/expire``)."""

RATE_PER_S = 0.5
BURST = 10

PRODUCT = "ab_product"
ORDER = "ab_order"
TOKEN = "ab_token"
SHIP_AFTER_DAYS = 1.0
DELIVERY_DAYS = (2.0, 3.0)
"""Delivery range of an accepted item, days after the order; delivered at its end."""


@dataclass(frozen=True)
class SeedProduct:
    """A seeded product with one buying option."""

    asin: str
    buying_option_id: str
    title: str
    price: float
    currency: str
    available: int


SEED_PRODUCTS = (
    SeedProduct("B07QSFP28A", "bo-qsfp28-sr4", "100G QSFP28 SR4 optical transceiver", 129.0, "USD", 500),
    SeedProduct("B08MPOFIB1", "bo-mpo-12f-10m", "MPO-12 OM4 fibre trunk cable, 10 m", 58.5, "USD", 200),
    SeedProduct("B09PDUC19A", "bo-pdu-c19-30a", "30A 208V PDU, C19 outlets", 899.0, "USD", 20),
    SeedProduct("B001W0QL2I", "bo-eu-sample", "Sample EU product", 6.03, "EUR", 100),
)


class AbError(Exception):
    """An Ordering API error: status, code, message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class TokenBucket:
    """The usage plan: ``rate`` tokens a second (times the speed-up), at most ``burst``."""

    def __init__(self, rate: float = RATE_PER_S, burst: int = BURST, speedup: float = 1.0) -> None:
        self._lock = threading.Lock()
        self.base_rate, self.burst, self.speedup = rate, burst, speedup
        self._tokens = float(burst)
        self._at = time.monotonic()

    @property
    def rate(self) -> float:
        """Requests per second applied."""
        return self.base_rate * self.speedup

    def set_speedup(self, speedup: float) -> None:
        """Scale the rate (tests); the bucket starts full again."""
        with self._lock:
            self.speedup, self._tokens, self._at = speedup, float(self.burst), time.monotonic()

    def take(self) -> bool:
        """One request's token, if there is one."""
        with self._lock:
            now = time.monotonic()
            self._tokens = min(float(self.burst), self._tokens + (now - self._at) * self.rate)
            self._at = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return True
            return False


def addressed(request: Request) -> bool:
    """Whether the request is for the Ordering API, LWA, or their admin."""
    return (request.path.startswith(ORDERS_PATH) or request.path == TOKEN_PATH
            or request.path.startswith(ADMIN_PREFIX))


class AmazonBusiness:
    """Serves the Ordering API, LWA and their admin API."""

    def __init__(self, store: Store, clock: Clock, calls: CallCounter, faults: Faults, seed: bool = True) -> None:
        self._store, self._clock, self._calls, self._faults = store, clock, calls, faults
        self.bucket = TokenBucket()
        if seed:
            with store.transaction() as tx:
                for product in SEED_PRODUCTS:
                    if tx.get(PRODUCT, product.asin) is None:
                        tx.put(PRODUCT, product.asin, product.__dict__.copy())

    def handle(self, request: Request) -> tuple[Response, Decision]:
        """The response (and the fault decision, for a dropped response)."""
        if request.path.startswith(ADMIN_PREFIX):
            return self._admin(request), Decision()
        if request.path == TOKEN_PATH:
            self._calls.count("lwaToken")
            return self._token(request), Decision()
        name = "placeOrder" if request.method == "POST" else "orderDetails"
        self._calls.count(name)
        headers = [("x-amzn-RateLimit-Limit", f"{self.bucket.rate:g}"), ("x-amzn-RequestId", str(uuid.uuid4()))]
        decision = Decision()
        try:
            if not self.bucket.take():
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
        token = "Atza|" + secrets.token_urlsafe(24)
        with self._store.transaction() as tx:
            tx.put(TOKEN, token, {"issued": time.time(), "expires": time.time() + ACCESS_TOKEN_TTL_S})
        body = {"access_token": token, "token_type": "bearer", "expires_in": ACCESS_TOKEN_TTL_S}
        return Response(json.dumps(body), status=200, content_type="application/json")

    def _authenticate(self, request: Request) -> None:
        token = request.headers.get("x-amz-access-token", "")
        with self._store.transaction() as tx:
            found = tx.get(TOKEN, token) if token else None
            expired_at = float(tx.setting(TOKENS_EXPIRED_AT) or 0)
        if found is None or found["expires"] < time.time() or found.get("issued", 0) <= expired_at:
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
            return self._place(body)
        if request.method == "GET" and rest.startswith("/") and "/" not in rest[1:]:
            email = request.headers.get("x-amz-user-email")
            if not email:
                raise AbError(400, "InvalidInput", "the x-amz-user-email header is required")
            return self._details(unquote(rest[1:]), email)
        raise AbError(404, "NotFound", f"no operation {request.method} {request.path}")

    def _place(self, body: Any) -> dict[str, Any]:
        _validate(body)
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        with self._store.transaction() as tx:
            stored = tx.get(ORDER, body["externalId"])
            if stored is not None and not any("accepted" in line for line in stored["lineItems"]):
                stored = None  # nothing was placed under this externalId: it is still free
            if stored is not None:
                if stored["digest"] != digest:
                    raise AbError(400, "IDEMPOTENCY_CONFLICT", f"externalId {body['externalId']} was already used "
                                  "for an order with another request body")
                return _view(stored, self._clock.now(tx), with_shipments=False)
            now = self._clock.now(tx)
            order = {"externalId": body["externalId"], "digest": digest, "placedAt": now, "wallPlacedAt": time.time(),
                     "buyer": _buyer(body), "request": body,
                     "lineItems": [self._line(tx, item, body["externalId"], now) for item in body["lineItems"]]}
            tx.put(ORDER, body["externalId"], order)
            return _view(order, now, with_shipments=False)

    def _line(self, tx: Transaction, item: dict[str, Any], order_id: str, now: float) -> dict[str, Any]:
        attrs = {a.get("attributeType"): a for a in item.get("attributes", [])}
        asin = attrs["SelectedProductReference"]["productReference"]["id"]
        option = attrs.get("SelectedBuyingOptionReference", {}).get("buyingOptionReference", {}).get("id")
        quantity = int(item["quantity"])
        line: dict[str, Any] = {"externalId": item["externalId"], "quantity": quantity}
        product = tx.get(PRODUCT, asin)
        rejection = None
        if product is None or (option is not None and option != product["buying_option_id"]):
            rejection = ("PRODUCT_UNAVAILABLE", f"product {asin} with buying option {option} is not offered")
        elif quantity > product["available"]:
            rejection = ("QUANTITY_UNAVAILABLE", f"{quantity} requested, {product['available']} available")
        else:
            rejection = _broken_expectation(item, product, quantity)
        if rejection is not None or product is None:
            rejection = rejection or ("PRODUCT_UNAVAILABLE", f"product {asin} is not offered")
            line["rejected"] = {"code": rejection[0], "message": rejection[1]}
            return line
        product["available"] -= quantity
        tx.put(PRODUCT, asin, product)
        digest = hashlib.sha256(f"{order_id}/{item['externalId']}".encode()).hexdigest()
        line["accepted"] = {
            "orderIdentifier": f"114-{int(digest[:12], 16) % 10**7:07d}-{int(digest[12:24], 16) % 10**7:07d}",
            "unitPrice": {"currencyCode": product["currency"], "amount": product["price"]},
            "charge": {"currencyCode": product["currency"], "amount": round(product["price"] * quantity, 2)},
            "deliveryRange": [now + DELIVERY_DAYS[0] * DAY, now + DELIVERY_DAYS[1] * DAY],
            "trackingNumber": "TBA" + digest[:12].upper(),
        }
        return line

    def _details(self, external_id: str, email: str) -> dict[str, Any]:
        with self._store.transaction() as tx:
            order = tx.get(ORDER, external_id)
            if order is None or order["buyer"].lower() != email.lower():
                raise AbError(404, "NotFound", f"no order with externalId {external_id} for {email}")
            return _view(order, self._clock.now(tx), with_shipments=True)

    # --- admin -----------------------------------------------------------------------------------
    def _admin(self, request: Request) -> Response:
        path = request.path[len(ADMIN_PREFIX):]
        try:
            if path == "products" and request.method == "GET":
                with self._store.transaction() as tx:
                    return _json(200, tx.all(PRODUCT))
            if path.startswith("products/") and request.method == "POST":
                return _json(200, self._set_product(path.split("/", 1)[1], _admin_body(request)))
            if path == "usage-plan" and request.method == "PUT":
                speedup = _admin_body(request).get("speedup")
                if isinstance(speedup, bool) or not isinstance(speedup, int | float) or speedup <= 0:
                    raise AbError(400, "InvalidInput", "speedup must be a number > 0")
                self.bucket.set_speedup(float(speedup))
            if path == "usage-plan" and request.method in ("GET", "PUT"):
                return _json(200, {"rate": self.bucket.rate, "burst": self.bucket.burst,
                                   "speedup": self.bucket.speedup})
            if path == "tokens/expire" and request.method == "POST":
                with self._store.transaction() as tx:
                    tx.set_setting(TOKENS_EXPIRED_AT, repr(time.time()))
                return _json(200, {"expired": True})
            if path == "orders" and request.method == "GET":
                with self._store.transaction() as tx:
                    return _json(200, [{k: v for k, v in o.items() if k != "digest"} for o in tx.all(ORDER)])
        except AbError as error:
            return _json(error.status, {"message": error.message})
        return _json(404, {"message": f"No admin endpoint {request.method} {request.path}"})

    def _set_product(self, asin: str, body: dict[str, Any]) -> dict[str, Any]:
        with self._store.transaction() as tx:
            product = tx.get(PRODUCT, asin)
            if product is None:
                raise AbError(404, "NotFound", f"no product {asin}")
            for key, kind in (("price", float), ("available", int)):
                if key in body:
                    value = body[key]
                    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                        raise AbError(400, "InvalidInput", f"{key} must be a number >= 0")
                    product[key] = kind(value)
            tx.put(PRODUCT, asin, product)
            return product


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
    if _buyer(body) is None:
        raise bad("attributes must hold a BuyerReference with a user email")


def _buyer(body: dict[str, Any]) -> Any:
    for attribute in body.get("attributes", []):
        if isinstance(attribute, dict) and attribute.get("attributeType") == "BuyerReference":
            return attribute.get("userReference", {}).get("emailAddress")
    return None


def _broken_expectation(item: dict[str, Any], product: dict[str, Any], quantity: int) -> tuple[str, str] | None:
    actual = {"ExpectedUnitPrice": product["price"], "ExpectedCharge": round(product["price"] * quantity, 2)}
    for expectation in item.get("expectations", []):
        kind = expectation.get("expectationType")
        amount = expectation.get("amount", {})
        if kind not in actual:
            continue
        moved = abs(float(amount.get("amount", -1)) - actual[kind]) > 0.005
        if amount.get("currencyCode") != product["currency"] or moved:
            return ("BROKEN_EXPECTATION", f"{kind} {amount.get('currencyCode')} {amount.get('amount')} does not "
                    f"match the current {product['currency']} {actual[kind]:.2f}")
    return None


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
    if now >= delivered_at:
        status = "DELIVERED"
    elif now >= placed + SHIP_AFTER_DAYS * DAY:
        status = "SHIPPED"
    else:
        status = "NOT_SHIPPED"
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

