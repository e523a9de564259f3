"""The Amazon Business APIs' state and rules: products, orders, packages, access tokens, the usage plan.

Everything lives in the emulator's store (document kinds PRODUCT, ORDER, PACKAGE, TOKEN), except the
usage plan (``TokenBucket``: RATE_PER_S requests a second, burst BURST, times a speed-up), which is the
running process's.

Orders are idempotent by ``externalId``: the same ID with the same body answers the stored order; with
another body, 400 ``IDEMPOTENCY_CONFLICT`` (the emulator's code), unless every item of the stored
order was rejected (nothing placed: the ID is free again). Each line item is accepted or rejected
whole: rejected for a broken price expectation (``BROKEN_EXPECTATION``), a quantity beyond what is
available (``QUANTITY_UNAVAILABLE``) or an unknown product/buying option (``PRODUCT_UNAVAILABLE``).

An accepted line is charged, at placement: its subtotal (unit price x quantity), tax on the subtotal at
the store's rate (``TAX_RATES``, by the order's ``Region``; rounded half up to the cent) and the product's
flat shipping fee (``SeedProduct.shipping``, per line whatever the quantity). A product with a ``group`` is
sold as a unit of other items (the answer's ``AcceptedItemGroup``).

Every order has one shipment (``shipmentId``); each accepted line is a package of it (``packageId`` "1",
"2", ... in line order, a carrier tracking number each). On the emulator's clock a package is ORDERED,
SHIPPED SHIP_AFTER_DAYS after the order, OUT_FOR_DELIVERY OUT_FOR_DELIVERY_DAYS before the end of its
delivery range (DELIVERY_DAYS after the order) and DELIVERED at that end. The admin API can set a
package's tracking status (``set_package_status``: any of TRACKING_STATUSES, or back to the clock); that
changes the Package Tracking answer only, never the Ordering one. Access tokens last ACCESS_TOKEN_TTL_S,
or until ``expire_tokens`` (the admin API's ``POST tokens/expire``).

Approval and cancellation (what the Reporting API's ``orderStatus`` tells): with an approval threshold set
(``set_approval_threshold``), an order whose accepted subtotal reaches it waits for approval
(PENDING_APPROVAL): nothing ships, and its delivery range slides with the wait. Approved (``decide``), its
clock starts then: PENDING_FULFILLMENT, then CLOSED once every package is delivered. Rejected by the
approver, every Amazon order of it is CANCELLED; ``cancel`` cancels one or all of them (by Amazon or the
buyer) as long as none has shipped. A ``TrialMode`` order is answered as a real one would be, and nothing
is stored: no order, package or stock taken.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pulumi_outposts_orders.emulator.amazon_business.exceptions import AbError
from pulumi_outposts_orders.emulator.clock import DAY, Clock
from pulumi_outposts_orders.emulator.store import Store, Transaction

LWA_CLIENT_ID = "amzn1.application-oa2-client.emulator"
LWA_CLIENT_SECRET = "emulator-lwa-client-secret"
LWA_REFRESH_TOKEN = "Atzr|emulator-refresh-token"
"""The refresh token of an application authorised in every store."""
STORE_REFRESH_TOKENS = {"UK": "Atzr|emulator-refresh-token-uk", "DE": "Atzr|emulator-refresh-token-de"}
"""Refresh tokens issued by one store each: Amazon Business authorises an application per store (a UK and a DE
account need two tokens); an access token from one orders, reads and tracks in that store only."""
"""The credentials the emulator accepts (any other: 400 invalid_client / invalid_grant)."""
ACCESS_TOKEN_TTL_S = 3600
TOKENS_EXPIRED_AT = "ab_tokens_expired_at"
"""Setting: access tokens issued up to this wall time are expired (admin ``POST tokens/expire``)."""

RATE_PER_S = 0.5
BURST = 10

PRODUCT = "ab_product"
ORDER = "ab_order"
PACKAGE = "ab_package"
TOKEN = "ab_token"
SHIP_AFTER_DAYS = 1.0
DELIVERY_DAYS = (2.0, 3.0)
"""Delivery range of an accepted item, days after the order; delivered at its end."""
OUT_FOR_DELIVERY_DAYS = 0.25
"""How long before its delivery a package is out for delivery."""

STORES = ("DE", "FR", "UK", "IT", "ES", "IN", "US", "CA", "MX", "JP", "AU")
"""The Amazon Business stores: the models' ``Region`` values (an order's, a tracking request's ``region``)."""
DEFAULT_STORE = "US"
"""The store of an order without a ``Region`` attribute."""
TAX_RATES = {"US": Decimal("0.1025")}
"""Tax on a line's subtotal, by store (any other store: none)."""
MILESTONES = ("ORDERED", "SHIPPED", "OUT_FOR_DELIVERY", "DELIVERED")
"""A package's milestones, in order (the Package Tracking model's ``milestoneType``)."""
ORDER_STATUSES = ("PENDING_APPROVAL", "PAYMENT_CONFIRMED", "PENDING_FULFILLMENT", "PENDING", "CANCELLED", "CLOSED")
"""The Reporting model's ``orderStatus`` values."""
APPROVAL_THRESHOLD = "ab_approval_threshold"
"""Setting: orders whose accepted subtotal is at least this need approval (admin ``PUT approval-policy``)."""
TRACKING_STATUSES = (*MILESTONES, "DELAYED", "UNDELIVERABLE", "RETURNED", "REFUND_ISSUED", "AVAILABLE_FOR_PICKUP",
                     "CUSTOMER_ACTION")
"""The ``trackingStatus`` values the Package Tracking model documents."""


@dataclass(frozen=True)
class SeedProduct:
    """A seeded product with one buying option; ``shipping`` is its flat fee per line, ``group`` the items
    (ASIN, quantity in one unit) it is sold as a unit of, if it is a group."""

    asin: str
    buying_option_id: str
    title: str
    price: float
    currency: str
    available: int
    shipping: float = 0.0
    group: tuple[tuple[str, int], ...] = ()


SEED_PRODUCTS = (
    SeedProduct("B07QSFP28A", "bo-qsfp28-sr4", "100G QSFP28 SR4 optical transceiver", 129.0, "USD", 500),
    SeedProduct("B08MPOFIB1", "bo-mpo-12f-10m", "MPO-12 OM4 fibre trunk cable, 10 m", 58.5, "USD", 200),
    SeedProduct("B09PDUC19A", "bo-pdu-c19-30a", "30A 208V PDU, C19 outlets", 899.0, "USD", 20, shipping=45.0),
    SeedProduct("B001W0QL2I", "bo-eu-sample", "Sample EU product", 6.03, "EUR", 100),
    SeedProduct("B0CQSFPKIT", "bo-qsfp-cable-kit", "QSFP28 SR4 cable kit: 2 transceivers, 2 MPO-12 trunks", 349.0,
                "USD", 50, group=(("B07QSFP28A", 2), ("B08MPOFIB1", 2))),
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
    """The APIs' stored state: products (seeded unless told otherwise), orders, packages, access tokens."""

    def __init__(self, store: Store, clock: Clock, seed: bool = True) -> None:
        self._store, self._clock = store, clock
        if seed:
            with store.transaction() as tx:
                for product in SEED_PRODUCTS:
                    if tx.get(PRODUCT, product.asin) is None:
                        tx.put(PRODUCT, product.asin, json.loads(json.dumps(product.__dict__)))

    # --- LWA -------------------------------------------------------------------------------------
    def issue_token(self, store: str | None = None) -> str:
        """A new access token, valid for ACCESS_TOKEN_TTL_S, in ``store`` only (``None``: every store)."""
        token = "Atza|" + secrets.token_urlsafe(24)
        with self._store.transaction() as tx:
            tx.put(TOKEN, token, {"issued": time.time(), "expires": time.time() + ACCESS_TOKEN_TTL_S, "store": store})
        return token

    def token_store(self, token: str) -> str | None:
        """The one store ``token`` acts in (``None``: every store)."""
        with self._store.transaction() as tx:
            found = tx.get(TOKEN, token) if token else None
        return None if found is None else found.get("store")

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
        external = body["externalId"]
        trial = bool(attribute(body, "TrialMode"))
        with self._store.transaction() as tx:
            stored = None if trial else tx.get(ORDER, external)
            if stored is not None and not any("accepted" in line for line in stored["lineItems"]):
                stored = None  # nothing was placed under this externalId: it is still free
            if stored is not None:
                stored = upgraded(stored)
                if stored["digest"] != digest:
                    raise AbError(400, "IDEMPOTENCY_CONFLICT", f"externalId {external} was already used "
                                  "for an order with another request body")
                return stored, self._clock.now(tx)
            now = self._clock.now(tx)
            store = attribute(body, "Region").get("region") or DEFAULT_STORE
            address = attribute(body, "ShippingAddress").get("address", {})
            order: dict[str, Any] = {
                "externalId": external, "digest": digest, "placedAt": now, "wallPlacedAt": time.time(),
                "buyer": buyer(body), "store": store, "shipmentId": _digits(f"{external}/shipment", 15),
                "shipTo": {k: address[k] for k in ("city", "stateOrRegion", "countryCode") if k in address},
                "request": body, "lineItems": []}
            taken: dict[str, int] | None = {} if trial else None  # a trial's lines take from a working copy
            for item in body["lineItems"]:
                line = self._line(tx, item, order, now, taken)
                if trial:
                    order["lineItems"].append(line)
                    continue
                if "accepted" in line:
                    accepted = line["accepted"]
                    accepted["packageId"] = str(sum("accepted" in placed for placed in order["lineItems"]) + 1)
                    tx.put(PACKAGE, accepted["trackingNumber"], {
                        "carrierTrackingId": accepted["trackingNumber"], "orderId": accepted["orderIdentifier"],
                        "shipmentId": order["shipmentId"], "packageId": accepted["packageId"],
                        "externalId": external, "lineExternalId": line["externalId"], "status": None,
                        "setAt": None})
                order["lineItems"].append(line)
            if trial:
                return order, now  # every step ran; nothing is kept
            threshold = tx.setting(APPROVAL_THRESHOLD)  # "": none
            placed = sum(line["accepted"]["subtotal"] for line in order["lineItems"] if "accepted" in line)
            if threshold and placed and placed >= float(threshold):
                order["approval"] = {"state": "PENDING", "at": None, "approver": None}
            tx.put(ORDER, external, order)
            return order, now

    def _line(self, tx: Transaction, item: dict[str, Any], order: dict[str, Any], now: float,
              taken: dict[str, int] | None = None) -> dict[str, Any]:
        """One line item accepted (stock taken) or rejected whole; a trial (``taken``) takes its stock from
        what ``taken`` says its earlier lines took, never from the store."""
        attrs = {a.get("attributeType"): a for a in item.get("attributes", [])}
        asin = attrs["SelectedProductReference"]["productReference"]["id"]
        option = attrs.get("SelectedBuyingOptionReference", {}).get("buyingOptionReference", {}).get("id")
        quantity = int(item["quantity"])
        line: dict[str, Any] = {"externalId": item["externalId"], "quantity": quantity}
        product = tx.get(PRODUCT, asin)
        if product is None or (option is not None and option != product["buying_option_id"]):
            line["rejected"] = _rejection("PRODUCT_UNAVAILABLE", f"product {asin} with buying option {option} is "
                                          "not offered")
            return line
        if taken is not None:
            product = {**product, "available": product["available"] - taken.get(asin, 0)}
        if quantity > product["available"]:
            line["rejected"] = _rejection("QUANTITY_UNAVAILABLE", f"{quantity} requested, {product['available']} "
                                          "available", {"rejectionArtifactType": "UnavailableQuantity",
                                                        "quantity": quantity - int(product["available"])})
            return line
        currency = product["currency"]
        subtotal = round(product["price"] * quantity, 2)  # as the provider computes a line's charge
        charges = {"SUBTOTAL": subtotal, "TAX": _cents(Decimal(repr(subtotal)) * TAX_RATES.get(order["store"], 0)),
                   "SHIPPING": float(product.get("shipping") or 0.0)}
        broken = _broken_expectation(item, product, charges)
        if broken is not None:
            line["rejected"] = broken
            return line
        if taken is not None:
            taken[asin] = taken.get(asin, 0) + quantity
        else:
            product["available"] -= quantity
            tx.put(PRODUCT, asin, product)
        digest = hashlib.sha256(f"{order['externalId']}/{item['externalId']}".encode()).hexdigest()
        line["accepted"] = {
            "orderIdentifier": f"114-{int(digest[:12], 16) % 10**7:07d}-{int(digest[12:24], 16) % 10**7:07d}",
            "currency": currency, "unitPrice": product["price"], "subtotal": charges["SUBTOTAL"],
            "tax": charges["TAX"], "shipping": charges["SHIPPING"],
            "group": [[member, int(count)] for member, count in product.get("group") or []],
            "deliveryRange": [now + DELIVERY_DAYS[0] * DAY, now + DELIVERY_DAYS[1] * DAY],
            "trackingNumber": "TBA" + _digits(digest, 12),
        }
        return line

    def details(self, external_id: str, email: str) -> tuple[dict[str, Any], float]:
        """orderDetails: the stored order of ``external_id`` placed by ``email`` (404 otherwise), and simulated now."""
        with self._store.transaction() as tx:
            order = tx.get(ORDER, external_id)
            if order is None or order["buyer"].lower() != email.lower():
                raise AbError(404, "NotFound", f"no order with externalId {external_id} for {email}")
            return upgraded(order), self._clock.now(tx)

    # --- package tracking ------------------------------------------------------------------------
    def package(self, order_id: str, shipment_id: str, package_id: str,
                region: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], float]:
        """getPackageTrackingDetails: the package (as stored), its order and accepted line, and simulated now;
        404 unless the three IDs name one package of an order placed in the store ``region``."""
        with self._store.transaction() as tx:
            for package in tx.all(PACKAGE):
                if (package["orderId"], package["shipmentId"], package["packageId"]) != (order_id, shipment_id,
                                                                                        package_id):
                    continue
                order = tx.get(ORDER, package["externalId"])
                if order is None or order.get("store", DEFAULT_STORE) != region:
                    break
                [line] = [line for line in order["lineItems"] if line["externalId"] == package["lineExternalId"]]
                return package, order, line["accepted"], self._clock.now(tx)
        raise AbError(404, "NotFound", f"no package {package_id} of shipment {shipment_id} of order {order_id} in "
                      f"the {region} store")

    # --- reporting -------------------------------------------------------------------------------
    def reports(self, stores: set[str], purchase_order: str | None = None,
                placed: tuple[float, float] | None = None) -> tuple[list[dict[str, Any]], float]:
        """Every Amazon order (an accepted line) of the orders in ``stores`` with the purchase order number
        ``purchase_order`` or placed (wall time, as clients' clocks tell it) within ``placed``, oldest first,
        as (order, line, status, its package) rows; and simulated now."""
        rows: list[dict[str, Any]] = []
        with self._store.transaction() as tx:
            now = self._clock.now(tx)
            for order in sorted((upgraded(o) for o in tx.all(ORDER)), key=placed_on):
                if order.get("store", DEFAULT_STORE) not in stores:
                    continue
                if purchase_order is not None and \
                        attribute(order["request"], "PurchaseOrderNumber").get("purchaseOrderNumber") != purchase_order:
                    continue
                if placed is not None and not placed[0] <= int(placed_on(order)) <= placed[1]:  # as its date reads
                    continue
                for line in order["lineItems"]:
                    if "accepted" in line:
                        package = tx.get(PACKAGE, line["accepted"]["trackingNumber"]) or {}
                        rows.append({"order": order, "line": line, "package": package,
                                     "status": order_status(order, line["accepted"], package, now)})
        return rows, now

    # --- admin -----------------------------------------------------------------------------------
    def set_approval_threshold(self, body: dict[str, Any]) -> dict[str, Any]:
        """Orders whose accepted subtotal reaches ``threshold`` wait for approval (``null``: none does)."""
        threshold = body.get("threshold")
        if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, int | float)
                                      or threshold < 0):
            raise AbError(400, "InvalidInput", "threshold must be null or a number >= 0")
        with self._store.transaction() as tx:
            tx.set_setting(APPROVAL_THRESHOLD, "" if threshold is None else repr(float(threshold)))
        return {"threshold": threshold}

    def decide(self, external_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """The approver's ``decision`` (APPROVED or REJECTED, by ``approver``) on an order waiting for it; a
        rejected order's Amazon orders are all cancelled (by the buyer's side)."""
        decision, approver = body.get("decision"), body.get("approver")
        if decision not in ("APPROVED", "REJECTED") or not isinstance(approver, str) or "@" not in approver:
            raise AbError(400, "InvalidInput", "decision must be APPROVED or REJECTED and approver an email")
        with self._store.transaction() as tx:
            order = self._stored(tx, external_id)
            if (order.get("approval") or {}).get("state") != "PENDING":
                raise AbError(400, "InvalidInput", f"order {external_id} is not waiting for approval")
            now = self._clock.now(tx)
            order["approval"] = {"state": decision, "at": now, "approver": approver}
            if decision == "REJECTED":
                for line in order["lineItems"]:
                    if "accepted" in line:
                        line["accepted"]["cancelled"] = {"at": now, "by": "BUYER"}
            tx.put(ORDER, external_id, order)
            return order

    def cancel(self, external_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Cancel the Amazon order ``orderId`` of the order (every one without it), ``by`` AMAZON or BUYER;
        400 once one of them has shipped."""
        by, only = body.get("by", "AMAZON"), body.get("orderId")
        if by not in ("AMAZON", "BUYER"):
            raise AbError(400, "InvalidInput", "by must be AMAZON or BUYER")
        with self._store.transaction() as tx:
            order = self._stored(tx, external_id)
            now = self._clock.now(tx)
            chosen = [line["accepted"] for line in order["lineItems"] if "accepted" in line
                      and only in (None, line["accepted"]["orderIdentifier"])]
            if not chosen:
                raise AbError(404, "NotFound", f"order {external_id} has no Amazon order {only}")
            for accepted in chosen:
                window = effective_range(order, accepted, now)
                package = tx.get(PACKAGE, accepted["trackingNumber"]) or {}
                if window is not None and tracking(package, window[0], window[2], now)[0] != "ORDERED":
                    raise AbError(400, "InvalidInput", f"Amazon order {accepted['orderIdentifier']} has shipped: "
                                  "it can no longer be cancelled")
            for accepted in chosen:
                accepted.setdefault("cancelled", {"at": now, "by": by})
            tx.put(ORDER, external_id, order)
            return order

    @staticmethod
    def _stored(tx: Transaction, external_id: str) -> dict[str, Any]:
        order = tx.get(ORDER, external_id)
        if order is None:
            raise AbError(404, "NotFound", f"no order with externalId {external_id}")
        return upgraded(order)

    def products(self) -> list[dict[str, Any]]:
        """Every product, as stored."""
        with self._store.transaction() as tx:
            return tx.all(PRODUCT)

    def set_product(self, asin: str, body: dict[str, Any]) -> dict[str, Any]:
        """Change a product's ``price``, ``available`` quantity or ``shipping`` fee (400 for values that are no
        number >= 0)."""
        with self._store.transaction() as tx:
            product = tx.get(PRODUCT, asin)
            if product is None:
                raise AbError(404, "NotFound", f"no product {asin}")
            for key, kind in (("price", float), ("available", int), ("shipping", float)):
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

    def packages(self) -> list[dict[str, Any]]:
        """Every package, as stored (its IDs, and the status set by the admin API, if any)."""
        with self._store.transaction() as tx:
            return tx.all(PACKAGE)

    def set_package_status(self, tracking_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Set the tracking status of the package ``tracking_id`` (``{"status": "DELAYED"}``; ``null``: the
        clock's again); 404 for an unknown package, 400 for a status the model does not document."""
        status = body.get("status")
        if status is not None and status not in TRACKING_STATUSES:
            raise AbError(400, "InvalidInput", f"status must be null or one of {', '.join(TRACKING_STATUSES)}")
        with self._store.transaction() as tx:
            package = tx.get(PACKAGE, tracking_id)
            if package is None:
                raise AbError(404, "NotFound", f"no package with carrier tracking ID {tracking_id}")
            package["status"], package["setAt"] = status, (None if status is None else self._clock.now(tx))
            tx.put(PACKAGE, tracking_id, package)
            return package


def upgraded(order: dict[str, Any]) -> dict[str, Any]:
    """An order as stored now, from one stored before charges and packages were (``unitPrice`` and ``charge``
    as Money): no tax, no shipping fee, its packages numbered in line order (not tracked: no PACKAGE)."""
    if "shipmentId" in order:
        return order
    order = {**order, "store": attribute(order["request"], "Region").get("region") or DEFAULT_STORE,
             "shipmentId": _digits(f"{order['externalId']}/shipment", 15), "shipTo": {}}
    lines, placed = [], 0
    for line in order["lineItems"]:
        old = line.get("accepted")
        if old is not None:
            placed += 1
            line = {**line, "accepted": {
                **old, "currency": old["unitPrice"]["currencyCode"], "unitPrice": old["unitPrice"]["amount"],
                "subtotal": old["charge"]["amount"], "tax": 0.0, "shipping": 0.0, "group": [],
                "packageId": str(placed)}}
        lines.append(line)
    return {**order, "lineItems": lines}


def placed_on(order: dict[str, Any]) -> float:
    """When the order was placed by the wall clock (its client's): what the Reporting API's dates filter."""
    return float(order.get("wallPlacedAt") or order["placedAt"])


def released_at(order: dict[str, Any]) -> float | None:
    """When the order's fulfilment started: at placement, or when it was approved (``None``: not yet, or never)."""
    approval = order.get("approval")
    if not approval:
        return float(order["placedAt"])
    return float(approval["at"]) if approval["state"] == "APPROVED" else None


def effective_range(order: dict[str, Any], accepted: dict[str, Any],
                    now: float) -> tuple[float, float, float] | None:
    """An accepted line's (release, earliest, latest delivery): the range promised at placement, moved by the
    wait for approval. ``None`` while it waits, or once cancelled (it never ships)."""
    release = released_at(order)
    if release is None or accepted.get("cancelled"):
        return None
    shift = release - float(order["placedAt"])
    low, high = accepted["deliveryRange"]
    return release, low + shift, high + shift


def promised_range(order: dict[str, Any], accepted: dict[str, Any], now: float) -> tuple[float, float]:
    """The delivery range orderDetails shows: the effective one; while waiting for approval, the promise slid
    by the wait so far; once cancelled, the one promised at placement."""
    window = effective_range(order, accepted, now)
    if window is not None:
        return window[1], window[2]
    low, high = accepted["deliveryRange"]
    shift = 0.0 if accepted.get("cancelled") else max(now - float(order["placedAt"]), 0.0)
    return low + shift, high + shift


def order_status(order: dict[str, Any], accepted: dict[str, Any], package: dict[str, Any], now: float) -> str:
    """The Reporting API's ``orderStatus`` of an accepted line's Amazon order at ``now``."""
    if accepted.get("cancelled"):
        return "CANCELLED"
    window = effective_range(order, accepted, now)
    if window is None:
        return "PENDING_APPROVAL"
    status, _ = tracking(package, window[0], window[2], now)
    return "CLOSED" if status == "DELIVERED" else "PENDING_FULFILLMENT"


def attribute(body: dict[str, Any], kind: str) -> dict[str, Any]:
    """The order-level attribute of ``attributeType`` ``kind`` of a placeOrder body (``{}`` without one)."""
    for found in body.get("attributes", []):
        if isinstance(found, dict) and found.get("attributeType") == kind:
            return found
    return {}


def buyer(body: dict[str, Any]) -> Any:
    """The user email of the order's BuyerReference attribute (None without one)."""
    return attribute(body, "BuyerReference").get("userReference", {}).get("emailAddress")


def shipment_status(placed: float, delivered_at: float, now: float) -> str:
    """An accepted item's shipment at ``now``: NOT_SHIPPED, SHIPPED (SHIP_AFTER_DAYS after the order), or
    DELIVERED (at the end of its delivery range)."""
    if now >= delivered_at:
        return "DELIVERED"
    if now >= placed + SHIP_AFTER_DAYS * DAY:
        return "SHIPPED"
    return "NOT_SHIPPED"


def milestones(placed: float, delivered_at: float) -> list[tuple[str, float]]:
    """When a package reaches each of MILESTONES, on the clock."""
    return [("ORDERED", placed), ("SHIPPED", placed + SHIP_AFTER_DAYS * DAY),
            ("OUT_FOR_DELIVERY", delivered_at - OUT_FOR_DELIVERY_DAYS * DAY), ("DELIVERED", delivered_at)]


def tracking(package: dict[str, Any], placed: float, delivered_at: float,
             now: float) -> tuple[str, list[tuple[str, float]]]:
    """A package's tracking status at ``now`` and the milestones it has reached (oldest first, with when), its
    fulfilment having started at ``placed`` (``released_at``).

    On the clock, the status is the last milestone reached. A status set by the admin API wins: a milestone
    status reaches its milestones (those the clock has not reached yet, when it was set); any other status
    (DELAYED, RETURNED, ...) keeps the clock's milestones up to SHIPPED.
    """
    timeline = milestones(placed, delivered_at)
    reached = [(name, at) for name, at in timeline if at <= now]
    status = package.get("status")
    if status is None:
        return reached[-1][0], reached
    set_at = float(package.get("setAt") or now)
    if status in MILESTONES:
        return status, [(name, at if at <= now else set_at) for name, at in timeline[:MILESTONES.index(status) + 1]]
    return status, reached[:2]


def _rejection(code: str, message: str, specific: dict[str, Any] | None = None) -> dict[str, Any]:
    """A rejected line's reason, as stored: its code, message and the artifact specific to it, if any."""
    return {"code": code, "message": message, **({"artifact": specific} if specific else {})}


def _broken_expectation(item: dict[str, Any], product: dict[str, Any],
                        charges: dict[str, float]) -> dict[str, Any] | None:
    """The rejection of a line whose expectation the product's price or charges break (the first one)."""
    currency = product["currency"]
    for expectation in item.get("expectations", []):
        kind = expectation.get("expectationType")
        amount = expectation.get("amount", {})
        if kind == "ExpectedUnitPrice":
            actual, source = float(product["price"]), None
        elif kind == "ExpectedCharge" and expectation.get("source", "SUBTOTAL") in charges:
            source = expectation.get("source", "SUBTOTAL")
            actual = charges[source]
        else:
            continue
        moved = abs(float(amount.get("amount", -1)) - actual) > 0.005
        if amount.get("currencyCode") == currency and not moved:
            continue
        boundary = {"currencyCode": str(amount.get("currencyCode")), "amount": float(amount.get("amount", 0))}
        artifact: dict[str, Any] = {"rejectionArtifactType": "BrokenUnitPriceExpectation", "boundary": boundary,
                                    "actualAmount": {"currencyCode": currency, "amount": actual}}
        if source is not None:
            artifact.update(rejectionArtifactType="BrokenChargeExpectation", sources=[source])
        return _rejection("BROKEN_EXPECTATION", f"{kind} {amount.get('currencyCode')} {amount.get('amount')} does "
                          f"not match the current {currency} {actual:.2f}", artifact)
    return None


def _cents(amount: Decimal) -> float:
    """``amount`` rounded half up to the cent."""
    return float(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _digits(seed: str, n: int) -> str:
    """``n`` decimal digits derived from ``seed``."""
    return f"{int(hashlib.sha256(seed.encode()).hexdigest()[:24], 16) % 10**n:0{n}d}"
