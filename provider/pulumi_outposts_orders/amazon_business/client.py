"""The Amazon Business Ordering API client: LWA credentials, the cached access token, the usage plan.

Credentials (LWA client ID, client secret, refresh token) come from the stack's config secrets
(``outposts-orders:lwaClientId``, ``lwaClientSecret``, ``lwaRefreshToken``) or the environment
(``AMAZON_BUSINESS_LWA_CLIENT_ID``, ``..._CLIENT_SECRET``, ``..._REFRESH_TOKEN``). Amazon Business issues
a refresh token per API region (North America, Europe, Far East): a key with the region's suffix
(``lwaRefreshTokenEu``, ``AMAZON_BUSINESS_LWA_REFRESH_TOKEN_EU``) wins for that region's orders. They and
the access tokens (one per region) live in this module's memory only (never in resource state, the
provider's pickle or a message).

One ``TokenBucket`` per API region and operation (the published usage plans are per operation) and provider
process paces every request of every resource: 0.5 requests/s with a burst of 10, re-rated by each response's
``x-amzn-RateLimit-Limit``; a 429 empties the bucket and is retried after a jittered exponential wait
(``throttle_backoff``), so runners sharing one application's limits do not retry in step. orderDetails left
without an answer is sent again;
placeOrder is never sent again before orderDetails by its ``externalId`` shows that no order exists
(``place_order``): what Amazon answers to a second placeOrder of one ``externalId`` is not documented.

Where an order is: the Reporting API's order reports (``order_reports``: approval, cancellation, closed) and
the Package Tracking API (``package_tracking``: each package), with the same token and pacing.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

import urllib3

ENDPOINT_VARIABLE = "AMAZON_BUSINESS_ENDPOINT"
"""Overrides the regional Ordering API host (and, unless AMAZON_BUSINESS_LWA_ENDPOINT is set, LWA's)."""
LWA_ENDPOINT_VARIABLE = "AMAZON_BUSINESS_LWA_ENDPOINT"
CONFIG_KEYS = {"client_id": "outposts-orders:lwaClientId", "client_secret": "outposts-orders:lwaClientSecret",
               "refresh_token": "outposts-orders:lwaRefreshToken"}
ENV_KEYS = {"client_id": "AMAZON_BUSINESS_LWA_CLIENT_ID", "client_secret": "AMAZON_BUSINESS_LWA_CLIENT_SECRET",
            "refresh_token": "AMAZON_BUSINESS_LWA_REFRESH_TOKEN"}
ORDERS_PATH = "/ordering/2022-10-30/orders"
TRACKING_PATH = "/ab-tracking/2025-07-02/orders"
"""The Package Tracking API: ``{TRACKING_PATH}/{orderId}/shipments/{shipmentId}/packages/{packageId}?region=``."""
REPORTS_PATH = "/reports/2025-06-09"
"""The Reporting API's order reports: ``{REPORTS_PATH}/orderReports`` and ``…/purchaseOrders/{number}/orderReports``."""
MAX_REPORT_PAGES = 20
"""Pages of one order report read before giving up on the orders not found yet (each page is one request)."""
REPORT_WINDOW_DAYS = 366
"""The longest order-date range one getOrderReports request may ask for."""
MARKETPLACES = {"na": ("US", "CA", "MX"), "eu": ("DE", "FR", "UK", "IT", "ES", "IN"), "fe": ("JP", "AU")}
"""The Amazon Business stores (an order's ``marketplace``: the published model's ``Region`` values) of each API
region. The United Kingdom is ``UK`` there, not ``GB``."""
HOSTS = {"na": "https://na.business-api.amazon.com", "eu": "https://eu.business-api.amazon.com",
         "fe": "https://jp.business-api.amazon.com"}
LWA_URLS = {"na": "https://api.amazon.com/auth/o2/token", "eu": "https://api.amazon.co.uk/auth/o2/token",
            "fe": "https://api.amazon.co.jp/auth/o2/token"}
"""Login with Amazon per API region: each regional marketplace has its own refresh token."""
RATE_PER_S, BURST = 0.5, 10
# Pace a little under the plan: requests granted a token close together can reach the service closer
# together still (threads, network jitter), and the service's bucket would answer the later one 429.
PACING = 0.9
MAX_ATTEMPTS = 10
"""Sends of one request answered 429 before giving up (a 429 was not processed: nothing was placed)."""
UNKNOWN_ATTEMPTS = 4
"""Sends of one request left without an answer (no response, 5xx) before giving up."""
UNKNOWN_BACKOFF_S = 0.5


class AmazonBusinessError(Exception):
    """A failed Ordering API or LWA call (the message names the operation; never a credential)."""

    def __init__(self, message: str, status: int = 0, code: str = "", operation: str = "",
                 outcome_unknown: bool = False) -> None:
        super().__init__(message)
        self.status, self.code, self.operation = status, code, operation
        """``operation``: the Ordering API operation that failed, or empty (LWA, configuration)."""
        self.outcome_unknown = outcome_unknown
        """Some send of the request went without an answer (no response, 5xx): it may have taken effect."""


class TokenBucket:
    """Client-side pacing: ``rate`` requests/s, ``burst`` at most; ``wait`` blocks for a token."""

    def __init__(self, rate: float = RATE_PER_S, burst: int = BURST,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self._lock = threading.Lock()
        self.rate, self.burst = rate * PACING, burst
        self._tokens, self._clock, self._sleep = float(burst), clock, sleep
        self._at = clock()

    def wait(self) -> None:
        """Take one token, sleeping until there is one."""
        while True:
            with self._lock:
                now = self._clock()
                self._tokens = min(float(self.burst), self._tokens + (now - self._at) * self.rate)
                self._at = now
                if self._tokens >= 1.0:
                    self._tokens -= 1.0
                    return
                delay = (1.0 - self._tokens) / self.rate
            self._sleep(delay)

    def limit(self, header: str | None) -> None:
        """Adopt the rate a response says was applied (``x-amzn-RateLimit-Limit``)."""
        try:
            rate = float(header) if header else 0.0
        except ValueError:
            return
        if rate > 0:
            with self._lock:
                self.rate = rate * PACING

    def empty(self) -> None:
        """After a 429: the service's bucket is empty, so is ours."""
        with self._lock:
            self._tokens, self._at = 0.0, self._clock()


def throttle_backoff(throttled: int, rate: float, jitter: Callable[[float, float], float] = random.uniform) -> float:
    """Seconds to wait after the ``throttled``-th 429 in a row: exponential (1 s, 2 s, … at most 30 s, shorter by
    the applied rate's multiple of the plan's), times a random half to whole. Other runners of the same
    application share its limits and were throttled at the same moment: the jitter spreads their retries
    instead of sending them together again."""
    return min(2.0 ** (throttled - 1), 30.0) / max(rate / RATE_PER_S, 1.0) * jitter(0.5, 1.0)


@dataclass(frozen=True)
class Credentials:
    """LWA credentials (repr hides them)."""

    client_id: str
    client_secret: str
    refresh_token: str

    def __repr__(self) -> str:
        return "Credentials(<hidden>)"


BUCKETS: dict[tuple[str, str], TokenBucket] = {}
"""Per API region and operation, shared by every resource of this provider process (created on first use)."""
_BUCKETS_LOCK = threading.Lock()


def bucket(group: str, operation: str) -> TokenBucket:
    """The usage-plan bucket of ``operation`` in API region ``group``."""
    with _BUCKETS_LOCK:
        return BUCKETS.setdefault((group, operation), TokenBucket())
_CONFIG: dict[str, str] = {}
_TOKEN_LOCK = threading.Lock()
_TOKENS: dict[str, dict[str, Any]] = {}
"""Access token and its expiry per API region and refresh token (``"na <digest>"``)."""
_HTTP = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=10, read=60))


def api_region(marketplace: str) -> str:
    """``na``, ``eu`` or ``fe`` for an order's ``marketplace`` (ValueError naming the known ones)."""
    for group, countries in MARKETPLACES.items():
        if marketplace in countries:
            return group
    hint = " (the United Kingdom's store is UK)" if marketplace.upper() == "GB" else ""
    raise ValueError(f"marketplace {marketplace!r} is not an Amazon Business marketplace{hint}: use one of "
                     f"{', '.join(c for countries in MARKETPLACES.values() for c in countries)}")


STORES = tuple(store for stores in MARKETPLACES.values() for store in stores)


def configure(get: Callable[[str], Any]) -> None:
    """Remember the stack's LWA config secrets, plain, per region and per store (from the provider's configure)."""
    for key in CONFIG_KEYS.values():
        for name in (key, *(key + suffix.capitalize() for suffix in (*HOSTS, *STORES))):
            value = get(name)
            if isinstance(value, str) and value:
                _CONFIG[name] = value


def _setting(name: str, group: str, environ: Mapping[str, str], store: str | None = None) -> str | None:
    """A credential for ``store`` in ``group``: config with the store's suffix (``lwaRefreshTokenUk``), the
    region's (``lwaRefreshTokenEu``), none; then the environment likewise (``…_REFRESH_TOKEN_UK``, ``_EU``, none).
    Amazon Business issues a refresh token per store: a UK and a DE account need two."""
    key, variable = CONFIG_KEYS[name], ENV_KEYS[name]
    suffixes = [s for s in (store, group) if s]
    return (next((_CONFIG[key + s.capitalize()] for s in suffixes if _CONFIG.get(key + s.capitalize())), None)
            or _CONFIG.get(key)
            or next((environ[f"{variable}_{s.upper()}"] for s in suffixes if environ.get(f"{variable}_{s.upper()}")),
                    None)
            or environ.get(variable))


def missing_credentials(group: str = "na", environ: Mapping[str, str] | None = None,
                        store: str | None = None) -> list[str]:
    """The credentials neither config nor environment provides for ``store`` in API region ``group``, by config key."""
    env = os.environ if environ is None else environ
    return [CONFIG_KEYS[name] for name in CONFIG_KEYS if not _setting(name, group, env, store)]


def credentials(group: str = "na", environ: Mapping[str, str] | None = None, store: str | None = None) -> Credentials:
    """The LWA credentials in force for ``store`` (any store of the region when ``None``) in API region ``group``."""
    env = os.environ if environ is None else environ
    missing = missing_credentials(group, env, store)
    if missing:
        variables = [ENV_KEYS[name] for name, key in CONFIG_KEYS.items() if key in missing]
        where = f"the {store} store" if store else f"the {group.upper()} region"
        raise AmazonBusinessError(
            f"no Amazon Business credentials for {where}: set {', '.join(missing)} "
            f"(`pulumi config set --secret`) or {', '.join(variables)}")
    return Credentials(**{name: str(_setting(name, group, env, store)) for name in CONFIG_KEYS})


def base_url(group: str) -> str:
    """The Ordering API host of API region ``group``, or the override."""
    return os.environ.get(ENDPOINT_VARIABLE) or HOSTS[group]


def lwa_url(group: str) -> str:
    """The Login with Amazon token URL of API region ``group``, or the override."""
    override = os.environ.get(ENDPOINT_VARIABLE)
    return os.environ.get(LWA_ENDPOINT_VARIABLE) or (override.rstrip("/") + "/auth/o2/token" if override
                                                     else LWA_URLS[group])


def access_token(group: str, force: bool = False, store: str | None = None) -> str:
    """The cached LWA access token for ``store``'s credentials in API region ``group`` (one per refresh token),
    refreshed a minute before it expires (or when ``force``)."""
    with _TOKEN_LOCK:
        creds = credentials(group, store=store)
        slot = f"{group} {hashlib.sha256(creds.refresh_token.encode()).hexdigest()[:16]}"
        cached = _TOKENS.get(slot)
        if not force and cached and cached["expires"] > time.monotonic() + 60:
            return str(cached["token"])
        fields = {"grant_type": "refresh_token", "refresh_token": creds.refresh_token,
                  "client_id": creds.client_id, "client_secret": creds.client_secret}
        try:
            response = _HTTP.request("POST", lwa_url(group),
                                     body="&".join(f"{k}={quote(v, safe='')}" for k, v in fields.items()),
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        except urllib3.exceptions.HTTPError as error:
            raise AmazonBusinessError(f"Login with Amazon token request failed: {type(error).__name__}") from None
        body = _json(response.data)
        if response.status != 200 or "access_token" not in body:
            raise AmazonBusinessError(f"Login with Amazon refused the credentials for the {group.upper()} region "
                                      f"({response.status} {body.get('error', '')}: "
                                      f"{body.get('error_description', '')})",
                                      response.status, str(body.get("error", "")))
        _TOKENS[slot] = {"token": body["access_token"],
                          "expires": time.monotonic() + float(body.get("expires_in", 3600))}
        return str(body["access_token"])


def call(group: str, operation: str, method: str, path: str, body: Any = None,
         headers: Mapping[str, str] | None = None,
         before_resend: Callable[[], dict[str, Any] | None] | None = None, store: str | None = None) -> dict[str, Any]:
    """One Ordering API operation in API region ``group``: paced by its bucket, 429 waited out, a 403
    retried with a fresh token.

    A request without an answer (connection lost, 5xx) is sent again, at most ``UNKNOWN_ATTEMPTS`` times
    in all, but first ``before_resend`` (if given) looks: what it returns is the answer, and nothing is
    sent again. Still unanswered: ``AmazonBusinessError`` with the last status (0 for no response). Any
    failure (LWA's too) after a send went unanswered has ``outcome_unknown``: that send may have taken effect."""
    paced, url = bucket(group, operation), base_url(group).rstrip("/") + path
    forced, throttled, unknown = False, 0, 0
    while True:
        if unknown and before_resend is not None:
            try:
                found = before_resend()
            except AmazonBusinessError as error:
                error.outcome_unknown = True
                raise
            if found is not None:
                return found
        paced.wait()
        try:
            token = access_token(group, force=forced, store=store)
        except AmazonBusinessError as error:
            error.outcome_unknown = unknown > 0
            raise
        sent = {"x-amz-access-token": token, "Accept": "application/json", **(headers or {})}
        data = None
        if body is not None:
            data, sent["Content-Type"] = json.dumps(body).encode(), "application/json"
        try:
            response = _HTTP.request(method, url, body=data, headers=sent)
        except urllib3.exceptions.HTTPError as error:
            unknown += 1
            if unknown >= UNKNOWN_ATTEMPTS:
                reason = type(error).__name__
                raise AmazonBusinessError(f"{operation}: no response after {unknown} attempts ({reason})",
                                          operation=operation, outcome_unknown=True) from None
            time.sleep(UNKNOWN_BACKOFF_S * 2 ** (unknown - 1))
            continue
        paced.limit(response.headers.get("x-amzn-RateLimit-Limit"))
        payload = _json(response.data)
        if response.status == 200:
            return payload
        errors = payload.get("errors") or [{}]
        code, message = str(errors[0].get("code", "")), str(errors[0].get("message", ""))
        if response.status == 429 and throttled + 1 < MAX_ATTEMPTS:
            throttled += 1
            paced.empty()
            time.sleep(throttle_backoff(throttled, paced.rate))
            continue
        if response.status == 403 and not forced:
            forced = True
            continue
        if response.status >= 500:
            unknown += 1
            if unknown < UNKNOWN_ATTEMPTS:
                time.sleep(UNKNOWN_BACKOFF_S * 2 ** (unknown - 1))
                continue
        if response.status == 429:
            raise AmazonBusinessError(f"{operation}: still throttled (429) after {MAX_ATTEMPTS} attempts",
                                      429, code or "QuotaExceeded", operation, unknown > 0)
        raise AmazonBusinessError(f"{operation} failed ({response.status} {code}): {message}", response.status, code,
                                  operation, unknown > 0)


@dataclass(frozen=True)
class Placed:
    """What ``place_order`` got: Amazon's result, and whether it was an order that already existed."""

    result: dict[str, Any]
    existed: bool


def place_order(marketplace: str, request: Mapping[str, Any], email: str) -> Placed:
    """placeOrder in the API region of the order's ``marketplace`` (a country code), at most once per
    ``externalId``: orderDetails by the ``externalId`` first (an earlier run may have placed it) and again
    after any send without an answer; an order found is returned, and nothing is sent. A ``TrialMode`` request
    places nothing, so it is sent as it is (and again after a send without an answer)."""
    external = str(request["externalId"])
    if any(attribute.get("attributeType") == "TrialMode" for attribute in request.get("attributes") or []):
        return Placed(call(api_region(marketplace), "placeOrder", "POST", ORDERS_PATH, dict(request),
                           store=marketplace), existed=False)

    def existing() -> dict[str, Any] | None:
        try:
            found = order_details(marketplace, external, email)
        except AmazonBusinessError as error:
            if error.status == 404 and error.operation == "orderDetails":
                return None
            raise
        # Every item rejected: nothing was ordered under this externalId, so it may be placed (a price accepted since).
        accepted = any(line.get("acceptedItems") for line in found.get("lineItems") or [])
        return found if accepted else None

    found = existing()
    if found is not None:
        return Placed(found, existed=True)
    existed = []

    def before_resend() -> dict[str, Any] | None:
        looked = existing()
        existed.append(looked is not None)
        return looked

    result = call(api_region(marketplace), "placeOrder", "POST", ORDERS_PATH, dict(request),
                  before_resend=before_resend, store=marketplace)
    return Placed(result, existed=bool(existed and existed[-1]))


def order_details(marketplace: str, external_id: str, email: str) -> dict[str, Any]:
    """orderDetails of ``external_id`` as seen by the buyer ``email``, in the API region of ``marketplace``."""
    return call(api_region(marketplace), "orderDetails", "GET", f"{ORDERS_PATH}/{quote(external_id, safe='')}",
                headers={"x-amz-user-email": email}, store=marketplace)


def package_tracking(marketplace: str, order_id: str, shipment_id: str, package_id: str) -> dict[str, Any]:
    """getPackageTrackingDetails of one package (``PackageTrackingDetails``), in the store ``marketplace``."""
    path = "/".join((TRACKING_PATH, quote(order_id, safe=""), "shipments", quote(shipment_id, safe=""),
                     "packages", quote(package_id, safe="")))
    answer = call(api_region(marketplace), "getPackageTrackingDetails", "GET", f"{path}?region={marketplace}",
                  store=marketplace)
    details: dict[str, Any] = answer.get("packageTrackingDetails") or {}
    return details


@dataclass
class _Report:
    """One order report read so far by this process: its orders, the token of its next page (``None``: the
    end), and when its first page was read."""

    read_at: float
    reports: dict[str, dict[str, Any]]
    next_token: str | None
    pages: int
    lock: threading.Lock


REPORT_REUSE_S = 60.0
"""How long a report read by one resource answers the others of the same process (one refresh)."""
_REPORTS: dict[tuple[str, ...], _Report] = {}
_REPORTS_LOCK = threading.Lock()


def order_reports(marketplace: str, order_ids: set[str], purchase_order: str | None = None,
                  placed_at: str | None = None) -> dict[str, dict[str, Any]]:
    """The Reporting API's ``OrderReport`` of each of ``order_ids`` it lists, by order ID, in the store
    ``marketplace``: getOrderReportsByPurchaseOrderNumber when the order has a ``purchase_order`` number, else
    getOrderReports over the order dates from the day before ``placed_at`` (ISO 8601, to the day; without it,
    the last REPORT_WINDOW_DAYS) to now. Pages are read until every order is found, the report ends, or
    MAX_REPORT_PAGES. The same report asked by other resources of this process within REPORT_REUSE_S is
    answered from the pages already read (read on from where they stopped if an order is not in them): a
    refresh of orders sharing a PO number, or placed the same day, reads it once."""
    if purchase_order:
        operation = "getOrderReportsByPurchaseOrderNumber"
        path = f"{REPORTS_PATH}/purchaseOrders/{quote(purchase_order, safe='')}/orderReports"
        query = {"region": marketplace}
    else:
        operation, path = "getOrderReports", f"{REPORTS_PATH}/orderReports"
        end = datetime.now(UTC).replace(microsecond=0)
        start = end - timedelta(days=REPORT_WINDOW_DAYS)
        placed = _parsed(placed_at)
        if placed is not None:
            start = max(start, (placed - timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0))
        query = {"orderStartDate": _iso(start), "orderEndDate": _iso(end), "region": marketplace}
    key = (marketplace, path, *(f"{k}={v}" for k, v in sorted(query.items()) if k != "orderEndDate"))
    with _REPORTS_LOCK:
        report = _REPORTS.get(key)
        if report is None or time.monotonic() - report.read_at > REPORT_REUSE_S:
            report = _REPORTS[key] = _Report(time.monotonic(), {}, "", 0, threading.Lock())
    with report.lock:
        while not order_ids <= report.reports.keys() and report.next_token is not None \
                and report.pages < MAX_REPORT_PAGES:
            asked = {**query, **({"nextPageToken": report.next_token} if report.next_token else {})}
            page = call(api_region(marketplace), operation, "GET", f"{path}?{urlencode(asked)}", store=marketplace)
            report.pages += 1
            for listed in page.get("ordersReport") or []:
                order_id = (listed.get("orderMetadata") or {}).get("orderId")
                if order_id:
                    report.reports[str(order_id)] = listed
            report.next_token = page.get("nextPageToken") or None
        return {order_id: report.reports[order_id] for order_id in order_ids if order_id in report.reports}


def _parsed(text: str | None) -> datetime | None:
    """An ISO 8601 date-time (UTC when it names no zone), or ``None``."""
    try:
        parsed = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return parsed if parsed is None or parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _json(data: bytes) -> dict[str, Any]:
    try:
        loaded = json.loads(data or b"{}")
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}
