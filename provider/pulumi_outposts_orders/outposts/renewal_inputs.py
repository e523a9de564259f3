"""OutpostRenewal inputs: the schema, every rule checked locally (no call), CreateRenewal's parameters, the token.

A renewal can be neither changed nor cancelled (the API has no call for either), so what is renewed
(the Outpost, payment option and term) changes only with a raised ``generation``: a new renewal, placed
with a new ``ClientToken``. ``expected_price`` guards the placement only; ``renewal_key`` (set by
``OutpostRenewal``, carried through renames by ``claims.identity``) names the resource, so its
``ClientToken`` is the same for every retry, on any machine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from pulumi_outposts_orders._dynamic import Failure
from pulumi_outposts_orders._schema import Field, Kind, Schema
from pulumi_outposts_orders._unknowns import is_unknown, under_unknown
from pulumi_outposts_orders.aws.model import validate_input
from pulumi_outposts_orders.outposts.order_inputs import check_profile, check_region, price_guard_failures


def _expected_price(price: Any, _props: Mapping[str, Any]) -> list[Failure]:
    """What GetRenewalPricing must say for the option and term: ``OutpostOrder``'s price guard, as it is."""
    return price_guard_failures(price)


def _generation(generation: Any, _props: Mapping[str, Any]) -> list[Failure]:
    if isinstance(generation, int) and not isinstance(generation, bool) and generation >= 1:
        return []
    return [Failure("generation", f"generation must be a whole number >= 1 (got {generation!r})")]


RENEWAL_SCHEMA = Schema((
    Field("outpost_identifier", Kind.REPLACES, "OutpostIdentifier", required=True),
    Field("payment_option", Kind.REPLACES, "PaymentOption", required=True),
    Field("payment_term", Kind.REPLACES, "PaymentTerm", required=True),
    Field("generation", Kind.REPLACES, check=_generation),
    Field("region", Kind.REPLACES, check=check_region),
    Field("profile", Kind.IN_PLACE, check=check_profile),
    Field("expected_price", Kind.IN_PLACE, check=_expected_price),
    Field("renewal_key", Kind.IN_PLACE, declared=False),
    # Outputs: CreateRenewal's answer, then the RENEWAL subscription GetOutpostBillingInformation lists.
    Field("outpost_id", Kind.OUTPUT, "OutpostId"),
    Field("upfront_price", Kind.OUTPUT, "UpfrontPrice"),
    Field("monthly_recurring_price", Kind.OUTPUT, "MonthlyRecurringPrice"),
    Field("currency", Kind.OUTPUT, "Currency"),
    Field("client_token", Kind.OUTPUT),  # the ClientToken sent: the same for every retry of this generation
    Field("renewal_generation", Kind.OUTPUT),  # the generation renewed (check's, from ``generation``)
    Field("subscription_id", Kind.OUTPUT, "SubscriptionId"),
    Field("subscription_status", Kind.OUTPUT, "SubscriptionStatus"),
    Field("begin_date", Kind.OUTPUT, "BeginDate"),
    Field("end_date", Kind.OUTPUT, "EndDate"),
    Field("contract_end_date", Kind.OUTPUT, "ContractEndDate"),
    Field("account_id", Kind.OUTPUT),  # STS GetCallerIdentity of the credentials in use
))
RENEWAL_INPUTS = RENEWAL_SCHEMA.inputs
"""Every input → its CreateRenewal member (``None``: read by the provider only)."""
REPLACED_BY = RENEWAL_SCHEMA.named(Kind.REPLACES)
"""What is renewed: a change is a new renewal, which needs a raised ``generation``."""
IN_PLACE_INPUTS = RENEWAL_SCHEMA.named(Kind.IN_PLACE)
RENEWED = ("outpost_identifier", "payment_option", "payment_term", "region")
"""The inputs a placed renewal is: changing one without raising ``generation`` is refused."""


def check_inputs(props: Mapping[str, Any]) -> list[Failure]:
    """Every broken rule in ``props`` (declared inputs); unknown values pass."""
    failures = RENEWAL_SCHEMA.checks(props, provider_only=True)
    params = {api: props[name] for name, api in RENEWAL_INPUTS.items() if api and props.get(name) is not None}
    unknown = {api for api, value in params.items() if is_unknown(value)}
    for violation in validate_input("CreateRenewal", {k: v for k, v in params.items() if k not in unknown}):
        if not under_unknown(violation.path, unknown):
            name = next((n for n, api in RENEWAL_INPUTS.items() if api == violation.path.split(".")[0]),
                        violation.path)
            failures.append(Failure(name, violation.message.replace(violation.path, name)))
    for name, api in RENEWAL_INPUTS.items():
        if api and props.get(name) is None and not any(f.property == name for f in failures):
            failures.append(Failure(name, f"{name} is required"))
    return failures


def unchangeable(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[Failure]:
    """A placed renewal changes only with a raised ``generation`` (a new renewal): nothing cancels the old one."""
    if news.get("generation", 1) != olds.get("generation", 1) or is_unknown(news.get("generation")):
        return []
    return [Failure(name, f"{name} of a placed renewal cannot change ({olds.get(name)!r} → {news.get(name)!r}): "
                    "a renewal can be neither changed nor cancelled. Restore it, or raise `generation` to place "
                    "another renewal (the first one stays)")
            for name in RENEWED if news.get(name) is not None and not is_unknown(news.get(name))
            and news.get(name) != olds.get(name) and olds.get(name) is not None]


def client_token(renewal_key: str, generation: int) -> str:
    """The renewal's ``ClientToken``: the same for the same resource and generation, on any machine (max 64)."""
    return "pulumi-" + hashlib.sha256(f"{renewal_key}#{generation}".encode()).hexdigest()[:48]


def create_params(props: Mapping[str, Any], token: str) -> dict[str, Any]:
    """CreateRenewal's parameters, with the resource's own ``ClientToken`` (botocore's would be random)."""
    return {"OutpostIdentifier": props["outpost_identifier"], "PaymentOption": props["payment_option"],
            "PaymentTerm": props["payment_term"], "ClientToken": token}
