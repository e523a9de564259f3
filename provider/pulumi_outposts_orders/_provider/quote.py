"""The OutpostQuote dynamic provider: check, diff, create, read, update, delete — in that order.

A quote costs nothing: it prices options for requested capacity. Once an order is placed from it
(QuoteStatus ORDER_SUBMITTED) it is the record of that order and can no longer change or be
deleted. Like the order provider, this class is pickled by reference and holds no state.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, cast

from botocore.model import StructureShape
from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from .. import _aws
from .._errors import describe, error_code
from .._model import service_model
from .._shapes import flatten
from . import quote_inputs as inputs
from .finders import find_quote
from .order import _warn, _where, check_failure
from .order_inputs import Failure


class QuoteError(Exception):
    """A quote operation failed; the message is meant for the person running ``pulumi``."""


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


class OutpostQuoteProvider(ResourceProvider):
    """Dynamic provider of ``OutpostQuote`` (stateless; see the module docstring)."""

    serialize_as_secret_always = False  # nothing secret is captured: keep the pickle reviewable

    def configure(self, req: ConfigureRequest) -> None:
        """Remember the stack's aws config (``_aws.CONFIG_KEYS``) for this provider process."""
        _STACK[0] = _aws.StackAwsConfig.from_config(req.config.get)

    # --- check -----------------------------------------------------------------------------------
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate every known input locally from the CreateQuote shape; no API call. A new quote also
        needs a region and profile that resolve (``_aws.check_target``)."""
        failures = [check_failure(f, news) for f in inputs.check_inputs(news)]
        if not olds and not failures:
            unusable = _aws.check_target(news.get("region"), news.get("profile"), _STACK[0])
            if unusable is not None:
                failures.append(check_failure(Failure(unusable.setting, str(unusable)), news))
        return CheckResult(news, failures)

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
        target = _target(props)
        params = inputs.create_params(props)
        try:
            # CreateQuote has no idempotency token either: sent once, never re-sent blindly.
            response = _aws.client(target, _aws.Calls.SEND_ONCE).create_quote(**params)
        except Exception as exc:
            raise describe(exc, "CreateQuote", f"a new quote in {params['CountryCode']}", target) from exc
        quote: dict[str, Any] = response["Quote"]
        # AWS names the quote's account; asking STS is only needed when it does not.
        account = quote.get("AccountId") or _aws.account(target)
        return CreateResult(quote["QuoteId"], _outputs(props, {**quote, "AccountId": account}, target))

    # --- read ------------------------------------------------------------------------------------
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: the account check, then one GetQuote; a vanished quote leaves the stack with a warning
        (a quote of another account is never taken for a vanished one)."""
        target = _target(props)
        _aws.require_account(target, _recorded(props), f"refresh of quote {id_}: the quote")
        quote = find_quote(target, id_)
        if quote is None:
            _warn(f"quote {id_} no longer exists in {_where(target)}: removed from the stack")
            return ReadResult("", {})
        return ReadResult(id_, _outputs(props, quote, target))

    # --- update ----------------------------------------------------------------------------------
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """One UpdateQuote for changed request members (none when only ``profile`` changed)."""
        _require_valid(news)
        target = _target({**news, "region": olds.get("region")})
        account = _aws.require_account(target, _recorded(olds), f"update of quote {id_}: the quote")
        params = inputs.update_params(id_, olds, news)
        if len(params) == 1:  # only the quote's identifier: nothing AWS needs to know
            kept = {**olds, **{name: news.get(name) for name in inputs.QUOTE_INPUTS}, "account_id": account}
            return UpdateResult({key: value for key, value in kept.items() if value is not None})
        try:
            response = _aws.client(target).update_quote(**params)
        except Exception as exc:
            quote = find_quote(target, id_) if error_code(exc) in ("ValidationException", "ConflictException") else None
            if quote is not None and quote.get("QuoteStatus") not in UPDATABLE:
                raise QuoteError(_frozen(quote)) from exc
            raise describe(exc, "UpdateQuote", f"quote {id_}", target) from exc
        return UpdateResult(_outputs(news, response["Quote"], target))

    # --- delete ----------------------------------------------------------------------------------
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Delete an unordered quote; forget one that became an order (see ``ON_DELETE``); never through
        credentials of another account than the quote's."""
        target = _target(props)
        _aws.require_account(target, _recorded(props), f"delete of quote {id_}: the quote")
        quote = find_quote(target, id_)
        if quote is None:
            _warn(f"quote {id_} no longer exists in {_where(target)}: nothing to delete")
            return
        if ON_DELETE.get(quote["QuoteStatus"], OnDelete.DELETE) is OnDelete.FORGET:
            return
        try:
            _aws.client(target).delete_quote(QuoteIdentifier=id_)
        except Exception as exc:
            if error_code(exc) == "NotFoundException":
                return
            again = find_quote(target, id_)  # lost a race: ordered meanwhile?
            if again is not None and ON_DELETE.get(again["QuoteStatus"]) is OnDelete.FORGET:
                return
            raise describe(exc, "DeleteQuote", f"quote {id_}", target) from exc


# --- finders -------------------------------------------------------------------------------------
# --- shapes --------------------------------------------------------------------------------------
def flatten_quote(quote: Mapping[str, Any]) -> dict[str, Any]:
    """A ``Quote`` response in snake_case (``quote_id``, ``quote_status``, ``quote_options``…)."""
    output = cast(StructureShape, service_model().operation_model("GetQuote").output_shape)
    flat: dict[str, Any] = flatten(output.members["Quote"], quote)
    return flat


def failed_requirements(flat: Mapping[str, Any]) -> list[str]:
    """Ordering requirements that FAIL, one line each: ``TYPE: message``."""
    return [
        f"{r['ordering_requirement_type']}: {r.get('status_message') or 'failed'}"
        for r in flat.get("ordering_requirements") or []
        if r.get("status") == "FAIL"
    ]


# Computed outputs: name -> member of the flattened Quote.
_COMPUTED = {
    "quote_id": "quote_id",
    "status": "quote_status",
    "status_message": "status_message",
    "account_id": "account_id",
    "outpost_arn": "outpost_arn",
    "created_date": "created_date",
    "expiration_date": "expiration_date",
    "submitted_order_id": "submitted_order_id",
    "quote_options": "quote_options",
    "ordering_requirements": "ordering_requirements",
}


def _outputs(props: Mapping[str, Any], quote: Mapping[str, Any], target: _aws.Target) -> dict[str, Any]:
    flat = flatten_quote(quote)
    outs = {name: props.get(name) for name in inputs.QUOTE_INPUTS}
    outs.update({name: flat.get(member) for name, member in _COMPUTED.items()})
    outs["failed_requirements"] = failed_requirements(flat)
    outs["region"] = target.region
    if outs["failed_requirements"] and flat.get("quote_status") == "CREATED":
        _warn(
            f"quote {flat['quote_id']} fails ordering requirements; an order from it will be refused:\n  "
            + "\n  ".join(outs["failed_requirements"])
        )
    return {key: value for key, value in outs.items() if value is not None}


# --- helpers -------------------------------------------------------------------------------------
_STACK: list[_aws.StackAwsConfig] = [_aws.StackAwsConfig()]


def _target(props: Mapping[str, Any]) -> _aws.Target:
    # ``region`` in outputs is where the quote was created: later calls go there.
    region, profile = props.get("region"), props.get("profile")
    return _aws.resolve_target(
        region if isinstance(region, str) and region else None,
        profile if isinstance(profile, str) and profile else None,
        _STACK[0],
    )


def _recorded(props: Mapping[str, Any]) -> str | None:
    account = props.get("account_id")
    return account if isinstance(account, str) and account else None


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
