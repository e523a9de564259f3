"""The Amazon Business Ordering API's state and rules: products, orders, access tokens, the usage plan.

Everything lives in the emulator's store (document kinds PRODUCT, ORDER, TOKEN), except the usage
plan (``TokenBucket``: RATE_PER_S requests a second, burst BURST, times a speed-up), which is the
running process's.

Orders are idempotent by ``externalId``: the same ID with the same body answers the stored order; with
another body, 400 ``IDEMPOTENCY_CONFLICT`` (the emulator's code), unless every item of the stored
order was rejected (nothing placed: the ID is free again). Each line item is accepted or rejected
whole: rejected for a broken price expectation (``BROKEN_EXPECTATION``), a quantity beyond what is
available (``QUANTITY_UNAVAILABLE``) or an unknown product/buying option (``PRODUCT_UNAVAILABLE``).
Accepted items ship one simulated day after the order and are delivered at the end of their delivery
range (three days), following the emulator's clock. Access tokens last ACCESS_TOKEN_TTL_S, or until
``expire_tokens`` (the admin API's ``POST tokens/expire``).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from pulumi_outposts_orders.emulator.amazon_business.exceptions import AbError
from pulumi_outposts_orders.emulator.clock import DAY, Clock
from pulumi_outposts_orders.emulator.store import Store, Transaction

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


class AmazonBusinessBackend:
    """The Ordering API's stored state: products (seeded unless told otherwise), orders, access tokens."""

    def __init__(self, store: Store, clock: Clock, seed: bool = True) -> None:
        self._store, self._clock = store, clock
        if seed:
            with store.transaction() as tx:
                for product in SEED_PRODUCTS:
                    if tx.get(PRODUCT, product.asin) is None:
                        tx.put(PRODUCT, product.asin, product.__dict__.copy())

    # --- LWA -------------------------------------------------------------------------------------
    def issue_token(self) -> str:
        """A new access token, valid for ACCESS_TOKEN_TTL_S."""
        token = "Atza|" + secrets.token_urlsafe(24)
        with self._store.transaction() as tx:
            tx.put(TOKEN, token, {"issued": time.time(), "expires": time.time() + ACCESS_TOKEN_TTL_S})
        return token

    def authorized(self, token: str) -> bool:
        """Whether ``token`` was issued, has not expired and was not expired by the admin API."""
        with self._store.transaction() as tx:
            found = tx.get(TOKEN, token) if token else None
            expired_at = float(tx.setting(TOKENS_EXPIRED_AT) or 0)
        return not (found is None or found["expires"] < time.time() or found.get("issued", 0) <= expired_at)

    def expire_tokens(self) -> None:
        """Every access token issued so far expires (as after an hour)."""
        with self._store.transaction() as tx:
            tx.set_setting(TOKENS_EXPIRED_AT, repr(time.time()))

    # --- ordering --------------------------------------------------------------------------------
    def place(self, body: dict[str, Any]) -> tuple[dict[str, Any], float]:
        """placeOrder of a valid request ``body``: the order (stored, or the one stored before under its
        externalId) and simulated now."""
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        with self._store.transaction() as tx:
            stored = tx.get(ORDER, body["externalId"])
            if stored is not None and not any("accepted" in line for line in stored["lineItems"]):
                stored = None  # nothing was placed under this externalId: it is still free
            if stored is not None:
                if stored["digest"] != digest:
                    raise AbError(400, "IDEMPOTENCY_CONFLICT", f"externalId {body['externalId']} was already used "
                                  "for an order with another request body")
                return stored, self._clock.now(tx)
            now = self._clock.now(tx)
            order = {"externalId": body["externalId"], "digest": digest, "placedAt": now, "wallPlacedAt": time.time(),
                     "buyer": buyer(body), "request": body,
                     "lineItems": [self._line(tx, item, body["externalId"], now) for item in body["lineItems"]]}
            tx.put(ORDER, body["externalId"], order)
            return order, now

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

    def details(self, external_id: str, email: str) -> tuple[dict[str, Any], float]:
        """orderDetails: the stored order of ``external_id`` placed by ``email`` (404 otherwise), and simulated now."""
        with self._store.transaction() as tx:
            order = tx.get(ORDER, external_id)
            if order is None or order["buyer"].lower() != email.lower():
                raise AbError(404, "NotFound", f"no order with externalId {external_id} for {email}")
            return order, self._clock.now(tx)

    # --- admin -----------------------------------------------------------------------------------
    def products(self) -> list[dict[str, Any]]:
        """Every product, as stored."""
        with self._store.transaction() as tx:
            return tx.all(PRODUCT)

    def set_product(self, asin: str, body: dict[str, Any]) -> dict[str, Any]:
        """Change a product's ``price`` and ``available`` quantity (400 for values that are no number >= 0)."""
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

    def orders(self) -> list[dict[str, Any]]:
        """Every order, as stored."""
        with self._store.transaction() as tx:
            return tx.all(ORDER)


def buyer(body: dict[str, Any]) -> Any:
    """The user email of the order's BuyerReference attribute (None without one)."""
    for attribute in body.get("attributes", []):
        if isinstance(attribute, dict) and attribute.get("attributeType") == "BuyerReference":
            return attribute.get("userReference", {}).get("emailAddress")
    return None


def shipment_status(placed: float, delivered_at: float, now: float) -> str:
    """An accepted item's shipment at ``now``: NOT_SHIPPED, SHIPPED (SHIP_AFTER_DAYS after the order), or
    DELIVERED (at the end of its delivery range)."""
    if now >= delivered_at:
        return "DELIVERED"
    if now >= placed + SHIP_AFTER_DAYS * DAY:
        return "SHIPPED"
    return "NOT_SHIPPED"


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
