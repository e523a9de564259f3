"""The admin API under ``/_emulator/``: simulated clock, call counts, faults, forced order states.

Plain JSON over HTTP, no signature. Errors are ``{"message": ...}`` with 400, 404 or 405.

- ``GET /_emulator/clock`` and ``POST /_emulator/clock`` ``{"advance_days": N}`` ->
  ``{"now": epoch, "offset_days": N}`` (simulated now: wall time plus the offset)
- ``GET /_emulator/calls`` -> ``{"Operation": count}``; ``DELETE /_emulator/calls`` resets
- ``GET | PUT | DELETE /_emulator/faults`` (see ``faults``)
- ``POST /_emulator/orders/{OrderId}/status`` ``{"status": S}`` -> ``{"OrderId", "Status"}``
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from werkzeug.wrappers import Request, Response

from pulumi_outposts_orders.emulator import lifecycle, orders
from pulumi_outposts_orders.emulator.calls import CallCounter
from pulumi_outposts_orders.emulator.clock import DAY
from pulumi_outposts_orders.emulator.domain import ORDER, Context, Params, Service
from pulumi_outposts_orders.emulator.errors import ApiError
from pulumi_outposts_orders.emulator.faults import Faults
from pulumi_outposts_orders.emulator.records import Order

PREFIX = "/_emulator/"
_ORDER_STATUS = re.compile(r"orders/(?P<order_id>[^/]+)/status")


class AdminError(Exception):
    """An admin request that cannot be served: HTTP status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Admin:
    """Serves the admin API."""

    def __init__(self, service: Service, faults: Faults, calls: CallCounter) -> None:
        self._service = service
        self._faults = faults
        self._calls = calls

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
            ("clock", "POST"): lambda: self._advance(_number(_body(request), "advance_days")),
            ("calls", "GET"): self._calls.snapshot,
            ("calls", "DELETE"): lambda: self._reset(self._calls.reset),
            ("faults", "GET"): self._faults.settings,
            ("faults", "PUT"): lambda: self._configure(_body(request)),
            ("faults", "DELETE"): lambda: self._reset(self._faults.clear),
        }
        if (path, request.method) in handlers:
            return handlers[path, request.method]()
        found = _ORDER_STATUS.fullmatch(path)
        if found and request.method == "POST":
            return self._force(found["order_id"], _body(request).get("status"))
        known = {p for p, _ in handlers} | ({path} if found else set())
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

    def _force(self, order_id: str, status: Any) -> Params:
        if status not in lifecycle.FORCEABLE_STATUSES:
            raise AdminError(400, f"status must be one of {', '.join(lifecycle.FORCEABLE_STATUSES)}")

        def force(ctx: Context, _: Params) -> Params:
            order = Order.load(ctx.find(ORDER, order_id, f"Order {order_id}"))  # of any account
            view = orders.set_status(ctx, order, status)
            return {"OrderId": view["OrderId"], "Status": view["Status"]}

        return self._service.run(force, {})


def _body(request: Request) -> dict[str, Any]:
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
