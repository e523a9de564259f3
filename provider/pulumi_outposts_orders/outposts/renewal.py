"""``OutpostRenewal``: the renewal of an Outpost's subscription term as a Pulumi resource.

Placed once with ``CreateRenewal`` (and the resource's own ``ClientToken``), at the price
``GetRenewalPricing`` gives for the chosen payment option and term, which must be ``expected_price`` when
one is declared. Refresh reads the RENEWAL subscription from ``GetOutpostBillingInformation``. There is
no API to change or cancel a renewal: a change needs a raised ``generation`` (a new renewal) and destroy
only forgets it, loudly.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, overload

from pulumi import Input, Output, ResourceOptions
from pulumi.dynamic import Resource

from pulumi_outposts_orders._resource_args import resource_inputs, resource_key
from pulumi_outposts_orders.outposts.order import ExpectedPriceArgs, ExpectedPriceInput
from pulumi_outposts_orders.outposts.renewal_inputs import RENEWAL_SCHEMA
from pulumi_outposts_orders.outposts.renewal_provider import OutpostRenewalProvider


@dataclass(frozen=True)
class OutpostRenewalArgs:
    """What to renew: the Outpost, the payment option and term, and the price approved."""

    outpost_identifier: Input[str]
    """The Outpost (``op-…`` or its ARN)."""
    payment_option: Input[str]
    """``ALL_UPFRONT``, ``PARTIAL_UPFRONT`` or ``NO_UPFRONT``."""
    payment_term: Input[str]
    """``ONE_YEAR``, ``THREE_YEARS`` or ``FIVE_YEARS``."""
    expected_price: Input[ExpectedPriceInput] | None = None
    """The price approved (``ExpectedPriceArgs``, as an order's): GetRenewalPricing must give it for the option
    and term, or nothing is renewed."""
    generation: Input[int] | None = None
    """Raise it (default 1) to place another renewal: the only way to change what is renewed."""
    region: Input[str] | None = None
    """AWS region; default: stack config ``aws:region``, else the AWS environment."""
    profile: Input[str] | None = None
    """AWS profile name; default: stack config ``aws:profile``, else the AWS environment."""


class OutpostRenewal(Resource, module="outposts", name="OutpostRenewal"):
    """An Outpost subscription renewal: CreateRenewal on create (once, with a stable ClientToken),
    GetOutpostBillingInformation on refresh, nothing on destroy (no cancel API: it is forgotten, loudly)."""

    outpost_id: Output[str]
    """The Outpost renewed (``op-…``)."""
    upfront_price: Output[float | None]
    """Charged when the renewal was placed."""
    monthly_recurring_price: Output[float | None]
    """Charged each month of the renewed term."""
    currency: Output[str]
    """``USD``."""
    subscription_id: Output[str | None]
    """The RENEWAL subscription AWS lists for it."""
    subscription_status: Output[str | None]
    """PENDING (until the term it renews ends), ACTIVE, INACTIVE or CANCELLED."""
    begin_date: Output[str | None]
    """When the renewed term begins (ISO 8601)."""
    end_date: Output[str | None]
    """When the renewed term ends (ISO 8601)."""
    contract_end_date: Output[str | None]
    """The Outpost's contract end date, as AWS gives it."""
    client_token: Output[str]
    """The ClientToken sent: the same for every retry of this resource and generation."""
    renewal_generation: Output[int]
    """The generation renewed."""
    account_id: Output[str]
    """The AWS account the Outpost is in."""
    renewal_key: Output[str]
    """Names this resource for its ClientToken (organization/project/stack/resource)."""

    @overload
    def __init__(self, resource_name: str, args: OutpostRenewalArgs, opts: ResourceOptions | None = None) -> None:
        ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: ResourceOptions | None = None,
        *,
        outpost_identifier: Input[str] | None = None,
        payment_option: Input[str] | None = None,
        payment_term: Input[str] | None = None,
        expected_price: Input[ExpectedPriceInput] | None = None,
        generation: Input[int] | None = None,
        region: Input[str] | None = None,
        profile: Input[str] | None = None,
    ) -> None:
        ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare a renewal: ``OutpostRenewal(name, OutpostRenewalArgs(...))`` or with keyword arguments.

        Inputs are validated at preview with no call; ``outposts-orders review`` prices it."""
        props, opts = resource_inputs(f"OutpostRenewal({resource_name!r})", OutpostRenewalArgs,
                                      RENEWAL_SCHEMA.parameters, args, kwargs)
        if isinstance(props["expected_price"], ExpectedPriceArgs):
            props["expected_price"] = {f.name: getattr(props["expected_price"], f.name)
                                       for f in fields(ExpectedPriceArgs)
                                       if getattr(props["expected_price"], f.name) is not None}
        props["renewal_key"] = resource_key(resource_name, f"pulumi-python:{self._resource_type_name}", opts)
        props.update(dict.fromkeys(RENEWAL_SCHEMA.outputs))
        super().__init__(OutpostRenewalProvider(), resource_name, props, opts)
