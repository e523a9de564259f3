"""The OutpostQuote dynamic provider: check, diff, create, read, update, delete — in that order.

A quote costs nothing: it prices options for requested capacity. Once an order is placed from it
(QuoteStatus ORDER_SUBMITTED) it is the record of that order and can no longer change or be
deleted. Like the order provider, this class is pickled by reference and holds no state.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from pulumi_outposts_orders._schema import Kind
from pulumi_outposts_orders.aws import clients as _clients
from pulumi_outposts_orders.aws import settings as _aws
from pulumi_outposts_orders.aws.errors import QuoteError, error_code, explain
from pulumi_outposts_orders.outposts import provider_base as base
from pulumi_outposts_orders.outposts import quote_inputs as inputs
from pulumi_outposts_orders.outposts.finders import find_quote
from pulumi_outposts_orders.outposts.provider_base import OutpostsProvider
from pulumi_outposts_orders.outposts.shapes import flatten_quote, snake

__all__ = ["ON_DELETE", "UPDATABLE", "OnDelete", "OutpostQuoteProvider", "QuoteError", "flatten_quote"]


# --- lifecycle tables ----------------------------------------------------------------------------
class OnDelete(enum.Enum):
    """What ``pulumi destroy`` (or a replacement) does with a quote in a given status."""

    DELETE = "delete"  # DeleteQuote
    FORGET = "forget"  # the quote is the record of a placed order: AWS keeps it, the stack drops it


# A quote that became an order cannot be deleted (AWS refuses); it documents the order's price.
# Unlisted statuses are tried with DeleteQuote, and AWS's answer is reported.
ON_DELETE: dict[str, OnDelete] = {
    "CREATED": OnDelete.DELETE,
    "EXPIRED": OnDelete.DELETE,
    "ORDER_SUBMITTED": OnDelete.FORGET,
}

# Statuses in which UpdateQuote is accepted.
UPDATABLE = frozenset({"CREATED"})


class OutpostQuoteProvider(OutpostsProvider):
    """Dynamic provider of ``OutpostQuote`` (stateless; see the module docstring)."""

    # --- check -----------------------------------------------------------------------------------
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate every known input locally from the CreateQuote shape; no API call. A new quote also
        needs a region and profile that resolve (``aws.settings.check_target``)."""
        return self.checked(olds, news, inputs.check_inputs(news))

    # --- diff ------------------------------------------------------------------------------------
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Request changes update the quote in place; a new region is a new quote. No API call."""
        changed = inputs.changed(olds, news)
        return DiffResult(
            changes=bool(changed),
            replaces=[name for name in changed if name in inputs.REPLACED_BY],
            delete_before_replace=False,  # a quote costs nothing: get the new one first
        )

    # --- create ----------------------------------------------------------------------------------
    def create(self, props: dict[str, Any]) -> CreateResult:
        """One CreateQuote."""
        _require_valid(props)
        target = base.target(props)
        params = inputs.create_params(props)
        try:
            # CreateQuote has no idempotency token either: sent once, never re-sent blindly.
            response = _clients.client(target, _clients.Calls.SEND_ONCE).create_quote(**params)
        except Exception as exc:
            raise explain(exc, "CreateQuote", f"a new quote in {params['CountryCode']}", target, QuoteError) from exc
        quote: dict[str, Any] = response["Quote"]
        # AWS names the quote's account; asking STS is only needed when it does not.
        account = quote.get("AccountId") or _clients.account(target)
        return CreateResult(quote["QuoteId"], _outputs(props, {**quote, "AccountId": account}, target))

    # --- read ------------------------------------------------------------------------------------
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: the account check, then one GetQuote; a vanished quote leaves the stack with a warning
        (a quote of another account is never taken for a vanished one)."""
        target = base.target(props)
        _clients.require_account(target, base.recorded_account(props), f"refresh of quote {id_}: the quote")
        quote = _find(target, id_)
        if quote is None:
            base.warn(f"quote {id_} no longer exists in {target.where()}: removed from the stack")
            return ReadResult("", {})
        return ReadResult(id_, _outputs(props, quote, target))

    # --- update ----------------------------------------------------------------------------------
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """One UpdateQuote for changed request members (none when only ``profile`` changed)."""
        _require_valid(news)
        target = base.target({**news, "region": olds.get("region")})
        account = _clients.require_account(target, base.recorded_account(olds), f"update of quote {id_}: the quote")
        params = inputs.update_params(id_, olds, news)
        if len(params) == 1:  # only the quote's identifier: nothing AWS needs to know
            kept = {**olds, **{name: news.get(name) for name in inputs.QUOTE_INPUTS}, "account_id": account}
            return UpdateResult({key: value for key, value in kept.items() if value is not None})
        try:
            response = _clients.client(target).update_quote(**params)
        except Exception as exc:
            quote = _find(target, id_) if error_code(exc) in ("ValidationException", "ConflictException") else None
            if quote is not None and quote.get("QuoteStatus") not in UPDATABLE:
                raise QuoteError(_frozen(quote)) from exc
            raise explain(exc, "UpdateQuote", f"quote {id_}", target, QuoteError) from exc
        return UpdateResult(_outputs(news, response["Quote"], target))

    # --- delete ----------------------------------------------------------------------------------
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Delete an unordered quote; forget one that became an order (see ``ON_DELETE``); never through
        credentials of another account than the quote's."""
        target = base.target(props)
        _clients.require_account(target, base.recorded_account(props), f"delete of quote {id_}: the quote")
        quote = _find(target, id_)
        if quote is None:
            base.warn(f"quote {id_} no longer exists in {target.where()}: nothing to delete")
            return
        if ON_DELETE.get(quote["QuoteStatus"], OnDelete.DELETE) is OnDelete.FORGET:
            return
        try:
            _clients.client(target).delete_quote(QuoteIdentifier=id_)
        except Exception as exc:
            if error_code(exc) == "NotFoundException":
                return
            again = _find(target, id_)  # lost a race: ordered meanwhile?
            if again is not None and ON_DELETE.get(again["QuoteStatus"]) is OnDelete.FORGET:
                return
            raise explain(exc, "DeleteQuote", f"quote {id_}", target, QuoteError) from exc


# --- finders -------------------------------------------------------------------------------------
def _find(target: _aws.Target, quote_id: str) -> dict[str, Any] | None:
    """One GetQuote (``None``: not found); a failure is a ``QuoteError``."""
    return find_quote(target, quote_id, error=QuoteError)


# --- shapes --------------------------------------------------------------------------------------
def failed_requirements(flat: Mapping[str, Any]) -> list[str]:
    """Ordering requirements that FAIL, one line each: ``TYPE: message``."""
    return [
        f"{r['ordering_requirement_type']}: {r.get('status_message') or 'failed'}"
        for r in flat.get("ordering_requirements") or []
        if r.get("status") == "FAIL"
    ]


# Outputs read from the Quote: name -> member of the flattened Quote (from the schema).
_READ = {f.name: snake(f.api) for f in inputs.QUOTE_SCHEMA.fields if f.kind is Kind.OUTPUT and f.api}


def _outputs(props: Mapping[str, Any], quote: Mapping[str, Any], target: _aws.Target) -> dict[str, Any]:
    flat = flatten_quote(quote)
    outs = {name: props.get(name) for name in inputs.QUOTE_INPUTS}
    outs.update({name: flat.get(member) for name, member in _READ.items()})
    outs["failed_requirements"] = failed_requirements(flat)
    outs["region"] = target.region
    if outs["failed_requirements"] and flat.get("quote_status") == "CREATED":
        renew = any(line.startswith("OUTPOST_RENEWAL_REQUIRED_ERROR") for line in outs["failed_requirements"])
        base.warn(
            f"quote {flat['quote_id']} fails ordering requirements; an order from it will be refused:\n  "
            + "\n  ".join(outs["failed_requirements"])
            + ("\n  The Outpost's term must be renewed first: declare an OutpostRenewal for it and apply it, then "
               "refresh the quote." if renew else "")
        )
    return {key: value for key, value in outs.items() if value is not None}


# --- helpers -------------------------------------------------------------------------------------
def _require_valid(props: Mapping[str, Any]) -> None:
    failures = inputs.check_inputs(props)
    if failures:
        raise QuoteError(
            "invalid quote inputs:\n" + "\n".join(f"  {f.property}: {f.reason}" for f in failures)
        )


def _frozen(quote: Mapping[str, Any]) -> str:
    ordered = f" (order {quote['SubmittedOrderId']})" if quote.get("SubmittedOrderId") else ""
    return (
        f"quote {quote['QuoteId']} is {quote['QuoteStatus']}{ordered} and can no longer change. Restore "
        "the inputs it was created with, or declare a new OutpostQuote resource for a new quote."
    )
