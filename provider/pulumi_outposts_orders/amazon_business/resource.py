"""``AmazonBusinessOrder``: site hardware (optics, cables, PDUs) ordered through the Amazon Business Ordering API.

``pulumi preview`` checks every rule locally (no call), ``pulumi up`` places one order (placeOrder,
idempotent by a derived ``externalId``), ``pulumi refresh`` tracks it (orderDetails). There is no
cancel API: ``pulumi destroy`` forgets the order (it continues) and a replacement places a new order
beside the old one (which continues too).

The properties are ``inputs.AMAZON_BUSINESS_SCHEMA``'s. Nested inputs are given as ``…Args`` objects or as
plain dicts (``…ArgsDict``), as with pulumi-aws. ``marketplace`` was called ``region``: ``region=`` is still
accepted, with a warning, and an order placed under the old name is neither changed nor replaced by the
rename.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, is_dataclass
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, overload

import pulumi
from pulumi import Input, Output, ResourceOptions
from pulumi.dynamic import Resource

from pulumi_outposts_orders._resource_args import resource_inputs, resource_key
from pulumi_outposts_orders.amazon_business.inputs import AMAZON_BUSINESS_SCHEMA
from pulumi_outposts_orders.amazon_business.provider import AmazonBusinessOrderProvider

if TYPE_CHECKING:
    from pulumi_outposts_orders.amazon_business.outputs import (
        AmazonBusinessLineItem,
        AmazonBusinessLineItemResult,
        AmazonBusinessShippingAddress,
    )
else:  # the engine reads these annotations at run time: nested outputs arrive as plain dicts
    AmazonBusinessLineItem = AmazonBusinessLineItemResult = AmazonBusinessShippingAddress = dict


@dataclass(frozen=True)
class MoneyArgs:
    """An amount in a currency."""

    currency: Input[str]
    """ISO 4217 code, e.g. ``USD``."""
    amount: Input[float]
    """The amount, >= 0."""


class MoneyArgsDict(TypedDict):
    """``MoneyArgs`` as a plain dict."""

    currency: Input[str]
    """ISO 4217 code, e.g. ``USD``."""
    amount: Input[float]
    """The amount, >= 0."""


MoneyInput = MoneyArgs | MoneyArgsDict | Mapping[str, Any]


@dataclass(frozen=True)
class AccountingSegmentArgs:
    """One accounting segment (cost centre, G/L account, department...): Amazon Business's ``Segment``."""

    id: Input[str]
    """The segment's code within its type, e.g. ``CC-4410``; 1 to 255 characters."""
    type: Input[str]
    """Its accounting type, e.g. ``CostCenter`` or ``GLAccount``; 1 to 255 characters."""
    description: Input[str]
    """What it is, for people; 1 to 255 characters."""


class AccountingSegmentArgsDict(TypedDict):
    """``AccountingSegmentArgs`` as a plain dict."""

    id: Input[str]
    """The segment's code within its type, e.g. ``CC-4410``; 1 to 255 characters."""
    type: Input[str]
    """Its accounting type, e.g. ``CostCenter`` or ``GLAccount``; 1 to 255 characters."""
    description: Input[str]
    """What it is, for people; 1 to 255 characters."""


AccountingSegmentInput = AccountingSegmentArgs | AccountingSegmentArgsDict | Mapping[str, Any]


@dataclass(frozen=True)
class AmazonBusinessDistributionArgs:
    """The part of a line's cost charged to one accounting group: Amazon Business's ``Distribution``."""

    name: Input[str]
    """The accounting group's name, 1 to 255 characters."""
    segments: Input[Sequence[Input[AccountingSegmentInput]]]
    """1 to 15 accounting segments naming who is charged."""
    amount: Input[MoneyInput]
    """The amount charged to it, >= 0, in the line's currency."""


class AmazonBusinessDistributionArgsDict(TypedDict):
    """``AmazonBusinessDistributionArgs`` as a plain dict."""

    name: Input[str]
    """The accounting group's name, 1 to 255 characters."""
    segments: Input[Sequence[Input[AccountingSegmentInput]]]
    """1 to 15 accounting segments naming who is charged."""
    amount: Input[MoneyInput]
    """The amount charged to it, >= 0, in the line's currency."""


AmazonBusinessDistributionInput = (AmazonBusinessDistributionArgs | AmazonBusinessDistributionArgsDict
                                   | Mapping[str, Any])


@dataclass(frozen=True)
class AmazonBusinessLineItemArgs:
    """One line: a product (ASIN), its buying option, how many, and the price it must have."""

    asin: Input[str]
    """The product's ASIN: 10 capital letters or digits."""
    buying_option_id: Input[str]
    """The buying option (offer) to buy it through."""
    quantity: Input[int]
    """How many, a whole number of at least 1."""
    external_id: Input[str] | None = None
    """Unique within the order (default ``line-item-N``)."""
    expected_unit_price: Input[MoneyInput] | None = None
    """Amazon refuses the line if the unit price moved."""
    expected_charge: Input[MoneyInput] | None = None
    """Amazon refuses the line if its subtotal moved."""
    distributions: Input[Sequence[Input[AmazonBusinessDistributionInput]]] | None = None
    """How the line's cost is split over accounting groups (summing to ``expected_charge`` when given)."""


class AmazonBusinessLineItemArgsDict(TypedDict):
    """``AmazonBusinessLineItemArgs`` as a plain dict."""

    asin: Input[str]
    """The product's ASIN: 10 capital letters or digits."""
    buying_option_id: Input[str]
    """The buying option (offer) to buy it through."""
    quantity: Input[int]
    """How many, a whole number of at least 1."""
    external_id: NotRequired[Input[str]]
    """Unique within the order (default ``line-item-N``)."""
    expected_unit_price: NotRequired[Input[MoneyInput]]
    """Amazon refuses the line if the unit price moved."""
    expected_charge: NotRequired[Input[MoneyInput]]
    """Amazon refuses the line if its subtotal moved."""
    distributions: NotRequired[Input[Sequence[Input[AmazonBusinessDistributionInput]]]]
    """How the line's cost is split over accounting groups (summing to ``expected_charge`` when given)."""


AmazonBusinessLineItemInput = AmazonBusinessLineItemArgs | AmazonBusinessLineItemArgsDict | Mapping[str, Any]


@dataclass(frozen=True)
class ShippingAddressArgs:
    """Where to ship."""

    full_name: Input[str]
    address_line1: Input[str]
    city: Input[str]
    postal_code: Input[str]
    country_code: Input[str]
    """Two capital letters, e.g. ``US``."""
    address_line2: Input[str] | None = None
    state_or_region: Input[str] | None = None
    phone_number: Input[str] | None = None
    company_name: Input[str] | None = None


class ShippingAddressArgsDict(TypedDict):
    """``ShippingAddressArgs`` as a plain dict."""

    full_name: Input[str]
    address_line1: Input[str]
    city: Input[str]
    postal_code: Input[str]
    country_code: Input[str]
    """Two capital letters, e.g. ``US``."""
    address_line2: NotRequired[Input[str]]
    state_or_region: NotRequired[Input[str]]
    phone_number: NotRequired[Input[str]]
    company_name: NotRequired[Input[str]]


ShippingAddressInput = ShippingAddressArgs | ShippingAddressArgsDict | Mapping[str, Any]


@dataclass(frozen=True)
class AmazonBusinessOrderArgs:
    """What to order through Amazon Business."""

    line_items: Input[Sequence[Input[AmazonBusinessLineItemInput]]]
    """Between 1 and 50 line items, in one currency."""
    shipping_address: Input[ShippingAddressInput]
    """Where to ship."""
    buyer_email: Input[str]
    """The buyer's Amazon Business user (BuyerReference); also who reads the order back."""
    marketplace: Input[str] | None = None
    """Country code of the Amazon Business marketplace, e.g. ``US`` or ``DE`` (it picks the regional host).
    Required: preview fails without it (it has a default here only while the deprecated ``region`` is
    accepted in its place)."""
    purchase_order_number: Input[str] | None = None
    """A purchase order number, 1 to 255 characters."""
    buying_group: Input[str] | None = None
    """The buying group (GroupIdentity) to order in."""
    payment_method: Input[str] | None = None
    """``StoredPaymentMethod`` (default)."""
    trial_mode: Input[bool] | None = None
    """Amazon Business's trial mode: nothing is really ordered."""
    generation: Input[int] | None = None
    """Raise to place a new order for a resource whose earlier order is kept (see the provider)."""
    region: Input[str] | None = None
    """Deprecated: the former name of ``marketplace`` (same value); give ``marketplace``."""


class AmazonBusinessOrder(Resource, module="amazonbusiness", name="AmazonBusinessOrder"):
    """An Amazon Business order; the resource ID is its ``externalId``."""

    line_items: Output[list[AmazonBusinessLineItem]]
    """The line items as declared."""
    shipping_address: Output[AmazonBusinessShippingAddress]
    """The shipping address as declared."""
    buyer_email: Output[str]
    """The buyer."""
    marketplace: Output[str]
    """The marketplace's country code. Orders placed while it was called ``region`` have it from their
    first refresh (or update) on."""
    purchase_order_number: Output[str | None]
    """The purchase order number, if any."""
    buying_group: Output[str | None]
    """The buying group, if any."""
    payment_method: Output[str | None]
    """The payment method declared, if any."""
    trial_mode: Output[bool | None]
    """Whether it was placed in trial mode, if declared."""
    generation: Output[int | None]
    """The generation declared, if any."""
    order_key: Output[str]
    """Names this resource for its ``externalId`` (organization/project/stack/resource)."""
    external_id: Output[str]
    """The order's ``externalId`` (also the resource ID)."""
    order_generation: Output[int]
    """The generation the order was placed as."""
    line_item_results: Output[list[AmazonBusinessLineItemResult]]
    """Per line: external_id, accepted/rejected quantity, order_identifier, unit_price, charge (subtotal), tax,
    shipping, discount, currency, delivery_range, packages [{tracking_number, carrier, status, delivery_window,
    …}], rejections [{code, message, reason}], order_status and approved_by (the Reporting API's) (see
    ``AmazonBusinessLineItemResult``)."""
    delivery_status: Output[str]
    """REJECTED (nothing accepted), CANCELLED (every Amazon order of it), PENDING_APPROVAL, then from the lines
    not cancelled: DELAYED (a package in trouble), DELIVERED (every package, or closed), SHIPPED or ORDERED; TRIAL
    for a trial (nothing placed). From the order reports (the Reporting API) and the packages' tracking statuses
    (the Package Tracking API)."""
    total: Output[float]
    """The sum of the subtotals (unit price x quantity) of the lines not cancelled."""
    charges: Output[dict[str, float]]
    """``subtotal``, ``tax``, ``shipping``, ``discount`` and ``total`` (what is charged in all), kept apart."""
    currency: Output[str | None]
    """The lines' currency."""
    placed_at: Output[str | None]
    """When this stack placed it (ISO 8601, UTC); the order reports are searched from the day before."""

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
        line_items: Input[Sequence[Input[AmazonBusinessLineItemInput]]] | None = None,
        shipping_address: Input[ShippingAddressInput] | None = None,
        buyer_email: Input[str] | None = None,
        marketplace: Input[str] | None = None,
        purchase_order_number: Input[str] | None = None,
        buying_group: Input[str] | None = None,
        payment_method: Input[str] | None = None,
        trial_mode: Input[bool] | None = None,
        generation: Input[int] | None = None,
        region: Input[str] | None = None,
    ) -> None:
        ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare an order: ``AmazonBusinessOrder(name, AmazonBusinessOrderArgs(...))`` or with keywords.

        Inputs are checked at preview. A replacement places the new order before it forgets the old one
        (which continues: there is no cancel API), so the old order stays tracked if the new one fails.
        ``region`` (deprecated) is taken as ``marketplace``, with a warning; giving both is a ``TypeError``.
        """
        resource = f"AmazonBusinessOrder({resource_name!r})"
        given, opts = resource_inputs(resource, AmazonBusinessOrderArgs,
                                      (*AMAZON_BUSINESS_SCHEMA.parameters, *AMAZON_BUSINESS_SCHEMA.aliases),
                                      args, kwargs)
        props: dict[str, Any] = {name: _plain(value) for name, value in _current_names(resource, given).items()}
        props["order_key"] = resource_key(resource_name, f"pulumi-python:{self._resource_type_name}", opts)
        props.update(dict.fromkeys(AMAZON_BUSINESS_SCHEMA.outputs))
        super().__init__(AmazonBusinessOrderProvider(), resource_name, props, opts)


def _current_names(resource: str, given: dict[str, Any]) -> dict[str, Any]:
    """``given`` with a value under a deprecated name (``region``) moved to the name now (``marketplace``),
    warning; ``TypeError`` naming both when both are given."""
    found = dict(given)
    for old, name in AMAZON_BUSINESS_SCHEMA.aliases.items():
        value = found.pop(old, None)
        if value is None:
            continue
        if found.get(name) is not None:
            raise TypeError(f"{resource}: give {name} only: {old} is its deprecated former name, and both were given")
        pulumi.log.warn(f"{resource}: `{old}` is deprecated: use `{name}` (the same value, the country code of "
                        f"the Amazon Business marketplace such as US); `{old}` will be removed")
        found[name] = value
    return found


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
