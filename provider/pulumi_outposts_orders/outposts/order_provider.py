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

import uuid
from collections.abc import Collection, Mapping
from typing import Any

from pulumi.dynamic import CheckResult, ConfigureRequest, CreateResult, DiffResult, ReadResult, UpdateResult

from pulumi_outposts_orders._unknowns import is_unknown
from pulumi_outposts_orders.aws import clients as _clients
from pulumi_outposts_orders.aws import settings as _aws
from pulumi_outposts_orders.aws.errors import OrderError, error_code, explain
from pulumi_outposts_orders.claims import store as claims_store
from pulumi_outposts_orders.claims.identity import identity
from pulumi_outposts_orders.claims.journal import Journal, JournalError, running, scope_of
from pulumi_outposts_orders.outposts import order_inputs as inputs
from pulumi_outposts_orders.outposts import placement
from pulumi_outposts_orders.outposts import provider_base as base
from pulumi_outposts_orders.outposts.finders import find_order
from pulumi_outposts_orders.outposts.provider_base import OutpostsProvider
from pulumi_outposts_orders.outposts.same_order import OrderSpec, canonical_id
from pulumi_outposts_orders.outposts.shapes import flatten_order
from pulumi_outposts_orders.outposts.statuses import NEVER_FULFILLED, TERMINAL_STATUSES, OnDelete, on_delete

# --- lifecycle tables ----------------------------------------------------------------------------
# Stack config: how far back (hours) the look before the first CreateOrder searches for an identical
# live order that an interrupted run may have placed.
WINDOW_CONFIG = "outposts-orders:recentOrderWindowHours"


class OutpostOrderProvider(OutpostsProvider):
    """Dynamic provider of ``OutpostOrder`` (stateless; see the module docstring)."""

    def configure(self, req: ConfigureRequest) -> None:
        """Remember the stack's aws config, the look-back window (``WINDOW_CONFIG``) and the units-per-line limit
        (``order_inputs.MAX_UNITS_CONFIG``) for this process."""
        super().configure(req)
        _WINDOW[0] = _window_hours(req.config.get(WINDOW_CONFIG))
        try:
            inputs.MAX_UNITS_PER_LINE[0] = inputs.max_units_per_line(req.config.get(inputs.MAX_UNITS_CONFIG))
        except ValueError as exc:
            raise OrderError(str(exc)) from None

    # --- check -----------------------------------------------------------------------------------
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate every known input locally; no API call. A new resource also needs a region and
        profile that resolve. The resource's identity is carried forward (``identity``); the one write of
        this query is a rename's alias in the journal."""
        checked = dict(news)
        key = identity(olds.get("placement_key"), news.get("placement_key"))
        if key is not None:
            checked["placement_key"] = key
        return self.checked(olds, checked, inputs.check_inputs(checked))

    # --- diff ------------------------------------------------------------------------------------
    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Replace (cancel first) on any change to what was ordered; no API call (one GetOrder only when
        ``adopt_order_id`` names another order than the one tracked)."""
        adopt = news.get("adopt_order_id")
        adopting_another = isinstance(adopt, str) and not is_unknown(adopt) and adopt != id_
        if adopting_another and not _is_history(id_, olds):
            raise OrderError(
                f"this resource tracks order {id_}, which is not history; adopt_order_id now names {adopt}. Adopt "
                "another order with a new resource (and `pulumi state delete` this one if it should be forgotten)."
            )
        replaces = [d.property for d in inputs.differences(news, olds)]
        if adopting_another and "adopt_order_id" not in replaces:
            replaces.append("adopt_order_id")  # the old order is history: forget it, adopt the new one
        if replaces:
            _refuse_reordering_quote(id_, olds, news, replaces)
            _refuse_replacing_live(id_, olds, news, replaces)
        _track_in_journal(id_, olds, must=bool(replaces))
        updates = [name for name in inputs.IN_PLACE_INPUTS if news.get(name) != olds.get(name)]
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
        target = base.target(props)
        account = _clients.account(target)  # before anything is sent: the order records where it lives
        journal = scoped_journal(target, account)
        order = _adopt(target, props, journal) if props.get("adopt_order_id") else _place(target, props, journal)
        return CreateResult(order["OrderId"], outputs(props, order, target, account))

    # --- read ------------------------------------------------------------------------------------
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: the account check, then one GetOrder. An order that cannot be found stays in the stack:
        the refresh fails. State from before accounts were recorded gets the caller's account."""
        target = base.target(props)
        account = _clients.require_account(target, base.recorded_account(props), f"refresh of order {id_}: the order")
        order = _find_tracked(target, id_, "refresh")
        key = base.text(props.get("placement_key"))
        if key:  # the stack tracks it: claim it on this machine too (imports, refresh on a new runner)
            _claim(scoped_journal(target, account), key, OrderSpec.of_order(order), target.region, id_)
        return ReadResult(id_, outputs(props, order, target, account))

    # --- update ----------------------------------------------------------------------------------
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Only the schema's in-place inputs (``inputs.IN_PLACE_INPUTS``) change; no Outposts call. The (new)
        credentials must still reach the order's account: a ``profile`` change to another account is refused."""
        target = base.target({**news, "region": olds.get("region")})
        account = _clients.require_account(target, base.recorded_account(olds), f"update of order {id_}: the order")
        outs = dict(olds)
        outs.update({name: news.get(name) for name in inputs.IN_PLACE_INPUTS})
        outs["account_id"] = account
        return UpdateResult({key: value for key, value in outs.items() if value is not None})

    # --- delete ----------------------------------------------------------------------------------
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Cancel while cancellable, forget history, refuse an order in flight (see ``ON_DELETE``);
        never through credentials of another account than the order's."""
        target = base.target(props)
        account = _clients.require_account(target, base.recorded_account(props), f"delete of order {id_}: the order")
        order = _find_tracked(target, id_, "delete")
        action = on_delete(order["Status"])
        if action is OnDelete.CANCEL and not _cancel(target, id_):
            order = find_order(target, id_) or order  # lost a race: it moved on meanwhile
            action = on_delete(order["Status"])
            if action is OnDelete.CANCEL:
                action = OnDelete.REFUSE
        if action is OnDelete.REFUSE:
            raise OrderError(refusal(id_, order["Status"]))
        key = base.text(props.get("placement_key"))
        if key:
            scoped_journal(target, account).released(key, id_)


def refusal(order_id: str, status: str) -> str:
    """Why an order cannot be deleted, and the ways out (none of which places a second order)."""
    return (
        f"order {order_id} is {status} and can no longer be cancelled; it stays in the stack and nothing "
        "new was ordered. If a change to what is ordered caused this, revert it: an order in flight cannot "
        "be changed, and more hardware is ordered with a new OutpostOrder resource. To stop managing the "
        "order while it completes, remove it from the program and the stack with "
        "`pulumi state delete <urn>` (the order itself continues)."
    )


def _is_history(order_id: str, olds: Mapping[str, Any]) -> bool:
    """Whether ``order_id`` is history now: as last refreshed, else by one GetOrder (a replacement that cancelled
    it and then failed leaves it in the state as it was, and the engine does not refresh it)."""
    if on_delete(olds.get("status")) is OnDelete.FORGET:
        return True
    order = find_order(base.target(olds), order_id)
    return order is not None and on_delete(order.get("Status")) is OnDelete.FORGET


def scoped_journal(target: _aws.Target, account: str) -> Journal:
    """The journal (this machine's, or the shared claim store) for orders in ``target``'s endpoint, region and
    ``account``."""
    endpoint = str(_clients.client(target).meta.endpoint_url)
    return claims_store.journal(scope_of(endpoint, target.region, account))


def _journal_of_state(props: Mapping[str, Any]) -> Journal | None:
    """The scoped journal of an order in state (``None`` for state without an account, or no target)."""
    account = base.recorded_account(props)
    if account is None:
        return None
    try:
        return scoped_journal(base.target(props), account)
    except Exception:  # a profile that does not resolve here: the operation itself reports it
        return None


def _track_in_journal(order_id: str, olds: Mapping[str, Any], must: bool) -> None:
    """Claim the order the stack tracks for this resource in this machine's journal, so a create that
    replaces it knows it, whatever the engine then does with Delete (retained, skipped, targeted). When
    the diff replaces (``must``), a journal that cannot be written fails the preview."""
    key, journal = base.text(olds.get("placement_key")), _journal_of_state(olds)
    if key is None or journal is None or olds.get("status") in TERMINAL_STATUSES:
        return
    try:
        _claim(journal, key, OrderSpec.of_order(olds), str(olds.get("region")), order_id)
    except JournalError as exc:
        if must:
            raise OrderError(f"replacing order {order_id} needs {journal.named}: {exc} "
                             "Nothing was cancelled or ordered.") from exc
        base.warn(str(exc))


def _claim(journal: Journal, key: str, spec: OrderSpec, region: str, order_id: str) -> None:
    """Record in ``journal`` that the stack tracks ``order_id`` as ``key``; warn when another resource holds it."""
    holder = journal.track(key, spec, region, order_id)
    if holder is not None:
        base.warn(f"order {order_id} is tracked by two resources: this one and {holder}. An order belongs to one "
                  "resource: remove one of them from the stack (`pulumi state delete <urn>`).")


def _refuse_reordering_quote(id_: str, olds: Mapping[str, Any], news: Mapping[str, Any], changed: list[str]) -> None:
    """Fail the preview when a replacement would order again from the quote ``id_`` was ordered from."""
    quote = canonical_id(olds.get("quote_identifier"))
    if quote is None or canonical_id(news.get("quote_identifier")) != quote:
        return
    raise OrderError(
        f"this change would replace order {id_}, which was ordered from quote {quote} (changed: "
        f"{', '.join(changed)}). A quote is ordered once, so it cannot be ordered again with another option "
        "or term: the old order would be cancelled and the new one refused. Nothing was cancelled or ordered. "
        "Revert the change; to order something else, request a new quote (OutpostQuote) and order from it."
    )


def _refuse_replacing_live(id_: str, olds: Mapping[str, Any], news: Mapping[str, Any], changed: list[str]) -> None:
    """Fail the preview when replacing would leave order ``id_`` live beside a new one."""
    status = olds.get("status")
    if on_delete(status) is OnDelete.FORGET:
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
    if on_delete(status) is OnDelete.REFUSE:
        raise OrderError(
            f"this change would replace {subject}, which can no longer be cancelled ({what}). Nothing was "
            "ordered. Revert the change: an order in flight cannot be changed. To order more hardware, "
            "declare a new OutpostOrder resource."
        )


# --- finders and calls ---------------------------------------------------------------------------
def _cancel(target: _aws.Target, order_id: str) -> bool:
    """One CancelOrder; ``False`` when the order is no longer cancellable (ConflictException)."""
    try:
        _clients.client(target).cancel_order(OrderId=order_id)
    except Exception as exc:
        if error_code(exc) == "ConflictException":
            return False
        raise explain(exc, "CancelOrder", f"order {order_id}", target) from exc
    return True


def _place(target: _aws.Target, props: Mapping[str, Any], journal: Journal) -> dict[str, Any]:
    """Place the order at most once (see ``placement``): ListOrders + CreateOrder in the fault-free path."""
    key = base.text(props.get("placement_key")) or f"unkeyed/{uuid.uuid4()}"
    expected = props.get("expected_price")
    guard = expected if isinstance(expected, Mapping) else None
    distinct: Collection[str] = props.get("distinct_from_order_ids") or ()
    return placement.place(target, inputs.create_params(props), key, guard, journal=journal,
                           distinct_from=distinct, window_hours=_WINDOW[0])


def _adopt(target: _aws.Target, props: Mapping[str, Any], journal: Journal) -> dict[str, Any]:
    """Adopt ``adopt_order_id`` (one GetOrder): it must exist, be live or history, match, and be unheld.

    The adoption is visible meanwhile as an attempt being settled: an unsettled record of this resource (its
    earlier CreateOrder went unanswered) is resumed, and a resource without one (its earlier create stopped
    before sending) gets one, so that an identical resource reconciling in the same run waits for this claim
    instead of naming the order as a candidate. If the adoption fails, the record is put back as it was."""
    key = base.text(props.get("placement_key")) or f"unkeyed/{uuid.uuid4()}"
    with running(key):
        earlier = journal.get(key)
        if earlier is not None and earlier.unsettled():
            journal.resume(earlier)
        elif earlier is None or earlier.state == "released":
            journal.begin(key, OrderSpec.of_params(inputs.create_params(props)), target.region, known_before=None)
        try:
            return _adopt_order(target, props, journal, key)
        except BaseException:
            if earlier is not None and (earlier.unsettled() or earlier.state == "released"):
                journal.restore(earlier)
            elif earlier is None:
                journal.discard(key)
            raise


def _adopt_order(target: _aws.Target, props: Mapping[str, Any], journal: Journal, key: str) -> dict[str, Any]:
    order_id = str(props["adopt_order_id"])
    order = find_order(target, order_id)
    if order is None:
        raise OrderError(
            f"cannot adopt order {order_id}: it does not exist ({_clients.describe_caller(target)}); nothing ordered"
        )
    if order.get("Status") in NEVER_FULFILLED:
        raise OrderError(f"cannot adopt order {order_id}: it is {order['Status']}, so there is nothing to track; "
                         "nothing ordered")
    found = inputs.differences(props, outputs(props, order, target))
    if found:
        raise OrderError(
            f"cannot adopt order {order_id}: it does not match the declared inputs; nothing "
            f"ordered. Make the inputs match the order:\n{inputs.list_differences(found)}"
        )
    with journal.lock():
        holder = journal.claims(key).get(order_id)
        if holder is not None:
            raise OrderError(
                f"cannot adopt order {order_id}: resource {holder} already tracks it, and an order is tracked by "
                "one resource only; nothing ordered. If that resource no longer exists (removed with `pulumi state "
                f"delete`), release its record {journal.where(holder)} and run again."
            )
        journal.hold(key, OrderSpec.of_order(order), target.region, order_id)
    return order


# --- helpers -------------------------------------------------------------------------------------
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
            f"{operation} of order {order_id}: AWS says it does not exist ({_clients.describe_caller(target)}). "
            "Outposts orders are never deleted, so these credentials or this endpoint most likely reach "
            "another account or region than the one the order was placed in; the order stays in the stack. "
            "Fix the AWS configuration and run again. If the order truly no longer exists, remove it from "
            "the stack yourself with `pulumi state delete <urn>`."
        )
    return order


def outputs(props: Mapping[str, Any], order: Mapping[str, Any], target: _aws.Target,
            account: str | None = None) -> dict[str, Any]:
    """The state the provider records for ``order`` (a GetOrder ``Order``) declared by ``props``: every
    input, the order in snake_case, where it lives (``region``, ``account_id``). ``importer`` calls it too."""
    outs = {name: props.get(name) for name in inputs.ORDER_INPUTS}
    outs.update(flatten_order(order))
    outs["outpost_identifier"] = props.get("outpost_identifier") or outs["outpost_id"]
    outs["region"] = target.region
    outs["account_id"] = account  # the account the order lives in; never a credential
    return {key: value for key, value in outs.items() if value is not None}


_outputs = outputs  # the name tests/orders/test_order_diff.py imports


