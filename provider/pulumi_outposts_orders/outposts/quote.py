"""``OutpostQuote``: an AWS Outposts quote as a Pulumi resource, the first step of a quote-based order.

A quote prices hardware options for requested capacity. Order one of its options with
``OutpostOrder(quote_identifier=quote.quote_id, quote_option_identifier=quote.option_id(...))``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, overload

from pulumi import Input, Output, ResourceOptions
from pulumi.dynamic import Resource

from pulumi_outposts_orders._resource_args import resource_inputs
from pulumi_outposts_orders.outposts.quote_inputs import QUOTE_SCHEMA
from pulumi_outposts_orders.outposts.quote_options import Option, pick_option
from pulumi_outposts_orders.outposts.quote_provider import OutpostQuoteProvider

if TYPE_CHECKING:
    from pulumi_outposts_orders.outposts.outputs import OrderingRequirement, QuoteOption
else:  # the engine reads these annotations at run time: nested outputs arrive as plain dicts
    OrderingRequirement = QuoteOption = dict


@dataclass(frozen=True)
class QuoteCapacityArgs:
    """Capacity to be quoted: a type (``EC2``, ``EBS`` or ``S3``), a unit and a quantity."""

    quote_capacity_type: Input[str]
    """``EC2``, ``EBS`` or ``S3``."""
    quantity: Input[float]
    """How much of ``unit``."""
    unit: Input[str] | None = None
    """What is counted, e.g. an instance type (``m5.24xlarge``) or ``TiB``."""


class QuoteCapacityArgsDict(TypedDict, total=False):
    """``QuoteCapacityArgs`` as a plain dict."""

    quote_capacity_type: Input[str]
    """``EC2``, ``EBS`` or ``S3``."""
    quantity: Input[float]
    """How much of ``unit``."""
    unit: Input[str]
    """What is counted, e.g. an instance type (``m5.24xlarge``) or ``TiB``."""


@dataclass(frozen=True)
class QuoteConstraintArgs:
    """A constraint of the site the hardware must fit, e.g. ``RACK_MAX_POWER_KVA`` = ``15``."""

    quote_constraint_type: Input[str]
    """``RACK_MAXIMUM``, ``RACK_MAX_POWER_KVA``, ``RACK_MAX_WEIGHT_LBS`` or ``RACK_SPACE_CONSTRAINED``."""
    value: Input[str]
    """The limit, as text."""


class QuoteConstraintArgsDict(TypedDict):
    """``QuoteConstraintArgs`` as a plain dict."""

    quote_constraint_type: Input[str]
    """``RACK_MAXIMUM``, ``RACK_MAX_POWER_KVA``, ``RACK_MAX_WEIGHT_LBS`` or ``RACK_SPACE_CONSTRAINED``."""
    value: Input[str]
    """The limit, as text."""


QuoteCapacityInput = QuoteCapacityArgs | QuoteCapacityArgsDict | Mapping[str, Any]
QuoteConstraintInput = QuoteConstraintArgs | QuoteConstraintArgsDict | Mapping[str, Any]


@dataclass(frozen=True)
class OutpostQuoteArgs:
    """What to quote. Every member except ``region`` can change later (UpdateQuote re-prices it)."""

    country_code: Input[str]
    """Two-letter country of the site, e.g. ``US``."""
    requested_capacities: Input[Sequence[Input[QuoteCapacityInput]]]
    """The capacity to be quoted (at most 2000 entries)."""
    requested_constraints: Input[Sequence[Input[QuoteConstraintInput]]] | None = None
    """Site constraints (at most 10)."""
    requested_payment_options: Input[Sequence[Input[str]]] | None = None
    """Payment options to price (default: all of ALL_UPFRONT, PARTIAL_UPFRONT, NO_UPFRONT)."""
    requested_payment_terms: Input[Sequence[Input[str]]] | None = None
    """Payment terms to price (default: all of ONE_YEAR, THREE_YEARS, FIVE_YEARS)."""
    outpost_identifier: Input[str] | None = None
    """The Outpost the hardware is for (ID or ARN); an order from the quote needs it."""
    description: Input[str] | None = None
    """Free text, at most 1024 characters."""
    region: Input[str] | None = None
    """AWS region; default: stack config ``aws:region``, else the AWS environment. A change replaces."""
    profile: Input[str] | None = None
    """AWS profile name; default: stack config ``aws:profile``, else the AWS environment."""


class OutpostQuote(Resource, module="outposts", name="OutpostQuote"):
    """An AWS Outposts quote: CreateQuote on create, GetQuote on refresh, UpdateQuote on change.

    Outputs mirror GetQuote in snake_case; dates are ISO 8601 UTC strings. Destroying a quote
    deletes it, unless an order was placed from it (AWS keeps it; the stack forgets it).
    """

    quote_id: Output[str]
    """The quote ID (``oq-…``), also the resource ID."""
    status: Output[str]
    """CREATED, ORDER_SUBMITTED or EXPIRED."""
    status_message: Output[str | None]
    """AWS's note on the status, if any."""
    expiration_date: Output[str]
    """When the quote stops being orderable (ISO 8601 UTC)."""
    created_date: Output[str]
    """When the quote was created (ISO 8601 UTC)."""
    submitted_order_id: Output[str | None]
    """The order placed from this quote (``oo-…``), once there is one."""
    outpost_arn: Output[str | None]
    """The Outpost's ARN, when the quote names one."""
    account_id: Output[str]
    """The AWS account the quote lives in."""
    quote_options: Output[list[QuoteOption]]
    """The priced hardware options (see ``QuoteOption``); ``option_id`` picks one."""
    ordering_requirements: Output[list[OrderingRequirement]]
    """Checks an order must pass: ordering_requirement_type, status (PASS, FAIL, EXEMPT), status_message."""
    failed_requirements: Output[list[str]]
    """The failing ordering requirements, one ``TYPE: message`` line each (empty: orderable)."""
    region: Output[str]
    """The region the quote was created in."""

    @overload
    def __init__(self, resource_name: str, args: OutpostQuoteArgs, opts: ResourceOptions | None = None) -> None:
        ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: ResourceOptions | None = None,
        *,
        country_code: Input[str] | None = None,
        requested_capacities: Input[Sequence[Input[QuoteCapacityInput]]] | None = None,
        requested_constraints: Input[Sequence[Input[QuoteConstraintInput]]] | None = None,
        requested_payment_options: Input[Sequence[Input[str]]] | None = None,
        requested_payment_terms: Input[Sequence[Input[str]]] | None = None,
        outpost_identifier: Input[str] | None = None,
        description: Input[str] | None = None,
        region: Input[str] | None = None,
        profile: Input[str] | None = None,
    ) -> None:
        ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare a quote: ``OutpostQuote(name, OutpostQuoteArgs(...))`` or with the same keywords.

        Inputs are validated at preview (``pulumi preview`` fails naming each bad property).
        """
        given, opts = resource_inputs(
            f"OutpostQuote({resource_name!r})", OutpostQuoteArgs, QUOTE_SCHEMA.parameters, args, kwargs
        )
        props = {name: _plain(value) for name, value in given.items()}
        props.update(dict.fromkeys(QUOTE_SCHEMA.outputs))
        super().__init__(OutpostQuoteProvider(), resource_name, props, opts)

    def option_id(
        self,
        payment_option: str,
        payment_term: str,
        *,
        where: Callable[[Option], bool] | None = None,
    ) -> Output[str]:
        """The ID of the one option priced for ``payment_option`` and ``payment_term``.

        ``where`` narrows the choice by the option's contents (a ``quote_options`` entry), e.g.
        ``where=lambda o: len(o["specifications"]) == 1``. The deployment fails, listing the
        options, when none or several match.
        """

        def choose(options: Sequence[Option] | None) -> str:
            return str(pick_option(options, payment_option, payment_term, where)["quote_option_identifier"])

        return self.quote_options.apply(choose)


def _plain(value: Any) -> Any:
    """Args dataclasses (also inside lists and Outputs) as the plain dicts the provider reads."""
    if isinstance(value, Output):
        return value.apply(_plain)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    return value
