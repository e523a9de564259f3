"""The Outposts endpoint of the admin API: forcing an order's status.

- ``POST /_emulator/orders/{OrderId}/status`` ``{"status": S}`` -> ``{"OrderId", "Status"}``: the
  order (of any account) and its line items move to S now, and continue along the lifecycle
  schedule from that status's first day (``lifecycle.force``). S is one of
  ``lifecycle.FORCEABLE_STATUSES`` (else 400); an unknown order is 404.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.wrappers import Request

from pulumi_outposts_orders.emulator.admin import AdminError, AdminRoute, json_body
from pulumi_outposts_orders.emulator.domain import Context, Params, Service
from pulumi_outposts_orders.emulator.outposts import lifecycle, orders
from pulumi_outposts_orders.emulator.outposts.records import ORDER, Order

_ORDER_STATUS = re.compile(r"orders/(?P<order_id>[^/]+)/status")


def routes(service: Service) -> tuple[AdminRoute, ...]:
    """The Outposts admin endpoints, served by the emulator's admin API over ``service``."""

    def order_status(found: re.Match[str], request: Request) -> Params:
        return force_status(service, found["order_id"], json_body(request).get("status"))

    return (AdminRoute("POST", _ORDER_STATUS, order_status),)


def force_status(service: Service, order_id: str, status: Any) -> Params:
    """Force the order (of any account) into ``status``: its ID and new status."""
    if status not in lifecycle.FORCEABLE_STATUSES:
        raise AdminError(400, f"status must be one of {', '.join(lifecycle.FORCEABLE_STATUSES)}")

    def force(ctx: Context, _: Params) -> Params:
        order = Order.load(ctx.find(ORDER, order_id, f"Order {order_id}"))  # of any account
        view = orders.set_status(ctx, order, status)
        return {"OrderId": view["OrderId"], "Status": view["Status"]}

    return service.run(force, {})
