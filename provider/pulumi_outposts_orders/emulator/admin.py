"""The admin API under ``/_emulator/``: simulated clock, call counts, faults, and the services' own endpoints.

Plain JSON over HTTP, no signature. Errors are ``{"message": ...}`` with 400, 404 or 405.

- ``GET /_emulator/clock`` and ``POST /_emulator/clock`` ``{"advance_days": N}`` ->
  ``{"now": epoch, "offset_days": N}`` (simulated now: wall time plus the offset)
- ``GET /_emulator/calls`` -> ``{"Operation": count}``; ``DELETE /_emulator/calls`` resets
- ``GET | PUT | DELETE /_emulator/faults`` (see ``faults``)
- the endpoints a service adds (``AdminRoute``), e.g. ``POST /_emulator/orders/{OrderId}/status``
  (``outposts.admin``)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Request, Response

from pulumi_outposts_orders.emulator.calls import CallCounter
from pulumi_outposts_orders.emulator.clock import DAY
from pulumi_outposts_orders.emulator.domain import Params, Service
from pulumi_outposts_orders.emulator.errors import ApiError
from pulumi_outposts_orders.emulator.faults import Faults

PREFIX = "/_emulator/"


class AdminError(Exception):
    """An admin request that cannot be served: HTTP status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class AdminRoute:
    """An admin endpoint of a service: method, path pattern (after PREFIX) and handler.

    The handler takes the path's match and the request, and returns the JSON answer (or raises
    AdminError, or ApiError).
    """

    method: str
    pattern: re.Pattern[str]
    handler: Callable[[re.Match[str], Request], Any]


class Admin:
    """Serves the admin API; ``routes``: the services' own endpoints."""

    def __init__(self, service: Service, faults: Faults, calls: CallCounter,
                 routes: Iterable[AdminRoute] = ()) -> None:
        self._service = service
        self._faults = faults
        self._calls = calls
        self._routes = tuple(routes)

    def handle(self, request: Request) -> Response:
        """The response to an admin request."""
        try:
            return _json(200, self._dispatch(request))
        except AdminError as error:
            return _json(error.status, {"message": str(error)})
        except ApiError as error:
            return _json(error.status, {"message": error.message})

    def _dispatch(self, request: Request) -> Any:
        path = request.path[len(PREFIX):]
        handlers: dict[tuple[str, str], Callable[[], Any]] = {
            ("clock", "GET"): lambda: self._advance(0.0),
            ("clock", "POST"): lambda: self._advance(_number(json_body(request), "advance_days")),
            ("calls", "GET"): self._calls.snapshot,
            ("calls", "DELETE"): lambda: self._reset(self._calls.reset),
            ("faults", "GET"): self._faults.settings,
            ("faults", "PUT"): lambda: self._configure(json_body(request)),
            ("faults", "DELETE"): lambda: self._reset(self._faults.clear),
        }
        if (path, request.method) in handlers:
            return handlers[path, request.method]()
        matched = [(route, found) for route in self._routes if (found := route.pattern.fullmatch(path))]
        for route, found in matched:
            if route.method == request.method:
                return route.handler(found, request)
        known = {p for p, _ in handlers} | ({path} if matched else set())
        raise AdminError(405 if path in known else 404, f"No admin endpoint {request.method} {request.path}")

    def _advance(self, days: float) -> Params:
        if days < 0:
            raise AdminError(400, "advance_days must be >= 0: simulated time never goes back")
        clock = self._service.clock
        with self._service.store.transaction() as tx:
            now = clock.advance(tx, days)
            return {"now": now, "offset_days": clock.offset(tx) / DAY}

    def _configure(self, settings: dict[str, Any]) -> dict[str, dict[str, Any]]:
        try:
            self._faults.configure(settings)
        except ValueError as error:
            raise AdminError(400, str(error)) from error
        return self._faults.settings()

    @staticmethod
    def _reset(action: Callable[[], None]) -> Params:
        action()
        return {}


def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object (an empty body: ``{}``); AdminError 400 for anything else."""
    try:
        body = json.loads(request.get_data() or b"{}")
    except ValueError as error:
        raise AdminError(400, f"the body is not valid JSON: {error}") from error
    if not isinstance(body, dict):
        raise AdminError(400, "the body must be a JSON object")
    return body


def _number(body: dict[str, Any], key: str) -> float:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AdminError(400, f"{key} must be a number")
    return float(value)


def _json(status: int, payload: Any) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json")
