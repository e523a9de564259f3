"""``OutpostQuote``: an AWS Outposts quote as a Pulumi resource, the first step of a quote-based order.

A quote prices hardware options for requested capacity. Order one of its options with
``OutpostOrder(quote_identifier=quote.quote_id, quote_option_identifier=quote.option_id(...))``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi import Input, Output, ResourceOptions
from pulumi.dynamic import Resource

from ._provider.quote import OutpostQuoteProvider
from ._quote_options import Option, pick_option


@dataclass(frozen=True)
class QuoteCapacityArgs:
    """Capacity to be quoted: a type (``EC2``, ``EBS`` or ``S3``), a unit and a quantity."""

    quote_capacity_type: Input[str]
    """``EC2``, ``EBS`` or ``S3``."""
    quantity: Input[float]
    """How much of ``unit``."""
    unit: Input[str] | None = None
    """What is counted, e.g. an instance type (``m5.24xlarge``) or ``TiB``."""


@dataclass(frozen=True)
class QuoteConstraintArgs:
    """A constraint of the site the hardware must fit, e.g. ``RACK_MAX_POWER_KVA`` = ``15``."""

    quote_constraint_type: Input[str]
    """``RACK_MAXIMUM``, ``RACK_MAX_POWER_KVA``, ``RACK_MAX_WEIGHT_LBS`` or ``RACK_SPACE_CONSTRAINED``."""
    value: Input[str]
    """The limit, as text."""


@dataclass(frozen=True)
class OutpostQuoteArgs:
    """What to quote. Every member except ``region`` can change later (UpdateQuote re-prices it)."""

    country_code: Input[str]
    """Two-letter country of the site, e.g. ``US``."""
    requested_capacities: Input[Sequence[Input[QuoteCapacityArgs | Mapping[str, Any]]]]
    """The capacity to be quoted (at most 2000 entries)."""
    requested_constraints: Input[Sequence[Input[QuoteConstraintArgs | Mapping[str, Any]]]] | None = None
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
    expiration_date: Output[str]
    """When the quote stops being orderable (ISO 8601 UTC)."""
    created_date: Output[str]
    submitted_order_id: Output[str | None]
    """The order placed from this quote (``oo-…``), once there is one."""
    outpost_arn: Output[str | None]
    account_id: Output[str]
    quote_options: Output[list[dict[str, Any]]]
    """Options: quote_option_identifier, capacities, capacity_summary, specifications and
    pricing_options [{pricing_type, subscription_pricing_details {payment_option, payment_term,
    upfront_price, monthly_recurring_price, currency}}]."""
    ordering_requirements: Output[list[dict[str, Any]]]
    """Checks an order must pass: ordering_requirement_type, status (PASS, FAIL, EXEMPT), status_message."""
    failed_requirements: Output[list[str]]
    """The failing ordering requirements, one ``TYPE: message`` line each (empty: orderable)."""
    region: Output[str]
    """The region the quote was created in."""

    def __init__(
        self,
        resource_name: str,
        args: OutpostQuoteArgs | None = None,
        opts: ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        """Declare a quote: ``OutpostQuote(name, OutpostQuoteArgs(...))`` or with the same keywords.

        Inputs are validated at preview (``pulumi preview`` fails naming each bad property).
        """
        names = [f.name for f in dataclasses.fields(OutpostQuoteArgs)]
        unknown = sorted(set(kwargs) - set(names))
        if unknown:
            raise TypeError(f"OutpostQuote({resource_name!r}): unknown argument(s) {', '.join(unknown)}")
        if args is not None and kwargs:
            raise TypeError(f"OutpostQuote({resource_name!r}): give either args or keyword arguments, not both")
        props = {name: _plain(getattr(args, name) if args else kwargs.get(name)) for name in names}
        props.update(dict.fromkeys(_OUTPUT_ONLY))
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

        def choose(options: list[dict[str, Any]] | None) -> str:
            return str(pick_option(options, payment_option, payment_term, where)["quote_option_identifier"])

        return self.quote_options.apply(choose)


_OUTPUT_ONLY = (
    "quote_id",
    "status",
    "status_message",
    "expiration_date",
    "created_date",
    "submitted_order_id",
    "outpost_arn",
    "account_id",
    "quote_options",
    "ordering_requirements",
    "failed_requirements",
)


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
