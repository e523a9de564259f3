"""``AmazonBusinessOrder``: site hardware (optics, cables, PDUs) ordered through the Amazon Business Ordering API.

``pulumi preview`` checks every rule locally (no call), ``pulumi up`` places one order (placeOrder,
idempotent by a derived ``externalId``), ``pulumi refresh`` tracks it (orderDetails). There is no
cancel API: ``pulumi destroy`` forgets the order (it continues) and a replacement places a new order
beside the old one (which continues too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields, is_dataclass
from typing import Any, overload

from pulumi import Input, Output, ResourceOptions
from pulumi.dynamic import Resource

from pulumi_outposts_orders._resource_args import resource_inputs, resource_key
from pulumi_outposts_orders.amazon_business.provider import AmazonBusinessOrderProvider


@dataclass(frozen=True)
class MoneyArgs:
    """An amount in a currency."""

    currency: Input[str]
    """ISO 4217 code, e.g. ``USD``."""
    amount: Input[float]


@dataclass(frozen=True)
class AmazonBusinessLineItemArgs:
    """One line: a product (ASIN), its buying option, how many, and the price it must have."""

    asin: Input[str]
    buying_option_id: Input[str]
    quantity: Input[int]
    external_id: Input[str] | None = None
    """Unique within the order (default ``line-item-N``)."""
    expected_unit_price: Input[MoneyArgs | Mapping[str, Any]] | None = None
    """Amazon refuses the line if the unit price moved."""
    expected_charge: Input[MoneyArgs | Mapping[str, Any]] | None = None
    """Amazon refuses the line if its subtotal moved."""


@dataclass(frozen=True)
class ShippingAddressArgs:
    """Where to ship."""

    full_name: Input[str]
    address_line1: Input[str]
    city: Input[str]
    postal_code: Input[str]
    country_code: Input[str]
    address_line2: Input[str] | None = None
    state_or_region: Input[str] | None = None
    phone_number: Input[str] | None = None
    company_name: Input[str] | None = None


@dataclass(frozen=True)
class AmazonBusinessOrderArgs:
    """What to order through Amazon Business."""

    line_items: Input[Sequence[Input[AmazonBusinessLineItemArgs | Mapping[str, Any]]]]
    shipping_address: Input[ShippingAddressArgs | Mapping[str, Any]]
    buyer_email: Input[str]
    """The buyer's Amazon Business user (BuyerReference); also who reads the order back."""
    region: Input[str]
    """Country code of the marketplace, e.g. ``US`` or ``DE`` (it picks the regional host)."""
    purchase_order_number: Input[str] | None = None
    buying_group: Input[str] | None = None
    payment_method: Input[str] | None = None
    """``StoredPaymentMethod`` (default)."""
    trial_mode: Input[bool] | None = None
    generation: Input[int] | None = None
    """Raise to place a new order for a resource whose earlier order is kept (see the provider)."""


PARAMETERS = tuple(f.name for f in fields(AmazonBusinessOrderArgs))
OUTPUTS = ("external_id", "order_generation", "line_item_results", "delivery_status", "total", "currency")


class AmazonBusinessOrder(Resource, module="amazonbusiness", name="AmazonBusinessOrder"):
    """An Amazon Business order; the resource ID is its ``externalId``."""

    external_id: Output[str]
    order_generation: Output[int]
    line_item_results: Output[list[dict[str, Any]]]
    """Per line: external_id, accepted/rejected quantity, order_identifier, unit_price, charge, currency,
    delivery_range, shipment {status, carrier, tracking_number, delivered_at}, rejections [{code, message}]."""
    delivery_status: Output[str]
    """ORDERED, SHIPPED, DELIVERED (all accepted items) or REJECTED: the API has no status of its own."""
    total: Output[float]
    currency: Output[str | None]

    @overload
    def __init__(self, resource_name: str, args: AmazonBusinessOrderArgs,
                 opts: ResourceOptions | None = None) -> None:
        ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: ResourceOptions | None = None,
        *,
        line_items: Input[Sequence[Input[AmazonBusinessLineItemArgs | Mapping[str, Any]]]] | None = None,
        shipping_address: Input[ShippingAddressArgs | Mapping[str, Any]] | None = None,
        buyer_email: Input[str] | None = None,
        region: Input[str] | None = None,
        purchase_order_number: Input[str] | None = None,
        buying_group: Input[str] | None = None,
        payment_method: Input[str] | None = None,
        trial_mode: Input[bool] | None = None,
        generation: Input[int] | None = None,
    ) -> None:
        ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare an order: ``AmazonBusinessOrder(name, AmazonBusinessOrderArgs(...))`` or with keywords.

        Inputs are checked at preview. A replacement places the new order before it forgets the old one
        (which continues: there is no cancel API), so the old order stays tracked if the new one fails.
        """
        given, opts = resource_inputs(f"AmazonBusinessOrder({resource_name!r})", AmazonBusinessOrderArgs,
                                      PARAMETERS, args, kwargs)
        props: dict[str, Any] = {name: _plain(value) for name, value in given.items()}
        props["order_key"] = resource_key(resource_name, f"pulumi-python:{self._resource_type_name}", opts)
        props.update(dict.fromkeys(OUTPUTS))
        super().__init__(AmazonBusinessOrderProvider(), resource_name, props, opts)


def _plain(value: Any) -> Any:
    """Dataclass args as dicts (Nones dropped), through lists and Outputs."""
    if isinstance(value, Output):
        return value.apply(_plain)
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    return value
