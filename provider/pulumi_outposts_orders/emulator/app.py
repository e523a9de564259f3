"""The WSGI application: admin requests to ``admin``, STS requests to ``sts``, the rest through the API pipeline.

API pipeline: route (model) -> count -> SigV4 -> implemented? -> faults -> parse (protocol) ->
validate (service model) -> run (domain, one transaction) -> serialise. A dropped response is
produced by shutting the socket down after the operation ran, so no byte of a response is sent.
"""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from werkzeug.wrappers import Request, Response

from pulumi_outposts_orders.aws.model import validate_input
from pulumi_outposts_orders.emulator import amazon_business, protocol, routes, sts
from pulumi_outposts_orders.emulator.admin import PREFIX, Admin
from pulumi_outposts_orders.emulator.auth import Authenticator, ReceivedRequest
from pulumi_outposts_orders.emulator.calls import CallCounter
from pulumi_outposts_orders.emulator.domain import Service
from pulumi_outposts_orders.emulator.errors import ApiError, validation
from pulumi_outposts_orders.emulator.faults import Decision, Faults, apply

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

DROPPED = "pulumi_outposts_orders.dropped"
"""Set in the WSGI environ when a fault closed the connection: the server writes nothing more."""


class EmulatorApp:
    """The emulator as a WSGI callable."""

    def __init__(self, service: Service, authenticator: Authenticator, seed: bool = True) -> None:
        """``seed``: seed the Amazon Business products (the catalogue), as ``--no-seed`` leaves the Outposts
        catalog empty."""
        self.service = service
        self.faults = Faults(named_only=sts.OPERATIONS + amazon_business.OPERATIONS)
        self.calls = CallCounter()
        self._auth = authenticator
        self._admin = Admin(service, self.faults, self.calls)
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
