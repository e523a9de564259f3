"""``outposts-orders import ORDER_ID[=NAME]…``: adopt existing orders with ``pulumi import --file``.

Pulumi cannot import dynamic-provider resources by ID (pulumi/pulumi#16175: the engine's Read request
lacks the serialized provider). Since Pulumi 3.254 an import file may carry a resource's ``inputs`` and
``outputs``; with outputs the engine skips the provider's Read. This command reads each order (one
GetOrder; nothing is ordered) and writes such a file: the inputs the program will declare (with the
``__provider`` that ``pulumi.dynamic`` adds: the provider class pickled by reference with dill,
base64) and the outputs the provider itself produces from a GetOrder response. It prints the Python
declarations to paste into the program; after ``pulumi import --file``, ``pulumi up`` shows no change.

An order is tracked by one resource only, and a cancelled order is never adopted as live: the command
refuses an order the stack already tracks (``pulumi stack export``), one that another resource holds in
this machine's attempt journal, one requested twice, and a CANCELLED or ERROR order unless
``--allow-terminal`` (then its entry carries a ``NOTE_FIELD`` note). One refusal and nothing is written.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pulumi_outposts_orders.outposts.statuses import NEVER_FULFILLED
from pulumi_outposts_orders.status.stack import ENGINE_MISSING, StatusError, project_root

if TYPE_CHECKING:
    from pulumi_outposts_orders.aws.settings import StackAwsConfig
    from pulumi_outposts_orders.claims.journal import Attempt, Journal
    from pulumi_outposts_orders.claims.store import ClaimsSetting

DEFAULT_FILE = "outposts-import.json"
NOTE_FIELD = "outpostsOrdersNote"
"""The field flagging a terminal order's entry in the import file (``pulumi import --file`` ignores fields
it does not know; a test imports such a file)."""


class OrderNotFound(Exception):
    """An order cannot be prepared for import; the message says why."""


@dataclass(frozen=True)
class Adopted:
    """One order to import: its logical name, the import file entry, and the declaration to paste."""

    name: str
    entry: dict[str, Any]
    declaration: str
    order_id: str = ""
    status: str = ""
    placement_key: str = ""
    note: str = ""


def declared_inputs(order: Mapping[str, Any], placement_key: str, region: str | None) -> dict[str, Any]:
    """The inputs an ``OutpostOrder`` declaring ``order`` sends (``__provider`` aside): what "the same order"
    compares (``OrderSpec.of_order``, so the next diff shows no change), then what the resource class sets."""
    from pulumi_outposts_orders.outposts.order_inputs import ORDER_SCHEMA
    from pulumi_outposts_orders.outposts.same_order import OrderSpec

    spec = OrderSpec.of_order(order)
    inputs: dict[str, Any] = {name: getattr(spec, name) for name in ORDER_SCHEMA.same_order}
    if isinstance(spec.line_items, tuple):
        inputs["line_items"] = [{"catalog_item_id": item, "quantity": int(n)} for item, n in spec.line_items]
    inputs["region"] = region
    inputs["placement_key"] = placement_key
    inputs["retain_on_delete"] = False  # OutpostOrder always sends it (the resource option's value)
    return {key: value for key, value in inputs.items() if value is not None}


def serialized_provider() -> str:
    """``__provider`` exactly as ``pulumi.dynamic.Resource`` computes it for ``OutpostOrder``."""
    from pulumi.dynamic.dynamic import serialize_provider

    from pulumi_outposts_orders.outposts.order_provider import OutpostOrderProvider

    return str(serialize_provider(OutpostOrderProvider()))


def provider_outputs(declared: Mapping[str, Any], order: Mapping[str, Any], target: Any) -> dict[str, Any]:
    """The outputs the provider records for ``order`` given ``declared`` inputs (its own function)."""
    from pulumi_outposts_orders.outposts import order_provider as provider

    outputs: dict[str, Any] = provider.outputs(declared, order, target)  # the one call into the provider
    return outputs


def declaration(name: str, inputs: Mapping[str, Any]) -> str:
    """The Python statement declaring the order (``OutpostOrder(...)``), to paste into the program."""
    from pulumi_outposts_orders.outposts.order_inputs import ORDER_SCHEMA

    lines = ["OutpostOrder(", f"    {name!r},"]
    for key in ORDER_SCHEMA.parameters:
        if key == "line_items" and key in inputs:
            items = ", ".join(f"LineItemArgs(catalog_item_id={i['catalog_item_id']!r}, quantity={i['quantity']})"
                              for i in inputs[key])
            lines.append(f"    line_items=[{items}],")
        elif key in inputs:
            lines.append(f"    {key}={inputs[key]!r},")
    lines.append(")")
    return "\n".join(lines)


def adopt(order_ref: str, stack_prefix: str, region: str | None, profile: str | None,
          stack_config: StackAwsConfig | None = None) -> Adopted:
    """Read one order (``ORDER_ID`` or ``ORDER_ID=NAME``) and prepare its import; calls go where the stack's
    provider would send them (``stack_config``: its aws config), ``region``/``profile`` (flags) overriding it."""
    from pulumi_outposts_orders._tokens import ORDER_TYPE
    from pulumi_outposts_orders.aws import settings as _aws
    from pulumi_outposts_orders.outposts.finders import find_order

    order_id, _, name = order_ref.partition("=")
    name = name or order_id
    target = _aws.resolve_target(None, None, (stack_config or _aws.StackAwsConfig()).overridden(region, profile))
    order = find_order(target, order_id)
    if order is None:
        raise OrderNotFound(f"order {order_id} does not exist in region {target.region}; nothing was written")
    key = f"{stack_prefix}/{name}"
    inputs = declared_inputs(order, key, region)
    outputs = provider_outputs(inputs, order, target)
    provider = serialized_provider()
    entry = {
        "type": ORDER_TYPE,
        "name": name,
        "id": order_id,
        "inputs": {**inputs, "__provider": provider},
        "outputs": {**outputs, "__provider": provider},
    }
    return Adopted(name, entry, declaration(name, inputs), order_id, str(order.get("Status") or ""), key)


def stack_settings(stack: str | None, cwd: str) -> tuple[StackAwsConfig, ClaimsSetting]:
    """The stack's aws config (aws:region, aws:profile, aws:assumeRoles, aws:endpoints) and the claim store
    (``outposts-orders:claims``, else the environment), as its provider reads them: one ``pulumi config``."""
    from pulumi_outposts_orders.aws.settings import StackAwsConfig
    from pulumi_outposts_orders.claims.store import CONFIG_KEY, ClaimsSetting

    config = stack_config(stack, cwd)
    aws = StackAwsConfig.from_config(lambda key: _config_text(config.get(key)))
    configured = config.get(CONFIG_KEY)
    return aws, ClaimsSetting.of(configured if isinstance(configured, str) else None, aws)


def stack_config(stack: str | None, cwd: str) -> dict[str, Any]:
    """The stack's config (``pulumi config --json``): key → value (objects and lists as parsed JSON)."""
    root = project_root(cwd)
    listed = _pulumi(["config", "--json"], stack, root, "cannot read the stack's config")
    try:
        config = {key: entry.get("objectValue", entry.get("value")) for key, entry in json.loads(listed).items()
                  if isinstance(entry, dict)}
    except (ValueError, AttributeError) as exc:
        raise StatusError(f"cannot read the stack's config in {root}: `pulumi config --json` gave no JSON") from exc
    return config


def _config_text(value: Any) -> Any:
    """A config value as the engine passes it to a provider: objects and lists as JSON text."""
    return json.dumps(value) if isinstance(value, dict | list) else value


def tracked_orders(stack: str | None, cwd: str) -> dict[str, str]:
    """Order ID → URN of every resource in the stack's state that tracks it (``pulumi stack export``)."""
    root = project_root(cwd)
    exported = _pulumi(["stack", "export"], stack, root, "cannot read the stack's state")
    try:
        resources = (json.loads(exported).get("deployment") or {}).get("resources") or []
    except (ValueError, AttributeError) as exc:
        raise StatusError(f"cannot read the stack's state in {root}: `pulumi stack export` gave no JSON") from exc
    tracked: dict[str, str] = {}
    for resource in resources:
        outputs = resource.get("outputs") or {}
        for order_id in {resource.get("id"), outputs.get("order_id") if isinstance(outputs, dict) else None}:
            if isinstance(order_id, str) and order_id:
                tracked.setdefault(order_id, str(resource.get("urn")))
    return tracked


def refusals(adopted: Sequence[Adopted], tracked: Mapping[str, str], allow_terminal: bool,
             journal: Journal | None = None) -> list[str]:
    """Why each order must not be imported: tracked by the stack or held by another resource in the journal
    (``journal``: the stack's claim store; default this machine's journal), requested twice, or terminal without
    ``allow_terminal``. Empty: import."""
    from pulumi_outposts_orders.claims.journal import Journal as LocalJournal

    journal = journal or LocalJournal()
    # Every local record, read once (``JournalError`` when one is unreadable); a shared store is asked per order.
    held = [] if journal.shared else [r for r in journal.all() if r.holds()]
    found: list[str] = []
    names: dict[str, list[str]] = {}
    seen: set[str] = set()
    for a in adopted:
        names.setdefault(a.order_id, []).append(a.name)
    for a in adopted:
        if a.order_id in seen:
            continue  # each order once, at its first request
        seen.add(a.order_id)
        if a.order_id in tracked:
            found.append(f"order {a.order_id} is already tracked by the stack as {tracked[a.order_id]}; "
                         "importing it would make two resources track one order")
        elif (holder := _holder(journal, held, a)) is not None:
            found.append(f"order {a.order_id} is already claimed by resource {holder[0]} in {journal.named} "
                         f"({holder[1]}); importing it would make two resources track one order. If that resource "
                         "no longer exists (removed with `pulumi state delete`), release its claim "
                         "(`outposts-orders claims release`) and run again")
        if len(names[a.order_id]) > 1:
            found.append(f"order {a.order_id} is requested more than once (as {', '.join(names[a.order_id])}); "
                         "an order is tracked by one resource only")
        if a.status in NEVER_FULFILLED and not allow_terminal:
            found.append(f"order {a.order_id} is {a.status}: it will never be fulfilled, and the stack would track "
                         "it as its resource. To import it on purpose, to keep its history, pass --allow-terminal")
    return found


def _holder(journal: Journal, held: Sequence[Attempt], adopted: Adopted) -> tuple[str, str] | None:
    """The key and record of the resource other than ``adopted``'s that holds its order, if any."""
    from pulumi_outposts_orders.claims.journal import Journal
    from pulumi_outposts_orders.claims.shared import SharedJournal

    if isinstance(journal, SharedJournal):
        key = journal.holder(adopted.order_id)
        return None if key is None or key == adopted.placement_key else (key, journal.where(key))
    record = next((r for r in held if r.order_id == adopted.order_id and r.key != adopted.placement_key), None)
    if record is None:
        return None
    return record.key, str(Journal(journal.directory, record.scope).path_of(record.key))


def flag_terminal(adopted: Adopted) -> Adopted:
    """``adopted`` with its import file entry flagged when its order is terminal (``--allow-terminal``)."""
    if adopted.status not in NEVER_FULFILLED:
        return adopted
    note = (f"order {adopted.order_id} was {adopted.status} when imported: imported on purpose "
            "(--allow-terminal) to keep its history; it is not a live order")
    return replace(adopted, entry={**adopted.entry, NOTE_FIELD: note}, note=note)


def write_atomically(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all (a temporary file next to it, renamed into place)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # created as write_text would (the umask)
    try:
        with open(temporary, "x") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def stack_prefix(stack: str | None, cwd: str) -> str:
    """``organization/project/stack`` of the stack, as ``OutpostOrder`` builds its ``placement_key``."""
    root = project_root(cwd)
    return _pulumi(["stack", "--show-name", "--fully-qualify-stack-names"], stack, root,
                   "cannot find the stack").strip()


def _pulumi(args: list[str], stack: str | None, root: Path, failure: str) -> str:
    """The output of ``pulumi ARGS`` for ``stack`` in ``root``; ``StatusError`` starting with ``failure``."""
    command = ["pulumi", *args, "--non-interactive", *(["--stack", stack] if stack else [])]
    try:
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)
    except FileNotFoundError as exc:
        raise StatusError(ENGINE_MISSING) from exc
    except subprocess.TimeoutExpired as exc:
        raise StatusError(f"{failure} in {root}: `pulumi {args[0]}` did not answer in 120 s") from exc
    if done.returncode != 0:
        raise StatusError(f"{failure} in {root}: {done.stderr.strip().splitlines()[-1:]}")
    return done.stdout


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``import`` subcommand."""
    parser = subparsers.add_parser(
        "import",
        help="write a `pulumi import --file` file for existing orders, and their declarations",
        description="Read each order (GetOrder only: nothing is ordered) and write a Pulumi import file with "
        "the inputs and outputs the provider would have recorded, then print the OutpostOrder declarations to "
        "paste into the program. Run `pulumi import --file FILE --generate-code=false` next; the following "
        "`pulumi up` shows no change.",
    )
    parser.add_argument("orders", nargs="+", metavar="ORDER_ID[=NAME]",
                        help="an order to adopt, and the resource name to give it (default: the order ID)")
    parser.add_argument("--file", default=DEFAULT_FILE, help="the import file to write (default: %(default)s)")
    parser.add_argument("--stack", help="the stack that adopts the orders (default: the selected stack)")
    parser.add_argument("--cwd", default=".", help="where to look for the Pulumi project (default: .)")
    parser.add_argument("--region", help="the orders' region, declared on each resource (default: the environment)")
    parser.add_argument("--profile", help="the AWS profile to read the orders with (default: the environment)")
    parser.add_argument("--allow-terminal", action="store_true",
                        help="import CANCELLED and ERROR orders too, on purpose, to keep their history (their "
                        f"entries in the file carry a {NOTE_FIELD!r} note)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the import file and print the declarations; 2, writing nothing, when an order or the stack cannot
    be read or an order is refused (tracked already, requested twice, terminal without ``--allow-terminal``)."""
    from pulumi_outposts_orders.aws import settings as _aws
    from pulumi_outposts_orders.aws.errors import OrderError

    path = Path(args.file)
    try:
        prefix = stack_prefix(args.stack, args.cwd)
        tracked = tracked_orders(args.stack, args.cwd)
        config, claims = stack_settings(args.stack, args.cwd)
        adopted = [adopt(ref, prefix, args.region, args.profile, config) for ref in args.orders]
        refused = refusals(adopted, tracked, args.allow_terminal, claims.journal())
    except (StatusError, OrderNotFound, OrderError, _aws.AwsConfigError) as exc:
        print(f"outposts-orders import: {exc}", file=sys.stderr)
        return 2
    if refused:
        for reason in refused:
            print(f"outposts-orders import: {reason}", file=sys.stderr)
        print(f"outposts-orders import: nothing was written to {path}", file=sys.stderr)
        return 2
    adopted = [flag_terminal(a) for a in adopted]
    write_atomically(path, json.dumps({"resources": [a.entry for a in adopted]}, indent=2) + "\n")
    for note in (a.note for a in adopted if a.note):
        print(f"outposts-orders import: {note}; its entry in {path} is flagged ({NOTE_FIELD!r})", file=sys.stderr)
    print(_instructions(path, adopted))
    return 0


def _instructions(path: Path, adopted: Sequence[Adopted]) -> str:
    declarations = "\n\n".join(a.declaration for a in adopted)
    return (
        f"Wrote {path} ({len(adopted)} order{'s' if len(adopted) != 1 else ''}). Next:\n\n"
        f"1. Paste into the program (top level, not under a parent):\n\n"
        f"from pulumi_outposts_orders import LineItemArgs, OutpostOrder\n\n{declarations}\n\n"
        f"2. pulumi import --file {path} --generate-code=false --yes\n"
        f"3. pulumi up   # shows no change: the orders are the stack's now\n"
    )
