"""The OutpostOrder dynamic provider: check, diff, create, read, update, delete — in that order.

The engine unpickles this class by reference (it lives in the installed package and holds no
state); clients and the stack's AWS config live outside the pickle. Lifecycle decisions are the
tables below, each with the business rule it mirrors. Create places an order at most once through
``placement`` (attempt journal, reconciliation of unknown outcomes, price expectations).
"""

from __future__ import annotations

import enum
import sys
import uuid
from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from .. import _aws
from .._errors import OrderError, describe, error_code
from .._shapes import flatten_order
from . import order_inputs as inputs
from . import placement
from .attempts import Journal
from .finders import find_order


# --- lifecycle tables ----------------------------------------------------------------------------
class OnDelete(enum.Enum):
    """What ``pulumi destroy`` (or a replacement) does with an order in a given status."""

    CANCEL = "cancel"  # still cancellable: CancelOrder
    FORGET = "forget"  # history: nothing left to stop, drop it from the stack
    REFUSE = "refuse"  # in flight and not cancellable: fail, never lose track of it silently


# Only orders that have not started building can be cancelled (AWS: CancelOrder answers
# ConflictException otherwise). RECEIVED/PENDING/PROCESSING/INSTALLING/FULFILLED are deprecated
# statuses, mapped to their current equivalents. Any status not listed is refused.
ON_DELETE: dict[str, OnDelete] = {
    "PREPARING": OnDelete.CANCEL,
    "RECEIVED": OnDelete.CANCEL,
    "PENDING": OnDelete.CANCEL,
    "IN_PROGRESS": OnDelete.REFUSE,
    "PROCESSING": OnDelete.REFUSE,
    "DELIVERED": OnDelete.REFUSE,
    "INSTALLING": OnDelete.REFUSE,
    "COMPLETED": OnDelete.FORGET,
    "FULFILLED": OnDelete.FORGET,
    "CANCELLED": OnDelete.FORGET,
    "ERROR": OnDelete.FORGET,
}

# Inputs that are not what was ordered: a change is an in-place update with no API call.
# ``profile`` says how to reach the order (later reads and cancels use the new value);
# ``expected_price`` guards the placement only; ``placement_key`` names the resource in the
# attempt journal. ``adopt_order_id`` matters at create only; afterwards it may be removed, but
# never point at another order.
IN_PLACE_INPUTS = ("profile", "expected_price", "placement_key")


class OutpostOrderProvider(ResourceProvider):
    """Dynamic provider of ``OutpostOrder`` (stateless; see the module docstring)."""

    serialize_as_secret_always = False  # nothing secret is ever captured: keep the pickle reviewable

    def configure(self, req: ConfigureRequest) -> None:
        """Remember the stack's ``aws:region`` / ``aws:profile`` for this provider process."""
        _STACK[0] = _aws.StackAwsConfig.from_config(req.config.get)

    # --- check -----------------------------------------------------------------------------------
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate every known input locally; no API call."""
        failures = [CheckFailure(f.property, f.reason) for f in inputs.check_inputs(news)]
        return CheckResult(news, failures)

    # --- diff ------------------------------------------------------------------------------------
    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Replace (cancel first) on any change to what was ordered; no API call."""
        adopt = news.get("adopt_order_id")
        if isinstance(adopt, str) and not inputs.is_unknown(adopt) and adopt != id_:
            raise OrderError(
                f"this resource tracks order {id_}; adopt_order_id now names {adopt}. Adopt another "
                "order with a new resource (and `pulumi state delete` this one if it should be forgotten)."
            )
        _journal_recorded(olds, id_)
        replaces = [d.property for d in inputs.differences(news, olds)]
        updates = [name for name in IN_PLACE_INPUTS if news.get(name) != olds.get(name)]
        return DiffResult(
            changes=bool(replaces or updates),
            replaces=replaces,
            delete_before_replace=True,
        )

    # --- create ----------------------------------------------------------------------------------
    def create(self, props: dict[str, Any]) -> CreateResult:
        """Place one order (one CreateOrder), or adopt ``adopt_order_id`` (one GetOrder)."""
        failures = inputs.check_inputs(props)
        if failures:
            raise OrderError(
                "nothing ordered, invalid inputs:\n"
                + "\n".join(f"  {f.property}: {f.reason}" for f in failures)
            )
        target = _target(props)
        order = _adopt(target, props) if props.get("adopt_order_id") else _place(target, props)
        return CreateResult(order["OrderId"], _outputs(props, order, target))

    # --- read ------------------------------------------------------------------------------------
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh or import: one GetOrder; a vanished order leaves the stack with a warning."""
        target = _target(props)
        order = find_order(target, id_)
        if order is None:
            _warn(
                f"order {id_} no longer exists in {_where(target)}: removed from the stack. If this is "
                "the wrong account or region, adopt it again with `adopt_order_id` or `pulumi import`."
            )
            return ReadResult("", {})
        _journal_recorded(props, id_)
        return ReadResult(id_, _outputs(props, order, target))

    # --- update ----------------------------------------------------------------------------------
    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Only ``IN_PLACE_INPUTS`` change in place; no API call."""
        outs = dict(olds)
        outs.update({name: news.get(name) for name in IN_PLACE_INPUTS})
        return UpdateResult(outs)

    # --- delete ----------------------------------------------------------------------------------
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Cancel while cancellable, forget history, refuse an order in flight (see ``ON_DELETE``)."""
        _journal_recorded(props, id_)
        target = _target(props)
        order = find_order(target, id_)
        if order is None:
            _warn(f"order {id_} no longer exists in {_where(target)}: nothing to cancel")
            return
        action = ON_DELETE.get(order["Status"], OnDelete.REFUSE)
        if action is OnDelete.CANCEL and not _cancel(target, id_):
            order = find_order(target, id_) or order  # lost a race: it moved on meanwhile
            action = ON_DELETE.get(order["Status"], OnDelete.REFUSE)
            if action is OnDelete.CANCEL:
                action = OnDelete.REFUSE
        if action is OnDelete.REFUSE:
            raise OrderError(refusal(id_, order["Status"]))


def refusal(order_id: str, status: str) -> str:
    """Why an order cannot be deleted, and the two ways out."""
    return (
        f"order {order_id} is {status} and can no longer be cancelled; it stays in the stack. "
        "To stop managing it while it completes, either set the resource option "
        "`retain_on_delete=True` and run the update again, or remove it from the stack with "
        "`pulumi state delete <urn>` (the order itself continues)."
    )


# --- finders and calls ---------------------------------------------------------------------------
def _cancel(target: _aws.Target, order_id: str) -> bool:
    """One CancelOrder; ``False`` when the order is no longer cancellable (ConflictException)."""
    try:
        _aws.client(target).cancel_order(OrderId=order_id)
    except Exception as exc:
        if error_code(exc) == "ConflictException":
            return False
        raise describe(exc, "CancelOrder", f"order {order_id}", target) from exc
    return True


def _place(target: _aws.Target, props: Mapping[str, Any]) -> dict[str, Any]:
    """Place the order at most once (see ``placement``): one CreateOrder in the fault-free path."""
    key = _text(props.get("placement_key")) or f"unkeyed/{uuid.uuid4()}"
    expected = props.get("expected_price")
    guard = expected if isinstance(expected, Mapping) else None
    return placement.place(target, inputs.create_params(props), key, guard)


def _adopt(target: _aws.Target, props: Mapping[str, Any]) -> dict[str, Any]:
    order_id = str(props["adopt_order_id"])
    order = find_order(target, order_id)
    if order is None:
        raise OrderError(
            f"cannot adopt order {order_id}: it does not exist in {_where(target)}; nothing ordered"
        )
    found = inputs.differences(props, _outputs(props, order, target))
    if found:
        raise OrderError(
            f"cannot adopt order {order_id}: it does not match the declared inputs; nothing "
            f"ordered. Make the inputs match the order:\n{inputs.describe(found)}"
        )
    return order


# --- helpers -------------------------------------------------------------------------------------
_STACK: list[_aws.StackAwsConfig] = [_aws.StackAwsConfig()]


def _target(props: Mapping[str, Any]) -> _aws.Target:
    # ``region`` in outputs is where the order was placed; a later change of aws:region or of the
    # environment must not send reads and cancels elsewhere.
    return _aws.resolve_target(_text(props.get("region")), _text(props.get("profile")), _STACK[0])


def _outputs(props: Mapping[str, Any], order: Mapping[str, Any], target: _aws.Target) -> dict[str, Any]:
    outs = {name: props.get(name) for name in inputs.ORDER_INPUTS}
    outs.update(flatten_order(order))
    outs["outpost_identifier"] = props.get("outpost_identifier") or outs["outpost_id"]
    outs["region"] = target.region
    return {key: value for key, value in outs.items() if value is not None}


def _journal_recorded(props: Mapping[str, Any], order_id: str) -> None:
    """The engine passed ``order_id`` back: the stack holds it, nothing to reconcile for its key."""
    key = _text(props.get("placement_key"))
    if key:
        Journal().recorded(key, order_id)


def _where(target: _aws.Target) -> str:
    return f"region {target.region}" + (f" (profile {target.profile})" if target.profile else "")


def _warn(message: str) -> None:
    # The engine shows a provider's stderr in the update's diagnostics.
    print(f"warning: {message}", file=sys.stderr, flush=True)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
