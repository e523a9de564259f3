"""The AmazonBusinessOrder dynamic provider: check (no call), diff, create (one placeOrder), read (orderDetails).

Uniqueness: the order's ``externalId`` is a hash of the resource's key and a generation. The key is
fixed at first placement (organization/project/stack/resource, or ``organization/`` and the URN inside a
component) and carried forward by check through aliases, stack and project renames and moves into
components (``identity``), so a rename never changes ``externalId``. A retry after any failure, on any
machine, sends the same ``externalId`` and body, and Amazon answers the order already placed instead of placing another;
a retry with another body is refused (nothing placed), so a program edited after a lost response
cannot order twice either.

Replacement: a placed order can be neither changed nor cancelled, so check refuses a change to what is
ordered unless ``generation`` is raised with it (a typo fixed after placement must not silently add a
second order). A raised generation is a new ``externalId``: the replacement places a new order and the
old one continues. It is create-before-delete: the old order stays in the stack until the new one is
placed, and a failed replacement is retried with the same generation, so the same ``externalId``.
``pulumi up --replace`` with nothing changed keeps the generation: it reads the same order back and
places nothing. A resource destroyed and declared again starts at its ``generation`` input
(default 1) and so finds its old order again (same body) or is refused (another body): raise
``generation`` to order anew.

There is no cancel API: destroy forgets the order (a warning says it continues), and a replacement
leaves the old order live beside the new one, which preview warns about. No credential is ever in state.

Properties: ``inputs.AMAZON_BUSINESS_SCHEMA``. ``marketplace`` was called ``region``: check, diff, read and
update read a ``region`` in state written before the rename (or sent by a program) as ``marketplace``, so
an upgraded stack shows no change and its order is never replaced for it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from pulumi_outposts_orders._dynamic import check_failure, warn
from pulumi_outposts_orders._unknowns import is_unknown
from pulumi_outposts_orders.amazon_business import client, inputs, results
from pulumi_outposts_orders.amazon_business.outputs import AmazonBusinessLineItemResult
from pulumi_outposts_orders.aws import settings as _aws
from pulumi_outposts_orders.aws.errors import OrderError
from pulumi_outposts_orders.claims import store as claims_store
from pulumi_outposts_orders.claims.identity import identity
from pulumi_outposts_orders.claims.journal import Attempt, Journal, JournalError, RecordedSpec


class AmazonBusinessOrderProvider(ResourceProvider):
    """Dynamic provider of ``AmazonBusinessOrder`` (stateless: credentials live in the client module)."""

    serialize_as_secret_always = False

    def configure(self, req: ConfigureRequest) -> None:
        """Remember the stack's LWA config secrets for this process (never in state), and its claim store."""
        client.configure(req.config.get)
        configured = req.config.get(claims_store.CONFIG_KEY)
        if configured:  # the store is reached with the stack's aws config, as the Outposts provider reaches it
            claims_store.configure(str(configured), _aws.StackAwsConfig.from_config(req.config.get))

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Every rule, locally; and no change to a placed order unless ``generation`` is raised with it."""
        olds, news = inputs.renamed(olds), inputs.renamed(news)
        failures = [check_failure(f, news) for f in inputs.check_inputs(news)]
        if not failures and olds.get("order_generation") is not None and not olds.get("trial_mode"):
            failures = [check_failure(f, news) for f in inputs.unchangeable(olds, news)]  # a trial placed nothing
        checked = {**news, "order_key": identity(olds.get("order_key"), news.get("order_key"))}
        generation = news.get("generation")
        checked["order_generation"] = generation if is_unknown(generation) else 1 if failures else int(generation or 1)
        return CheckResult(checked, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Replace (create first) on any change to what is ordered, warning that the old order cannot be cancelled."""
        olds, news = inputs.renamed(olds), inputs.renamed(news)
        replaces = inputs.changed(olds, news)
        if replaces:
            warn(f"replacing Amazon Business order {id_} ({', '.join(replaces)} changed) places a new order; "
                 "the old one cannot be cancelled through the API and continues (cancel it on Amazon Business "
                 "if it must not arrive)")
        updates = [name for name in inputs.IN_PLACE_INPUTS if news.get(name) != olds.get(name)]
        return DiffResult(changes=bool(replaces or updates), replaces=replaces, delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """orderDetails by ``externalId`` (an earlier run's order is tracked, not placed again), else one
        placeOrder. All items rejected: fail, naming each rejection (nothing placed)."""
        props = inputs.renamed(props)
        failures = inputs.check_inputs(props)
        if failures:
            raise OrderError("nothing ordered, invalid inputs:\n" + "\n".join(f"  {f.property}: {f.reason}"
                                                                             for f in failures))
        external = inputs.external_id(str(props.get("order_key")), int(props.get("order_generation") or 1))
        journal, attempt = _record_attempt(props, external)
        request = inputs.place_request(props, external)
        try:
            placed = client.place_order(props["marketplace"], request, str(props["buyer_email"]))
        except client.AmazonBusinessError as error:
            _record_outcome(journal, attempt, "unsure" if error.outcome_unknown else None)
            raise OrderError(_explain(error, external)) from None
        rows = results.line_results(placed.result)
        if props.get("trial_mode"):
            return _trial(props, external, rows, journal, attempt)
        if placed.existed:
            try:
                _check_existing(request, rows, external)
            except OrderError:
                _record_outcome(journal, attempt, None)  # this attempt placed nothing
                raise
        _record_outcome(journal, attempt, "placed" if any(row["accepted_quantity"] for row in rows) else None,
                        external)
        if not any(row["accepted_quantity"] for row in rows):
            raise OrderError(f"Amazon Business rejected order {external}; nothing was placed:\n"
                             f"{results.describe_rejections(rows)}")
        if placed.existed:
            warn(f"Amazon Business order {external} already existed (an earlier run placed it, and its answer was "
                 "lost): it is tracked, nothing new was ordered. Its line items and quantities match; orderDetails "
                 "shows neither products nor the address: check them on Amazon Business if the program changed.")
        if any(row["rejected_quantity"] for row in rows):
            warn(f"Amazon Business order {external} was partially accepted; the accepted items are ordered "
                 f"and tracked, these were rejected:\n{results.describe_rejections(rows)}")
        props = props if placed.existed else {**props, "placed_at": _now()}
        return CreateResult(external, _outputs(props, external, rows))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: one orderDetails (as the buyer); the order report of its Amazon orders not yet closed or
        cancelled (``_reported``); the packages not yet delivered (``_tracked``). State written before
        ``marketplace`` was named reads the same, and is written back under the name now."""
        props = inputs.renamed(props)
        if props.get("trial_mode"):
            return ReadResult(id_, props)  # nothing was placed: nothing to read
        try:
            result = client.order_details(props["marketplace"], id_, props["buyer_email"])
        except client.AmazonBusinessError as error:
            if error.status == 404 and error.operation == "orderDetails":
                raise OrderError(
                    f"refresh of Amazon Business order {id_}: Amazon Business has no such order for buyer "
                    f"{props.get('buyer_email')} in marketplace {props.get('marketplace')}. This stack placed it "
                    "and there is no API that deletes orders, so the credentials, buyer or endpoint point elsewhere; "
                    "the order stays in the stack unchanged.") from None
            raise OrderError(f"refresh of Amazon Business order {id_}: {error}; the stack keeps what it last "
                             "read") from None
        rows = _tracked(props, _reported(props, id_, results.line_results(result)))
        return ReadResult(id_, _outputs(props, id_, rows))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Only the resource key changes in place; no call."""
        olds, news = inputs.renamed(olds), inputs.renamed(news)
        return UpdateResult({**olds, **{name: news.get(name) for name in inputs.IN_PLACE_INPUTS}})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """No cancel API: forget the order, saying so."""
        if props.get("trial_mode"):
            return  # a trial placed nothing
        journal = _shared_journal(str(props.get("marketplace") or props.get("region")))
        if journal is not None and props.get("order_key"):
            try:
                journal.released(str(props["order_key"]), id_)
            except JournalError as exc:
                warn(f"the claim store could not record that order {id_} was forgotten: {exc}")
        warn(f"Amazon Business order {id_} was NOT cancelled (the Ordering API has no cancel): it is removed from "
             "the stack and continues; cancel it on Amazon Business if it must not arrive")


def _trial(props: dict[str, Any], external: str, rows: list[AmazonBusinessLineItemResult], journal: Journal | None,
           attempt: Attempt | None) -> CreateResult:
    """A ``trial_mode`` order: Amazon ran every step and placed nothing. What it would have rejected fails the
    update as a real order would; the rest is kept as the trial's answer (``delivery_status`` TRIAL)."""
    _record_outcome(journal, attempt, None)
    if not any(row["accepted_quantity"] for row in rows):
        raise OrderError(f"Amazon Business would reject order {external} (trial mode: nothing was placed):\n"
                         f"{results.describe_rejections(rows)}")
    rejected = results.describe_rejections(rows)
    warn(f"trial order {external}: Amazon Business ran every step and placed nothing"
         + (f"; it would reject:\n{rejected}" if rejected else ".")
         + " Set trial_mode to false to place it (no `generation` change is needed).")
    return CreateResult(external, _outputs(props, external, rows))


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


DELIVERED_FOR_GOOD = ("DELIVERED", "RETURNED", "REFUND_ISSUED")
"""Package statuses that do not change: not asked again at the next refresh."""


def _reported(props: dict[str, Any], external: str,
              rows: list[AmazonBusinessLineItemResult]) -> list[AmazonBusinessLineItemResult]:
    """``rows`` with each Amazon order's status (and approver) from the Reporting API: one order report (by the
    purchase order number, else by the order's dates; ``client.order_reports``) unless every Amazon order was
    already closed or cancelled at the last refresh. An order newly cancelled is said loudly. The report
    failing only warns: each line keeps the status the last refresh read."""
    before = {str(row.get("order_identifier")): row for row in props.get("line_item_results") or []
              if isinstance(row, dict) and row.get("order_identifier")}
    wanted = {str(row["order_identifier"]) for row in rows if row["accepted_quantity"] and row.get("order_identifier")
              and (before.get(str(row["order_identifier"])) or {}).get("order_status")
              not in results.SETTLED_ORDER_STATUSES}
    reports: dict[str, dict[str, Any]] = {}
    if wanted:
        try:
            reports = client.order_reports(str(props["marketplace"]), wanted,
                                           purchase_order=props.get("purchase_order_number") or None,
                                           placed_at=props.get("placed_at"))
        except client.AmazonBusinessError as error:
            warn(f"the order status of Amazon Business order {external} could not be read from the Reporting API "
                 f"({error}); it shows what the last refresh read")
    updated = []
    for row in rows:
        number = str(row.get("order_identifier"))
        last = before.get(number) or {}
        if number in reports:
            row = results.reported(row, reports[number])
        elif last.get("order_status"):
            row = results.reported(row, {"orderStatus": last["order_status"], "approverDetails": {
                "lastOrderApproverCustomer": {"email": last.get("approved_by")}}})
        if row.get("order_status") == "CANCELLED" and last.get("order_status") != "CANCELLED":
            warn(f"Amazon Business order {number} (line item {row.get('external_id')} of {external}) was CANCELLED "
                 "by the buyer, its approver or Amazon Business: it will not arrive and is not charged. The resource "
                 "stays in the stack; raise `generation` to order it again.")
        updated.append(row)
    return updated


def _tracked(props: dict[str, Any], rows: list[AmazonBusinessLineItemResult]) -> list[AmazonBusinessLineItemResult]:
    """``rows`` with each package's tracking status: one getPackageTrackingDetails per package not already
    known to be delivered (or returned) at the last refresh. A package that cannot be tracked keeps what the
    last refresh said, with a warning."""
    known = {p.get("tracking_number"): p for row in props.get("line_item_results") or [] if isinstance(row, dict)
             for p in row.get("packages") or []}
    for row in rows:
        for index, package in enumerate(row.get("packages") or []):
            before = known.get(package.get("tracking_number")) or {}
            if before.get("status") in DELIVERED_FOR_GOOD:
                row["packages"][index] = results.tracked(package, {"trackingStatus": before["status"]})
                continue
            if not (row.get("order_identifier") and package.get("shipment_id") and package.get("package_id")):
                continue
            try:
                details = client.package_tracking(str(props["marketplace"]), str(row["order_identifier"]),
                                                  package["shipment_id"], package["package_id"])
            except client.AmazonBusinessError as error:
                warn(f"package {package.get('tracking_number')} of Amazon Business order {props.get('external_id')} "
                     f"could not be tracked ({error}); it shows what the last refresh read")
                if before.get("status"):
                    row["packages"][index] = {**package, "status": before["status"]}
                continue
            row["packages"][index] = results.tracked(package, details)
    return rows


def _check_existing(request: dict[str, Any], rows: list[AmazonBusinessLineItemResult], external: str) -> None:
    """An order that already had this ``externalId`` (an earlier run's, whose answer was lost) is this resource's
    only if its line items and quantities are the ones asked for now (orderDetails shows no more than that)."""
    asked = {str(line["externalId"]): int(line["quantity"]) for line in request["lineItems"]}
    found = {str(row["external_id"]): int(row["accepted_quantity"]) + int(row["rejected_quantity"]) for row in rows}
    if asked != found:
        raise OrderError(
            f"externalId {external} already names an Amazon Business order whose line items differ from this "
            f"resource's (ordered: {_lines(found)}; declared: {_lines(asked)}): an earlier order of this resource "
            "(destroyed from the stack, so it continues) or one placed by a run whose answer was lost before the "
            "program changed. Nothing was ordered. To track that order, declare it as it was; to place this one as "
            "well, raise `generation`.")


def _lines(quantities: dict[str, int]) -> str:
    return ", ".join(f"{line} x{quantity}" for line, quantity in sorted(quantities.items())) or "none"


def _shared_journal(marketplace: str) -> Journal | None:
    """The shared claim store's journal for Amazon Business orders in ``marketplace`` (``None``: no shared store;
    ``externalId`` alone keeps a retry from ordering twice, so this machine keeps no record)."""
    setting = claims_store.current()
    return setting.journal(f"amazon-business {marketplace}") if setting.url else None


def _record_attempt(props: dict[str, Any], external: str) -> tuple[Journal | None, Attempt | None]:
    """Record, in the shared claim store, the placeOrder about to be sent: its ``externalId`` and seed."""
    journal = _shared_journal(str(props["marketplace"]))
    if journal is None:
        return None, None
    key = str(props.get("order_key"))
    # The record's own names (camelCase, as the Ordering API writes them), not the resource's properties.
    seed = {"service": "amazon-business", "externalId": external, "resourceKey": key,
            "generationOrdered": int(props.get("order_generation") or 1), "store": props["marketplace"]}
    try:
        return journal, journal.begin(key, RecordedSpec(seed), str(props["marketplace"]), known_before=None)
    except JournalError as exc:
        raise OrderError(f"{exc} (externalId {external})") from None


def _record_outcome(journal: Journal | None, attempt: Attempt | None, state: str | None, order: str = "") -> None:
    """Record how the placeOrder ended (``None``: refused, nothing placed); a failed write only warns."""
    if journal is None or attempt is None:
        return
    try:
        if state is None:
            journal.discard(attempt.key)
        else:
            journal.mark(attempt, "placed" if state == "placed" else "unsure", order or None)
    except JournalError as exc:
        warn(f"the claim store could not record the outcome of externalId {attempt.spec.to_json()['externalId']}:"
             f" {exc}")


def _outputs(props: dict[str, Any], external: str, rows: list[AmazonBusinessLineItemResult]) -> dict[str, Any]:
    """Every input as given, the generation placed, and what Amazon answered."""
    outs: dict[str, Any] = {name: props.get(name) for name in inputs.AMAZON_BUSINESS_SCHEMA.inputs}
    outs["order_generation"] = props.get("order_generation")
    currencies = {row.get("currency") for row in rows if row.get("currency")}
    outs.update(external_id=external, line_item_results=rows, delivery_status=results.delivery_status(rows),
                total=results.charges(rows)["subtotal"], charges=results.charges(rows),
                currency=next(iter(currencies)) if len(currencies) == 1 else None, placed_at=props.get("placed_at"))
    if props.get("trial_mode"):
        outs["delivery_status"] = "TRIAL"
    return {key: value for key, value in outs.items() if value is not None}


def _explain(error: client.AmazonBusinessError, external: str) -> str:
    if error.code == "IDEMPOTENCY_CONFLICT":
        return (f"externalId {external} already names an Amazon Business order with other contents: an earlier "
                "order of this resource (destroyed from the stack, so it continues) or one placed by a run whose "
                "response was lost before the program changed. Nothing was ordered. To track that order, declare "
                "it as it was; to place this one as well, raise `generation`.")
    if error.outcome_unknown:
        last_unanswered = error.operation == "placeOrder" and (error.status == 0 or error.status >= 500)
        after = "" if last_unanswered else ", after an earlier placeOrder send went without an answer"
        return (f"{error}{after}. The outcome is unknown: Amazon may have placed the order; look for externalId "
                f"{external} on Amazon Business. Run `pulumi up` again (here or on another machine), which is safe: "
                "it sends the same externalId, so Amazon returns the order already placed rather than placing "
                "another.")
    return f"nothing ordered (externalId {external}): {error}"
