"""``OutpostOrder``: an AWS Outposts hardware order as a Pulumi resource.

``pulumi preview`` shows what would be ordered (no API call), ``pulumi up`` places it once,
``pulumi refresh`` tracks it to delivery, ``pulumi destroy`` cancels it while that is possible.
Any change to what was ordered replaces the order, cancelling the old one first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, TypedDict, overload

from pulumi import Input, Output, ResourceOptions
from pulumi.dynamic import Resource

from pulumi_outposts_orders._resource_args import resource_inputs, resource_key
from pulumi_outposts_orders.outposts.order_inputs import ORDER_SCHEMA
from pulumi_outposts_orders.outposts.order_provider import OutpostOrderProvider

if TYPE_CHECKING:
    from pulumi_outposts_orders.outposts.outputs import ExpectedPrice, OrderLineItem
else:  # the engine reads these annotations at run time: nested outputs arrive as plain dicts
    ExpectedPrice = OrderLineItem = dict


@dataclass(frozen=True)
class LineItemArgs:
    """One line of a line-item order: a catalog item and how many of it."""

    catalog_item_id: Input[str]
    """Catalog item ID, e.g. ``OR-ABCDEFG``."""
    quantity: Input[int]
    """How many, a whole number of at least 1."""


class LineItemArgsDict(TypedDict):
    """``LineItemArgs`` as a plain dict."""

    catalog_item_id: Input[str]
    """Catalog item ID, e.g. ``OR-ABCDEFG``."""
    quantity: Input[int]
    """How many, a whole number of at least 1."""


LineItemInput = LineItemArgs | LineItemArgsDict | Mapping[str, Any]


@dataclass(frozen=True)
class ExpectedPriceArgs:
    """The price a quote-based order must have, or nothing is ordered.

    Compared at create with the quote's price for the order's payment option and term (one
    GetQuote); give ``upfront_price``, ``monthly_recurring_price`` or both.
    """

    currency: Input[str]
    """Currency of the amounts, as in the quote (``USD``)."""
    upfront_price: Input[float] | None = None
    """The expected upfront price."""
    monthly_recurring_price: Input[float] | None = None
    """The expected monthly recurring price."""


class ExpectedPriceArgsDict(TypedDict, total=False):
    """``ExpectedPriceArgs`` as a plain dict."""

    currency: Input[str]
    """Currency of the amounts, as in the quote (``USD``)."""
    upfront_price: Input[float]
    """The expected upfront price."""
    monthly_recurring_price: Input[float]
    """The expected monthly recurring price."""


ExpectedPriceInput = ExpectedPriceArgs | ExpectedPriceArgsDict | Mapping[str, Any]


@dataclass(frozen=True)
class OutpostOrderArgs:
    """What to order. Give ``line_items``, or ``quote_identifier`` with ``quote_option_identifier``."""

    outpost_identifier: Input[str]
    """The Outpost, by ID (``op-…``) or ARN; switching between the two forms is not a change."""
    payment_option: Input[str]
    """``ALL_UPFRONT``, ``PARTIAL_UPFRONT`` or ``NO_UPFRONT``."""
    line_items: Input[Sequence[Input[LineItemInput]]] | None = None
    """Between 1 and 20 line items (line-item orders)."""
    payment_term: Input[str] | None = None
    """``ONE_YEAR``, ``THREE_YEARS`` or ``FIVE_YEARS``; omitted: the term AWS applies."""
    quote_identifier: Input[str] | None = None
    """The quote to order from, by ID (``oq-…``) or ARN (quote-based orders)."""
    quote_option_identifier: Input[str] | None = None
    """The chosen option of that quote (``oqo-…``)."""
    region: Input[str] | None = None
    """AWS region; default: stack config ``aws:region``, then AWS_REGION, AWS_DEFAULT_REGION, the profile's
    region. Recorded at create."""
    profile: Input[str] | None = None
    """AWS profile name; default: stack config ``aws:profile``, then AWS_PROFILE, then the default chain."""
    adopt_order_id: Input[str] | None = None
    """Adopt this existing order (``oo-…``) instead of placing one; it must match the inputs above."""
    expected_price: Input[ExpectedPriceInput] | None = None
    """Quote-based orders: refuse to order unless the quote's price is this (see ``ExpectedPriceArgs``)."""
    distinct_from_order_ids: Input[Sequence[Input[str]]] | None = None
    """Existing live orders identical to this one that are *not* this resource's order. Before placing,
    the provider stops when the Outpost has a recent identical order that no resource holds (it may be
    this resource's, from an interrupted run); listing it here confirms a deliberate additional order."""


class OutpostOrder(Resource, module="outposts", name="OutpostOrder"):
    """An AWS Outposts order. Create places it (CreateOrder); refresh tracks it (GetOrder).

    Outputs mirror GetOrder in snake_case; dates are ISO 8601 UTC strings.
    """

    order_id: Output[str]
    """The order ID (``oo-…``), also the resource ID."""
    status: Output[str]
    """PREPARING, IN_PROGRESS, DELIVERED, COMPLETED, CANCELLED or ERROR."""
    order_type: Output[str]
    """OUTPOST or REPLACEMENT."""
    outpost_id: Output[str]
    """The Outpost's ID (``op-…``), whichever form was declared."""
    outpost_identifier: Output[str]
    """The Outpost as declared when the order was placed (ID or ARN)."""
    line_items: Output[list[OrderLineItem]]
    """Line items as AWS tracks them: status, shipment (carrier, tracking number), assets (see ``OrderLineItem``)."""
    order_submission_date: Output[str | None]
    """When the order was submitted (ISO 8601 UTC)."""
    order_fulfilled_date: Output[str | None]
    """When the order was fulfilled (ISO 8601 UTC), once it is."""
    payment_option: Output[str]
    """``ALL_UPFRONT``, ``PARTIAL_UPFRONT`` or ``NO_UPFRONT``."""
    payment_term: Output[str | None]
    """``ONE_YEAR``, ``THREE_YEARS`` or ``FIVE_YEARS``."""
    quote_identifier: Output[str | None]
    """The quote ordered from (quote-based orders)."""
    quote_option_identifier: Output[str | None]
    """The quote option ordered (quote-based orders)."""
    region: Output[str]
    """The region the order was placed in."""
    account_id: Output[str | None]
    """The AWS account the order was placed in (STS GetCallerIdentity of the credentials in use). Refresh,
    update and delete refuse credentials of another account. Orders recorded before accounts were have none
    until their next refresh."""
    profile: Output[str | None]
    """The AWS profile declared, if any."""
    adopt_order_id: Output[str | None]
    """The order adopted instead of placed, if any."""
    expected_price: Output[ExpectedPrice | None]
    """The price guard declared, if any."""
    distinct_from_order_ids: Output[list[str] | None]
    """Identical orders declared not to be this resource's."""
    retain_on_delete: Output[bool | None]
    """Mirrors the resource option, so that a replacement that would leave the order live is refused."""
    placement_key: Output[str]
    """Names this resource in the provider's attempt journal (organization/project/stack/resource)."""

    @overload
    def __init__(self, resource_name: str, args: OutpostOrderArgs, opts: ResourceOptions | None = None) -> None:
        ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: ResourceOptions | None = None,
        *,
        outpost_identifier: Input[str] | None = None,
        payment_option: Input[str] | None = None,
        line_items: Input[Sequence[Input[LineItemInput]]] | None = None,
        payment_term: Input[str] | None = None,
        quote_identifier: Input[str] | None = None,
        quote_option_identifier: Input[str] | None = None,
        region: Input[str] | None = None,
        profile: Input[str] | None = None,
        adopt_order_id: Input[str] | None = None,
        expected_price: Input[ExpectedPriceInput] | None = None,
        distinct_from_order_ids: Input[Sequence[Input[str]]] | None = None,
    ) -> None:
        ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare an order: ``OutpostOrder(name, OutpostOrderArgs(...))`` or with keyword arguments.

        Inputs are validated at preview (``pulumi preview`` fails naming each bad property). The
        resource always deletes before it replaces (``delete_before_replace``): a replacement cancels
        the old order before placing the new one, whatever triggers it (``pulumi up --replace``
        included).
        """
        props, opts = resource_inputs(
            f"OutpostOrder({resource_name!r})", OutpostOrderArgs, ORDER_SCHEMA.parameters, args, kwargs
        )
        if props["line_items"] is not None:
            props["line_items"] = _line_items(props["line_items"])
        if isinstance(props["expected_price"], ExpectedPriceArgs):
            props["expected_price"] = {
                f.name: getattr(props["expected_price"], f.name)
                for f in fields(ExpectedPriceArgs)
                if getattr(props["expected_price"], f.name) is not None
            }
        props["placement_key"] = resource_key(resource_name, f"pulumi-python:{self._resource_type_name}", opts)
        props["retain_on_delete"] = bool(opts.retain_on_delete) if opts is not None else False
        props.update(dict.fromkeys(ORDER_SCHEMA.outputs))
        opts = ResourceOptions.merge(opts, ResourceOptions(delete_before_replace=True))
        super().__init__(OutpostOrderProvider(), resource_name, props, opts)


def _line_items(items: Any) -> Any:
    if isinstance(items, Output):
        return items.apply(_line_items)
    if isinstance(items, list | tuple):
        return [_line_item(item) for item in items]
    return items  # check reports the type


def _line_item(item: Any) -> Any:
    if isinstance(item, LineItemArgs):
        return {"catalog_item_id": item.catalog_item_id, "quantity": item.quantity}
    if isinstance(item, Output):
        return item.apply(_line_item)
    if isinstance(item, Mapping):
        return dict(item)
    return item
