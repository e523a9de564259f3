"""The OutpostRenewal dynamic provider: check (no call), diff, create (GetRenewalPricing, one CreateRenewal),
read (GetOutpostBillingInformation), update (no call), delete (forgets: there is no cancel).

Placed once: ``CreateRenewal`` is the only Outposts call with an idempotency token, and botocore fills a
random one per call. The provider sends its own, derived from the resource's stable identity and its
generation (``renewal_inputs.client_token``): a retry after a lost answer, an ``up`` run again after a
killed one, on any machine, sends the same token, and AWS answers the renewal it already made. Before the
call, GetRenewalPricing must price the chosen option and term, at the ``expected_price`` if one is set:
otherwise nothing is renewed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from pulumi_outposts_orders._unknowns import is_unknown
from pulumi_outposts_orders.aws import clients as _clients
from pulumi_outposts_orders.aws.errors import RenewalError, explain, refused_before_placing
from pulumi_outposts_orders.claims.identity import identity
from pulumi_outposts_orders.money import same_amount
from pulumi_outposts_orders.outposts import billing as _billing
from pulumi_outposts_orders.outposts import provider_base as base
from pulumi_outposts_orders.outposts import renewal_inputs as inputs
from pulumi_outposts_orders.outposts.provider_base import OutpostsProvider

NO_CANCEL = "a renewal cannot be cancelled through the API: it continues"


class OutpostRenewalProvider(OutpostsProvider):
    """Dynamic provider of ``OutpostRenewal`` (stateless; see the module docstring)."""

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Every rule, locally from CreateRenewal's shape; no change to a placed renewal unless ``generation`` is
        raised with it. The resource key is carried through renames."""
        failures = inputs.check_inputs(news)
        if not failures and olds.get("renewal_generation") is not None:
            failures = inputs.unchangeable(olds, news)
        checked = {**news, "renewal_key": identity(olds.get("renewal_key"), news.get("renewal_key"))}
        generation = news.get("generation")
        checked["renewal_generation"] = generation if is_unknown(generation) else int(generation or 1) \
            if not failures else olds.get("renewal_generation")
        return self.checked(olds, {k: v for k, v in checked.items() if v is not None}, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """A raised generation (with what it renews) is a new renewal, placed before the old one is forgotten;
        the price guard, the profile and the key change in place."""
        replaces = [name for name in inputs.REPLACED_BY if news.get(name) != olds.get(name)
                    and not (name == "generation" and (news.get(name) or 1) == (olds.get(name) or 1))
                    and not (name == "region" and news.get(name) is None)]  # omitted: where it was placed stays
        updates = [name for name in inputs.IN_PLACE_INPUTS if news.get(name) != olds.get(name)]
        if replaces:
            base.warn(f"renewal {id_} is replaced ({', '.join(replaces)} changed): a NEW renewal is placed; the old "
                      f"one stays with AWS ({NO_CANCEL})")
        return DiffResult(changes=bool(replaces or updates), replaces=replaces, delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """GetRenewalPricing (the option must be priced, at ``expected_price`` if set), then CreateRenewal with
        the resource's ClientToken, then the RENEWAL subscription from GetOutpostBillingInformation."""
        failures = inputs.check_inputs(props)
        if failures:
            raise RenewalError("nothing renewed, invalid inputs:\n" + "\n".join(f"  {f.property}: {f.reason}"
                                                                                for f in failures))
        target = base.target(props)
        outpost = str(props["outpost_identifier"])
        generation = int(props.get("generation") or 1)
        token = inputs.client_token(str(props.get("renewal_key")), generation)
        option = _priced_option(target, props)
        account = _clients.account(target)  # before CreateRenewal: nothing is renewed if STS cannot tell
        try:
            # Safe to retry (botocore's standard retries): the token makes a re-send return the same renewal.
            answer = _clients.client(target).create_renewal(**inputs.create_params(props, token))
        except Exception as exc:
            error = explain(exc, "CreateRenewal", f"a renewal of Outpost {outpost}", target, RenewalError)
            if refused_before_placing(exc):
                raise RenewalError(f"nothing renewed: {error}") from exc
            raise RenewalError(f"{error}. The outcome is unknown: AWS may have renewed the Outpost. Run `pulumi up` "
                               f"again (here or on another machine): it sends the same ClientToken ({token}), so "
                               "AWS returns that renewal rather than making another.") from exc
        try:
            found = _billing.billing(target, outpost)
        except Exception as exc:  # renewed: the subscription is read at the next refresh
            base.warn(f"Outpost {outpost} was renewed, but its subscription could not be read yet ({exc}); "
                      "`pulumi refresh` reads it")
            found = _billing.Billing(outpost, None, None, None)
        outs = _outputs(props, answer, found, _subscription(found, answer), target, account)
        outs.update(client_token=token, renewal_generation=generation)
        if option is not None and option.get("UpfrontPrice"):
            base.warn(f"renewal of {outpost} placed: its upfront price ({option['UpfrontPrice']:,.2f} "
                      f"{option.get('Currency', 'USD')}) is charged now")
        return CreateResult(_resource_id(outs, token), outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: the account check, then GetOutpostBillingInformation; the renewal's subscription as AWS
        lists it now (its status follows the contract: PENDING until the term it renews ends)."""
        target = base.target(props)
        account = _clients.require_account(target, base.recorded_account(props), f"refresh of renewal {id_}: "
                                           "the renewal")
        outpost = str(props.get("outpost_id") or props.get("outpost_identifier"))
        try:
            found = _billing.billing(target, outpost)
        except Exception as exc:
            raise explain(exc, "GetOutpostBillingInformation", f"Outpost {outpost}", target, RenewalError) from exc
        recorded = {"UpfrontPrice": props.get("upfront_price"), "MonthlyRecurringPrice":
                    props.get("monthly_recurring_price"), "SubscriptionId": props.get("subscription_id")}
        outs = _outputs(props, {"OutpostId": props.get("outpost_id"), "Currency": props.get("currency"),
                                "UpfrontPrice": props.get("upfront_price"),
                                "MonthlyRecurringPrice": props.get("monthly_recurring_price")},
                        found, _subscription(found, recorded), target, account)
        outs.update(client_token=props.get("client_token"), renewal_generation=props.get("renewal_generation"))
        return ReadResult(id_, {k: v for k, v in outs.items() if v is not None})

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """The price guard, the profile or the key changed: no call."""
        return UpdateResult({**olds, **{name: news.get(name) for name in inputs.IN_PLACE_INPUTS}})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """No cancel API: forget the renewal, saying so."""
        base.warn(f"renewal {id_} of Outpost {props.get('outpost_id') or props.get('outpost_identifier')} was NOT "
                  f"cancelled ({NO_CANCEL}, and its upfront price was charged when it was placed): it is removed "
                  "from the stack only")


def _priced_option(target: Any, props: Mapping[str, Any]) -> dict[str, Any] | None:
    """The priced option for the renewal's payment option and term; RenewalError (nothing renewed) when AWS
    cannot price it, does not offer it, or prices it other than ``expected_price``."""
    outpost = str(props["outpost_identifier"])
    try:
        pricing = _clients.client(target).get_renewal_pricing(OutpostIdentifier=outpost)
    except Exception as exc:
        raise RenewalError(f"nothing renewed: {explain(exc, 'GetRenewalPricing', f'Outpost {outpost}', target)}") \
            from exc
    if pricing.get("PricingResult") != "PRICED":
        raise RenewalError(f"nothing renewed: AWS cannot price a renewal of Outpost {outpost} now "
                           f"(GetRenewalPricing: {pricing.get('PricingResult')}); contact AWS, or try again later")
    offered = [o.get("SubscriptionPricingDetails") or {} for o in pricing.get("PricingOptions") or []]
    option = next((o for o in offered if o.get("PaymentOption") == props["payment_option"]
                   and o.get("PaymentTerm") == props["payment_term"]), None)
    if option is None:
        listed = ", ".join(f"{o.get('PaymentOption')}/{o.get('PaymentTerm')}" for o in offered) or "none"
        raise RenewalError(f"nothing renewed: AWS offers no renewal of Outpost {outpost} as "
                           f"{props['payment_option']}/{props['payment_term']} (offered: {listed})")
    expected = props.get("expected_price")
    if isinstance(expected, Mapping):
        moved = [f"{name} {expected[name]:,.2f} expected, AWS prices {option.get(member) or 0:,.2f}"
                 for name, member in (("upfront_price", "UpfrontPrice"), ("monthly_recurring_price",
                                                                         "MonthlyRecurringPrice"))
                 if expected.get(name) is not None and not is_unknown(expected[name])
                 and not same_amount(float(expected[name]), float(option.get(member) or 0))]
        if expected.get("currency") not in (None, option.get("Currency")):
            moved.insert(0, f"currency {expected['currency']} expected, AWS prices in {option.get('Currency')}")
        if moved:
            raise RenewalError(f"nothing renewed: the renewal of Outpost {outpost} as {props['payment_option']}/"
                               f"{props['payment_term']} is not at the approved price ({'; '.join(moved)}). "
                               "Review the new price and update expected_price to approve it.")
    return option


def _subscription(found: _billing.Billing, renewal: Mapping[str, Any]) -> dict[str, Any] | None:
    """The renewal's RENEWAL subscription: the one recorded (``SubscriptionId``), else the newest one at the
    renewal's prices."""
    renewals = [s for s in found.subscriptions if s.get("SubscriptionType") == "RENEWAL"]
    recorded = renewal.get("SubscriptionId")
    if recorded:
        return next((s for s in renewals if s.get("SubscriptionId") == recorded), None)
    priced = [s for s in renewals if same_amount(float(s.get("UpfrontPrice") or 0), float(renewal.get("UpfrontPrice")
                                                                                       or 0))
              and same_amount(float(s.get("MonthlyRecurringPrice") or 0), float(renewal.get("MonthlyRecurringPrice")
                                                                               or 0))]
    return max(priced, key=lambda s: str(s.get("BeginDate") or ""), default=None)


def _outputs(props: Mapping[str, Any], answer: Mapping[str, Any], found: _billing.Billing,
             subscription: Mapping[str, Any] | None, target: Any, account: str) -> dict[str, Any]:
    outs: dict[str, Any] = {name: props.get(name) for name in inputs.RENEWAL_INPUTS}
    outs.update(outpost_id=answer.get("OutpostId") or props.get("outpost_id"), upfront_price=answer.get("UpfrontPrice"),
                monthly_recurring_price=answer.get("MonthlyRecurringPrice"), currency=answer.get("Currency"),
                contract_end_date=found.contract_end_date, region=target.region, account_id=account)
    if subscription is not None:
        view = _billing.subscription_view(subscription)
        outs.update(subscription_id=view.get("subscription_id"), subscription_status=view.get("status"),
                    begin_date=view.get("begin_date"), end_date=view.get("end_date"))
    return {key: value for key, value in outs.items() if value is not None}


def _resource_id(outs: Mapping[str, Any], token: str) -> str:
    """The subscription ID AWS gives the renewal; the ClientToken when it is not listed yet."""
    return str(outs.get("subscription_id") or token)
