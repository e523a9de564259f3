"""The WSGI application, which assembles the services: Amazon Business requests to ``amazon_business``,
admin requests to ``admin``, STS requests to ``sts``, the rest through the Outposts API pipeline.

Outposts pipeline: route (``outposts.routes``) -> count -> SigV4 -> implemented? -> faults -> parse
(``outposts.protocol``) -> validate (service model) -> run (domain, one transaction) -> serialise. A
dropped response is produced by shutting the socket down after the operation ran, so no byte of a
response is sent.

This is the one module of the emulator's core that imports the service packages: ``assemble`` builds
the application over a store, and ``banner`` / ``seeded_ids`` say what each service offers.
"""

from __future__ import annotations

import logging
import shlex
import socket
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from werkzeug.wrappers import Request, Response

from pulumi_outposts_orders.aws.model import validate_input
from pulumi_outposts_orders.emulator.admin import PREFIX, Admin
from pulumi_outposts_orders.emulator.amazon_business import models as ab
from pulumi_outposts_orders.emulator.amazon_business import responses as amazon_business
from pulumi_outposts_orders.emulator.auth import Authenticator, ReceivedRequest
from pulumi_outposts_orders.emulator.calls import CallCounter
from pulumi_outposts_orders.emulator.clock import Clock
from pulumi_outposts_orders.emulator.domain import Service, Settings
from pulumi_outposts_orders.emulator.errors import ApiError, validation
from pulumi_outposts_orders.emulator.faults import Decision, Faults, apply
from pulumi_outposts_orders.emulator.identity import Identities
from pulumi_outposts_orders.emulator.outposts import admin as outposts_admin
from pulumi_outposts_orders.emulator.outposts import protocol, routes
from pulumi_outposts_orders.emulator.outposts import seed as outposts_seed
from pulumi_outposts_orders.emulator.outposts.operations import OPERATIONS as OUTPOSTS_OPERATIONS
from pulumi_outposts_orders.emulator.shell import shell_exports
from pulumi_outposts_orders.emulator.store import Store
from pulumi_outposts_orders.emulator.sts import responses as sts

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

DROPPED = "pulumi_outposts_orders.dropped"
"""Set in the WSGI environ when a fault closed the connection: the server writes nothing more."""
AB_ENDPOINT_VARIABLE = "AMAZON_BUSINESS_ENDPOINT"
AB_LWA_VARIABLES = ("AMAZON_BUSINESS_LWA_CLIENT_ID", "AMAZON_BUSINESS_LWA_CLIENT_SECRET",
                    "AMAZON_BUSINESS_LWA_REFRESH_TOKEN")
"""What the Amazon Business client reads (``_amazon_business_client``), printed with the emulator's values."""


class EmulatorApp:
    """The emulator as a WSGI callable."""

    def __init__(self, service: Service, authenticator: Authenticator, seed: bool = True) -> None:
        """``seed``: seed the Amazon Business products (the catalogue), as ``--no-seed`` leaves the Outposts
        catalog empty."""
        self.service = service
        self.faults = Faults(named_only=sts.OPERATIONS + amazon_business.OPERATIONS)
        self.calls = CallCounter()
        self._auth = authenticator
        self._admin = Admin(service, self.faults, self.calls, outposts_admin.routes(service))
        self._sts = sts.StsFront(service, authenticator, self.faults, self.calls)
        self.amazon_business = amazon_business.AmazonBusiness(service.store, service.clock, self.calls, self.faults,
                                                              seed=seed)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        if amazon_business.addressed(request):  # before the admin prefix: its admin lives under it
            response, decision = self.amazon_business.handle(request)
            if decision.drop:
                _drop_connection(environ)
            return response(environ, start_response)
        if request.path.startswith(PREFIX):
            return self._admin.handle(request)(environ, start_response)
        decision = Decision()
        try:
            response, decision = self._sts.handle(request) if sts.addressed(request) else self._api(request)
        except ApiError as error:
            response = _error(error)
        except Exception:
            log.exception("internal error in %s %s", request.method, request.path)
            response = _error(ApiError("InternalServerException", "An internal error occurred in the emulator"))
        if decision.drop:
            _drop_connection(environ)
        response.headers.setdefault("x-amzn-RequestId", str(uuid.uuid4()))
        return response(environ, start_response)

    def _api(self, request: Request) -> tuple[Response, Decision]:
        raw_uri: str = request.environ.get("RAW_URI") or request.full_path
        raw_path, _, _ = raw_uri.partition("?")
        operation, labels = routes.match(request.method, raw_path)
        name = operation.name
        self.calls.count(name)
        body = request.get_data()
        headers = {k.lower(): v for k, v in request.headers.items()}
        caller = self._auth.check(ReceivedRequest(request.method, request.host, raw_uri, headers, body))
        if not self.service.implements(name):
            raise ApiError("NotImplementedException", f"Operation {name} is not implemented by the emulator")
        decision = self.faults.decide(name)
        apply(decision)
        query = {k: request.args.getlist(k) for k in request.args}
        params = protocol.parse_request(operation, labels, query, headers, body)
        violations = validate_input(name, params)
        if violations:
            count = f"{len(violations)} validation error{'s' if len(violations) > 1 else ''} detected"
            raise validation(f"{count}: " + "; ".join(f"{v.message} [{v.rule}]" for v in violations))
        try:
            result = self.service.call(name, params, caller.region, caller.account)
        except ApiError as error:
            return _error(error), decision
        if decision.error_after_commit:
            return _error(ApiError("InternalServerException", "An internal error occurred (injected fault)")), decision
        headers, payload = protocol.response_body(operation, result)
        return Response(payload, status=200, headers=headers), decision


def assemble(store: Store, clock: Clock, settings: Settings, credentials: tuple[str, str] | None = None,
             seed: bool = True, ab_speedup: float = 1.0) -> EmulatorApp:
    """The application over ``store``: the Outposts service (seeded, unless told otherwise: Amazon Business
    products too), STS with ``credentials`` (strict mode), Amazon Business at ``ab_speedup``."""
    service = Service(store, clock, settings, OUTPOSTS_OPERATIONS)
    if seed:
        outposts_seed.seed(service)
    app = EmulatorApp(service, Authenticator(credentials, Identities(service)), seed=seed)
    for bucket in app.amazon_business.buckets.values():
        bucket.set_speedup(ab_speedup)
    return app


def amazon_business_env(endpoint: str) -> dict[str, str]:
    """What the Amazon Business client reads to use the emulator at ``endpoint``: its host and the emulator's LWA
    credentials."""
    credentials = (ab.LWA_CLIENT_ID, ab.LWA_CLIENT_SECRET, ab.LWA_REFRESH_TOKEN)
    return {AB_ENDPOINT_VARIABLE: endpoint, **dict(zip(AB_LWA_VARIABLES, credentials, strict=True))}


def amazon_business_lines(endpoint: str, speedup: float = 1.0) -> list[str]:
    """The ``export`` lines for the Amazon Business client (``amazon_business_env``) and the usage plan in force."""
    plan = (f"usage plan: {ab.RATE_PER_S * speedup:g} requests/s ({ab.RATE_PER_S:g} x --ab-speedup {speedup:g}), "
            f"burst {ab.BURST}, for placeOrder and for orderDetails each; over it: 429")
    return [*(f"export {name}={shlex.quote(value)}" for name, value in amazon_business_env(endpoint).items()), plan]


def seeded_ids() -> list[str]:
    """The seeded IDs, one line each (Outposts, sites, catalog items, quotes, Amazon Business products)."""
    lines = ["Outposts:"]
    lines += [f"  {o['OutpostId']}  {o['Name']}: {o['SupportedHardwareType']}, {o['LifeCycleStatus']}, "
              f"site {o['SiteId']}" for o in outposts_seed.outposts()]
    lines.append("Sites:")
    lines += [f"  {s['SiteId']}  {s['Name']}" for s in outposts_seed.sites()]
    lines.append("Catalog items:")
    lines += [f"  {i.item_id}  {i.item_class}, {i.item['ItemStatus']}" for i in outposts_seed.catalog()]
    lines.append("Quotes:")
    lines.append(f"  {outposts_seed.QUOTE_ID}  CREATED, for {outposts_seed.RACK_OUTPOST_ID}, valid "
                 f"{outposts_seed.QUOTE_VALID_DAYS} simulated days; options "
                 f"{', '.join(outposts_seed.QUOTE_OPTION_IDS)} (one rack, two racks)")
    lines.append(f"  {outposts_seed.EXPIRED_QUOTE_ID}  EXPIRED; options "
                 f"{', '.join(outposts_seed.EXPIRED_QUOTE_OPTION_IDS)}")
    lines.append("Amazon Business products (ASIN, buying option, price, available):")
    lines += [f"  {p.asin}  {p.buying_option_id}  {p.currency} {p.price:.2f}, {p.available} available: {p.title}"
              for p in ab.SEED_PRODUCTS]
    return lines


def banner(endpoint: str, seeded: bool, credentials: tuple[str, str] | None = None, ab_speedup: float = 1.0) -> str:
    """What the emulator prints after its listening line: exports, seeded IDs, admin commands."""
    lines = ["", "Point a shell at it (pulumi, boto3, the AWS CLI):", *(f"  {e}" for e in
                                                                        shell_exports(endpoint, credentials))]
    lines += ["", "Amazon Business Ordering and Package Tracking APIs and their LWA token endpoint, on the same port:",
              *(f"  {line}" for line in amazon_business_lines(endpoint, ab_speedup)),
              f"  package tracking: GET {amazon_business.TRACKING_PATH}/ORDER_ID/shipments/SHIPMENT_ID/packages/"
              "PACKAGE_ID?region=US, a usage plan of its own (the same rate and burst)"]
    if seeded:
        lines += ["", "Seeded IDs:", *(f"  {line}" for line in seeded_ids())]
    lines += ["", "Move time and orders (in a shell with the exports above):",
              "  outposts-orders emulator clock --advance-days 7",
              "  outposts-orders emulator set-status ORDER_ID DELIVERED", ""]
    return "\n".join(lines)


def _error(error: ApiError) -> Response:
    status, headers, payload = protocol.error_body(error)
    return Response(payload, status=status, headers=headers)


def _drop_connection(environ: WSGIEnvironment) -> None:
    """Close the client's connection before any response byte is written."""
    connection: socket.socket | None = environ.get("werkzeug.socket")
    if connection is None:
        raise RuntimeError("dropping responses needs the emulator's own server (werkzeug.socket)")
    connection.shutdown(socket.SHUT_RDWR)
    environ[DROPPED] = True
