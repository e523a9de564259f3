"""The OutpostOrder dynamic provider: check, diff, create, read, update, delete — in that order.

The engine unpickles this class by reference (it lives in the installed package and holds no
state); clients and the stack's AWS config live outside the pickle. Lifecycle decisions are the
tables below, each with the business rule it mirrors. Create places an order at most once through
``placement`` (attempt journal, a look before the first send, reconciliation of unknown outcomes,
price expectations). The rule everywhere: a resource never has two live orders, an order is never
held by two resources, a cancelled order is never adopted as live. So a replacement is refused at
preview when it would leave the old order live, and an order this stack placed that cannot be found
is an error (wrong account, region or endpoint), never silently dropped.
"""

from __future__ import annotations

import enum
import sys
import uuid
from collections.abc import Callable, Collection, Mapping
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
from .same_order import TERMINAL_STATUSES, OrderSpec, is_unknown


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
# ``expected_price`` and ``distinct_from_order_ids`` guard the placement only; ``placement_key``
# names the resource in the attempt journal; ``retain_on_delete`` mirrors the resource option (set
# by ``OutpostOrder``) so that diff can refuse a replacement that would leave the order live.
# ``adopt_order_id`` matters at create only; afterwards it may be removed, but never point at
# another order.
IN_PLACE_INPUTS = ("profile", "expected_price", "placement_key", "retain_on_delete", "distinct_from_order_ids")

# Stack config: how far back (hours) the look before the first CreateOrder searches for an identical
# live order that an interrupted run may have placed.
WINDOW_CONFIG = "outposts-orders:recentOrderWindowHours"


class OutpostOrderProvider(ResourceProvider):
    """Dynamic provider of ``OutpostOrder`` (stateless; see the module docstring)."""

    serialize_as_secret_always = False  # nothing secret is ever captured: keep the pickle reviewable

    def configure(self, req: ConfigureRequest) -> None:
        """Remember the stack's aws config (``_aws.CONFIG_KEYS``) and the look-back window for this process."""
        _STACK[0] = _aws.StackAwsConfig.from_config(req.config.get)
        _WINDOW[0] = _window_hours(req.config.get(WINDOW_CONFIG))

    # --- check -----------------------------------------------------------------------------------
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate every known input locally; no API call.

        ``olds`` present means the stack holds this resource: its journal record is marked
        ``recorded``, so a later create of the same resource never silently re-adopts that order.
        A new resource also needs a region and profile that resolve (``_aws.check_target``)."""
        failures = [check_failure(f, news) for f in inputs.check_inputs(news)]
        if not olds and not failures:
            unusable = _aws.check_target(news.get("region"), news.get("profile"), _STACK[0])
            if unusable is not None:
                failures.append(check_failure(inputs.Failure(unusable.setting, str(unusable)), news))
        key = _text(olds.get("placement_key"))
        if key:
            Journal().recorded(key)
        return CheckResult(news, failures)

    # --- diff ------------------------------------------------------------------------------------
    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Replace (cancel first) on any change to what was ordered; no API call."""
        adopt = news.get("adopt_order_id")
        if isinstance(adopt, str) and not is_unknown(adopt) and adopt != id_:
            raise OrderError(
                f"this resource tracks order {id_}; adopt_order_id now names {adopt}. Adopt another "
                "order with a new resource (and `pulumi state delete` this one if it should be forgotten)."
            )
        replaces = [d.property for d in inputs.differences(news, olds)]
        if replaces:
            _refuse_replacing_live(id_, olds, news, replaces)
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
        account = _aws.account(target)  # before anything is sent: the order records where it lives
        order = _adopt(target, props) if props.get("adopt_order_id") else _place(target, props)
        return CreateResult(order["OrderId"], _outputs(props, order, target, account))

    # --- read ------------------------------------------------------------------------------------
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: the account check, then one GetOrder. An order that cannot be found stays in the stack:
        the refresh fails. State from before accounts were recorded gets the caller's account."""
        target = _target(props)
        account = _aws.require_account(target, _text(props.get("account_id")), f"refresh of order {id_}: the order")
        order = _find_tracked(target, id_, "refresh")
        key = _text(props.get("placement_key"))
        if key:  # the stack tracks it: claim it on this machine too (imports, refresh on a new runner)
            holder = Journal().track(key, OrderSpec.of_order(order), target.region, id_)
            if holder is not None:
                _warn(f"order {id_} is tracked by two resources: this one and {holder}. An order belongs to one "
                      "resource: remove one of them from the stack (`pulumi state delete <urn>`).")
        return ReadResult(id_, _outputs(props, order, target, account))

    # --- update ----------------------------------------------------------------------------------
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Only ``IN_PLACE_INPUTS`` change in place; no Outposts call. The (new) credentials must still
        reach the order's account: a ``profile`` change to another account is refused."""
        target = _target({**news, "region": olds.get("region")})
        account = _aws.require_account(target, _text(olds.get("account_id")), f"update of order {id_}: the order")
        outs = dict(olds)
        outs.update({name: news.get(name) for name in IN_PLACE_INPUTS})
        outs["account_id"] = account
        return UpdateResult({key: value for key, value in outs.items() if value is not None})

    # --- delete ----------------------------------------------------------------------------------
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Cancel while cancellable, forget history, refuse an order in flight (see ``ON_DELETE``);
        never through credentials of another account than the order's."""
        target = _target(props)
        _aws.require_account(target, _text(props.get("account_id")), f"delete of order {id_}: the order")
        order = _find_tracked(target, id_, "delete")
        action = ON_DELETE.get(order["Status"], OnDelete.REFUSE)
        if action is OnDelete.CANCEL and not _cancel(target, id_):
            order = find_order(target, id_) or order  # lost a race: it moved on meanwhile
            action = ON_DELETE.get(order["Status"], OnDelete.REFUSE)
            if action is OnDelete.CANCEL:
                action = OnDelete.REFUSE
        if action is OnDelete.REFUSE:
            raise OrderError(refusal(id_, order["Status"]))
        _journal(props, lambda journal, key: journal.released(key, id_))


def check_failure(failure: inputs.Failure, props: Mapping[str, Any]) -> CheckFailure:
    """A failure as the engine shows it: it prints the value of ``property`` from the inputs, so the
    property is the top-level input (``line_items``), or none when that input is absent (the engine
    would print ``<nil>``); the reason always starts with the full path."""
    top = failure.property.split("[", 1)[0].split(".", 1)[0]
    reason = failure.reason if failure.reason.startswith(failure.property) else f"{failure.property}: {failure.reason}"
    return CheckFailure(top if props.get(top) is not None else "", reason)


def refusal(order_id: str, status: str) -> str:
    """Why an order cannot be deleted, and the ways out (none of which places a second order)."""
    return (
        f"order {order_id} is {status} and can no longer be cancelled; it stays in the stack and nothing "
        "new was ordered. If a change to what is ordered caused this, revert it: an order in flight cannot "
        "be changed, and more hardware is ordered with a new OutpostOrder resource. To stop managing the "
        "order while it completes, remove it from the program and the stack with "
        "`pulumi state delete <urn>` (the order itself continues)."
    )


def _refuse_replacing_live(id_: str, olds: Mapping[str, Any], news: Mapping[str, Any], changed: list[str]) -> None:
    """Fail the preview when replacing would leave order ``id_`` live beside a new one."""
    status = olds.get("status")
    if status in TERMINAL_STATUSES:
        return  # history: a replacement places a new order and leaves nothing live behind
    subject = f"order {id_} ({status or 'status unknown'} at the last refresh)"
    what = f"changed: {', '.join(changed)}"
    if news.get("retain_on_delete") or olds.get("retain_on_delete"):
        raise OrderError(
            f"this change would replace {subject}, but the resource has retain_on_delete: the order would "
            f"stay live and a second one would be placed ({what}). Nothing was ordered. Revert the change; "
            "to order more hardware, declare a new OutpostOrder resource; to change this order, remove "
            "retain_on_delete first (it is then cancelled before the new one is placed)."
        )
    if ON_DELETE.get(str(status), OnDelete.CANCEL) is OnDelete.REFUSE:
        raise OrderError(
            f"this change would replace {subject}, which can no longer be cancelled ({what}). Nothing was "
            "ordered. Revert the change: an order in flight cannot be changed. To order more hardware, "
            "declare a new OutpostOrder resource."
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
    """Place the order at most once (see ``placement``): ListOrders + CreateOrder in the fault-free path."""
    key = _text(props.get("placement_key")) or f"unkeyed/{uuid.uuid4()}"
    expected = props.get("expected_price")
    guard = expected if isinstance(expected, Mapping) else None
    distinct: Collection[str] = props.get("distinct_from_order_ids") or ()
    return placement.place(target, inputs.create_params(props), key, guard,
                           distinct_from=distinct, window_hours=_WINDOW[0])


def _adopt(target: _aws.Target, props: Mapping[str, Any]) -> dict[str, Any]:
    """Adopt ``adopt_order_id`` (one GetOrder): it must exist, be live or history, match, and be unheld."""
    order_id = str(props["adopt_order_id"])
    order = find_order(target, order_id)
    if order is None:
        raise OrderError(
            f"cannot adopt order {order_id}: it does not exist ({_aws.describe_caller(target)}); nothing ordered"
        )
    if order.get("Status") in ("CANCELLED", "ERROR"):
        raise OrderError(f"cannot adopt order {order_id}: it is {order['Status']}, so there is nothing to track; "
                         "nothing ordered")
    found = inputs.differences(props, _outputs(props, order, target))
    if found:
        raise OrderError(
            f"cannot adopt order {order_id}: it does not match the declared inputs; nothing "
            f"ordered. Make the inputs match the order:\n{inputs.describe(found)}"
        )
    key = _text(props.get("placement_key")) or f"unkeyed/{uuid.uuid4()}"
    journal = Journal()
    with journal.lock():
        holder = journal.claims(key).get(order_id)
        if holder is not None:
            raise OrderError(
                f"cannot adopt order {order_id}: resource {holder} already tracks it, and an order is tracked by "
                "one resource only; nothing ordered. If that resource no longer exists (removed with `pulumi state "
                f"delete`), delete its journal record {journal.path_of(holder)} and run again."
            )
        journal.hold(key, OrderSpec.of_order(order), target.region, order_id)
    return order


# --- helpers -------------------------------------------------------------------------------------
_STACK: list[_aws.StackAwsConfig] = [_aws.StackAwsConfig()]
_WINDOW: list[float] = [placement.RECENT_WINDOW_HOURS]


def _window_hours(value: Any) -> float:
    if value is None:
        return placement.RECENT_WINDOW_HOURS
    try:
        hours = float(value)
    except (TypeError, ValueError):
        hours = -1.0
    if not 0 <= hours < float("inf"):
        raise OrderError(f"{WINDOW_CONFIG} must be a number of hours >= 0 (got {value!r})")
    return hours


def _find_tracked(target: _aws.Target, order_id: str, operation: str) -> dict[str, Any]:
    """GetOrder of an order the stack tracks. Orders are never deleted by AWS, so "not found" means
    the call went to the wrong account, region or endpoint: an error, and the order stays tracked."""
    order = find_order(target, order_id)
    if order is None:
        raise OrderError(
            f"{operation} of order {order_id}: AWS says it does not exist ({_aws.describe_caller(target)}). "
            "Outposts orders are never deleted, so these credentials or this endpoint most likely reach "
            "another account or region than the one the order was placed in; the order stays in the stack. "
            "Fix the AWS configuration and run again. If the order truly no longer exists, remove it from "
            "the stack yourself with `pulumi state delete <urn>`."
        )
    return order


def _target(props: Mapping[str, Any]) -> _aws.Target:
    # ``region`` in outputs is where the order was placed; a later change of aws:region or of the
    # environment must not send reads and cancels elsewhere.
    return _aws.resolve_target(_text(props.get("region")), _text(props.get("profile")), _STACK[0])


def _outputs(props: Mapping[str, Any], order: Mapping[str, Any], target: _aws.Target,
             account: str | None = None) -> dict[str, Any]:
    outs = {name: props.get(name) for name in inputs.ORDER_INPUTS}
    outs.update(flatten_order(order))
    outs["outpost_identifier"] = props.get("outpost_identifier") or outs["outpost_id"]
    outs["region"] = target.region
    outs["account_id"] = account  # the account the order lives in; never a credential
    return {key: value for key, value in outs.items() if value is not None}


def _journal(props: Mapping[str, Any], change: Callable[[Journal, str], None]) -> None:
    """Apply ``change`` to the journal record of the resource whose state is ``props``, if it has a key."""
    key = _text(props.get("placement_key"))
    if key:
        change(Journal(), key)


def _where(target: _aws.Target) -> str:
    return f"region {target.region}" + (f" (profile {target.profile})" if target.profile else "")


def _warn(message: str) -> None:
    # The engine shows a provider's stderr in the update's diagnostics.
    print(f"warning: {message}", file=sys.stderr, flush=True)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
