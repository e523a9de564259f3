"""Read-only look-ups for ``outposts-orders review``: quotes, catalog items, renewal pricing, contracts and the
caller's account.

Where each call goes is resolved by ``aws.settings.resolve_target`` from the resource's ``region``/``profile``
and the stack's ``aws:region``/``aws:profile`` (read from the preview), exactly as the provider
resolves it. Network time is bounded and announced: clients of ``aws.clients.Calls.LOOKUP`` (short
timeouts, two attempts), one answer per thing looked up (cached), and once an endpoint did not
answer, later look-ups there are skipped instead of waiting again. Every failure is kept as a
sentence for the comment and reported once on standard error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any, TextIO

import botocore.exceptions

from pulumi_outposts_orders.aws import clients as _clients
from pulumi_outposts_orders.aws import settings as _aws
from pulumi_outposts_orders.outposts.finders import find_catalog_item, find_quote
from pulumi_outposts_orders.outposts.quote_provider import flatten_quote

_UNREACHABLE = (
    botocore.exceptions.EndpointConnectionError,
    botocore.exceptions.ConnectTimeoutError,
    botocore.exceptions.ReadTimeoutError,
    botocore.exceptions.ConnectionClosedError,
)


class Lookups:
    """Cached, bounded read-only calls on behalf of a review."""

    def __init__(self, stack: _aws.StackAwsConfig, log: TextIO | None = None) -> None:
        self.stack = stack
        self.failures: list[str] = []
        self._log = log if log is not None else sys.stderr
        self._seen: dict[tuple[str, str, _aws.Target | None], dict[str, Any] | str] = {}
        self._down: dict[str, str] = {}
        self._announced = False

    def target(self, region: str | None, profile: str | None) -> _aws.Target | str:
        """Where a resource's calls go (the provider's resolution), or why that cannot be said."""
        try:
            return _aws.resolve_target(region, profile, self.stack)
        except _aws.AwsConfigError as exc:
            return str(exc)

    def quote(self, quote_id: str, region: str | None, profile: str | None) -> dict[str, Any] | str:
        """The quote (snake_case), or why it could not be read."""
        return self._get("GetQuote", quote_id, region, profile,
                         lambda t: _flat(find_quote(t, quote_id, _clients.Calls.LOOKUP), flatten_quote))

    def catalog_item(self, item_id: str, region: str | None, profile: str | None) -> dict[str, Any] | str:
        """The catalog item (as the API returns it), or why it could not be read."""
        return self._get("GetCatalogItem", item_id, region, profile,
                         lambda t: find_catalog_item(t, item_id, _clients.Calls.LOOKUP))

    def renewal_pricing(self, outpost: str, region: str | None, profile: str | None) -> dict[str, Any] | str:
        """GetRenewalPricing of the Outpost (as the API returns it), or why it could not be read."""
        return self._get("GetRenewalPricing", outpost, region, profile, lambda t: dict(
            _clients.client(t, _clients.Calls.LOOKUP).get_renewal_pricing(OutpostIdentifier=outpost)))

    def contract(self, outpost: str, region: str | None, profile: str | None) -> dict[str, Any] | str:
        """The Outpost's contract (``ContractEndDate``, ``PaymentTerm``, ``PaymentOption`` and whether a
        renewal is pending, from GetOutpostBillingInformation's first page), or why it could not be read."""
        def read(target: _aws.Target) -> dict[str, Any]:
            page = _clients.client(target, _clients.Calls.LOOKUP).get_outpost_billing_information(
                OutpostIdentifier=outpost, MaxResults=1000)
            pending = any(s.get("SubscriptionType") == "RENEWAL" and s.get("SubscriptionStatus") == "PENDING"
                          for s in page.get("Subscriptions") or [])
            return {**{k: page.get(k) for k in ("ContractEndDate", "PaymentTerm", "PaymentOption")},
                    "RenewalPending": pending}

        return self._get("GetOutpostBillingInformation", outpost, region, profile, read)

    def account(self, region: str | None, profile: str | None) -> str | None:
        """The account the credentials act for (STS GetCallerIdentity), or ``None``."""
        target = self.target(region, profile)
        if isinstance(target, str):
            return None
        key = ("GetCallerIdentity", "", target)
        if key not in self._seen:
            if self._down:  # AWS did not answer: the account is not worth another wait
                self._seen[key] = "not tried"
                print(f"outposts-orders review: GetCallerIdentity failed: not tried: "
                      f"{', '.join(self._down)} did not answer", file=self._log, flush=True)
            else:
                self._announce()
                account = _clients.caller_account(target)
                self._seen[key] = {"account": account} if account else "no answer"
        found = self._seen[key]
        return None if isinstance(found, str) else found["account"]

    def _get(self, call: str, subject: str, region: str | None, profile: str | None,
             read: Callable[[_aws.Target], dict[str, Any] | None]) -> dict[str, Any] | str:
        target = self.target(region, profile)
        key = (call, subject, target if isinstance(target, _aws.Target) else None)
        if key in self._seen:
            return self._seen[key]
        if isinstance(target, str):
            result: dict[str, Any] | str = target
        else:
            result = self._call(call, subject, target, read)
        if isinstance(result, str):
            self.failures.append(f"{call} {subject}: {result}")
            print(f"outposts-orders review: {call} {subject} failed: {result}", file=self._log, flush=True)
        self._seen[key] = result
        return result

    def _call(self, call: str, subject: str, target: _aws.Target,
              read: Callable[[_aws.Target], dict[str, Any] | None]) -> dict[str, Any] | str:
        endpoint = ""
        try:
            endpoint = str(_clients.client(target, _clients.Calls.LOOKUP).meta.endpoint_url)
            if endpoint in self._down:
                return f"not tried: {endpoint} did not answer {self._down[endpoint]}"
            self._announce()
            found = read(target)
        except Exception as exc:  # any failure is reported in the comment, never hidden
            if isinstance(exc.__cause__ or exc, _UNREACHABLE):
                self._down[endpoint] = f"the {call} of {subject}"
            return str(exc)
        return found if found is not None else f"{subject} does not exist in region {target.region}"

    def _announce(self) -> None:
        if not self._announced:
            self._announced = True
            connect, read = _clients.TIMEOUTS[_clients.Calls.LOOKUP]
            print(f"outposts-orders review: reading quotes, catalog items and the account (read-only; each call "
                  f"at most {connect} s to connect and {read} s to answer, 2 attempts)", file=self._log, flush=True)


def _flat(found: Mapping[str, Any] | None, flatten: Callable[[Mapping[str, Any]], dict[str, Any]]) -> Any:
    return None if found is None else flatten(found)
