"""Billing and renewals: GetRenewalPricing, CreateRenewal and GetOutpostBillingInformation (contracts: ``contracts``).

CreateRenewal's ClientToken is scoped to the caller's account: the same token with the same request
(the same Outpost, by ID or ARN, PaymentOption and PaymentTerm) answers the renewal it created again and
creates nothing; with another request it is a ValidationException naming the token. A call without a
token is always new (botocore fills one in; other SDKs may not). There is no API to cancel a renewal.
"""

from __future__ import annotations

from pulumi_outposts_orders.emulator.domain import Context, Params
from pulumi_outposts_orders.emulator.errors import validation
from pulumi_outposts_orders.emulator.outposts import contracts
from pulumi_outposts_orders.emulator.outposts.inventory import find_outpost
from pulumi_outposts_orders.emulator.outposts.paging import paginate
from pulumi_outposts_orders.emulator.outposts.records import SUBSCRIPTION, Subscription
from pulumi_outposts_orders.emulator.outposts.views import pricing_option, renewal_view, subscription_view


def get_renewal_pricing(ctx: Context, params: Params) -> Params:
    """GetRenewalPricing: PRICED for every payment option and term, or UNABLE_TO_PRICE with no options."""
    contract = contracts.load(ctx, find_outpost(ctx, params["OutpostIdentifier"]))
    details = contracts.renewal_pricing(contract)
    if details is None:
        return {"PricingResult": contracts.UNABLE_TO_PRICE, "PricingOptions": []}
    return {"PricingResult": contracts.PRICED, "PricingOptions": [pricing_option(d) for d in details]}


def create_renewal(ctx: Context, params: Params) -> Params:
    """CreateRenewal: a PENDING renewal that begins at the contract's end, priced as GetRenewalPricing says."""
    outpost = find_outpost(ctx, params["OutpostIdentifier"])
    outpost_id, option, term = outpost["OutpostId"], params["PaymentOption"], params["PaymentTerm"]
    token = params.get("ClientToken")
    earlier = _renewal_of_token(ctx, token) if token is not None else None
    if earlier is not None:
        if (earlier.outpost_id, earlier.payment_option, earlier.payment_term) != (outpost_id, option, term):
            raise validation(f"ClientToken {token!r} was already used for another CreateRenewal request (Outpost "
                             f"{earlier.outpost_id}, {earlier.payment_option}, {earlier.payment_term}): use a new "
                             "token for a different request")
        return renewal_view(earlier)
    contract = contracts.load(ctx, outpost)
    pending = contract.pending_renewal
    if pending is not None:
        renewal = pending.subscription
        raise validation(f"A renewal is already pending for Outpost {outpost_id}: {renewal.subscription_id} "
                         f"({renewal.payment_option}, {renewal.payment_term}) begins on "
                         f"{contracts.iso_date(pending.begin)}, the contract's end")
    details = contracts.renewal_pricing(contract)
    if details is None:
        raise validation(f"Outpost {outpost_id} cannot be renewed: GetRenewalPricing is UNABLE_TO_PRICE "
                         f"({contracts.unpriced_because(contract)})")
    chosen = next(d for d in details if (d["PaymentOption"], d["PaymentTerm"]) == (option, term))
    return renewal_view(contracts.open_renewal(ctx, contract, chosen, token))


def get_outpost_billing_information(ctx: Context, params: Params) -> Params:
    """GetOutpostBillingInformation: the caller's subscriptions of the Outpost (the ORIGINAL first), dated now,
    and the current term's end (ContractEndDate, ``YYYY-MM-DD``), PaymentTerm and PaymentOption."""
    contract = contracts.load(ctx, find_outpost(ctx, params["OutpostIdentifier"]))
    page, more = paginate("GetOutpostBillingInformation", list(contract.subscriptions), params)
    current = contract.current.subscription
    return {"Subscriptions": [subscription_view(s) for s in page], **more,
            "ContractEndDate": contracts.iso_date(contract.end), "PaymentTerm": current.payment_term,
            "PaymentOption": current.payment_option}


def _renewal_of_token(ctx: Context, token: str) -> Subscription | None:
    """The caller's renewal created with ClientToken ``token``, if any."""
    for subscription in map(Subscription.load, ctx.tx.all(SUBSCRIPTION)):
        if subscription.client_token == token and subscription.subscription_type == contracts.RENEWAL \
                and ctx.owns(subscription.account_id):
            return subscription
    return None
