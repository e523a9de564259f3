"""``outposts-orders claims``: look at the claim records the providers keep, release one on purpose, migrate.

- ``claims list``: every record of the claim store the stack's provider uses (``claims.store``: the stack config
  ``outposts-orders:claims``, else ``PULUMI_OUTPOSTS_ORDERS_CLAIMS``, else this machine's attempt journal).
- ``claims show KEY_OR_ORDER_ID``: one record, whole, as JSON.
- ``claims release KEY --reason TEXT``: a deliberate, logged step that frees the order a resource holds (the resource
  was removed from the stack without ``delete``, e.g. ``pulumi state delete``). A record whose CreateOrder outcome is
  unknown (``sending``/``unsure``) is refused unless ``--force``: a killed run's order may exist, and must be looked
  for first. Each release is written to an audit log first (``releases.log`` next to the local journal's records,
  ``releases/`` objects in a shared store), then the record is changed through the journal's own API.
- ``claims migrate --to s3://BUCKET/PREFIX``: copy this machine's records and aliases into a shared store, leaving
  alone what is there already (idempotent).

The stack is read as ``outposts-orders import`` reads it (``importer.stack_settings``: ``pulumi config --json`` in
the project found from ``--cwd``, for ``--stack``); outside a Pulumi project the environment decides.

Exit statuses: 0 done; 1 refused (no such record, an unsettled record without ``--force``, no confirmation, a record
that could not be migrated), nothing changed; 2 a usage error, or the stack's config or the claim store cannot be
read. Its module imports nothing heavy: boto3 and rich are imported when a command runs.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pulumi_outposts_orders.claims.journal import Attempt, Journal
    from pulumi_outposts_orders.claims.store import ClaimsSetting

PROG = "outposts-orders claims"
RELEASES_LOG = "releases.log"  # the local journal's audit log of releases (JSON lines), next to its records
RELEASES_PREFIX = "releases/"  # a shared store's audit log of releases: one object per release


class Usage(Exception):
    """The command was called wrongly, or the stack or the claim store cannot be read: exit 2."""


class Refused(Exception):
    """The command refuses; nothing was changed: exit 1."""


# --- arguments ---------------------------------------------------------------------------------------------------
def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``claims`` subcommand and its own subcommands."""
    parser = subparsers.add_parser(
        "claims",
        help="list, show, release or migrate the claim records of attempted orders",
        description="The records the providers keep of each CreateOrder attempt and of the order each resource "
        "holds: in the shared claim store of the stack (outposts-orders:claims, else PULUMI_OUTPOSTS_ORDERS_CLAIMS), "
        "else this machine's attempt journal. Exit status: 0 done; 1 refused (nothing changed); 2 a usage error, or "
        "the stack's config or the claim store cannot be read.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    stack = argparse.ArgumentParser(add_help=False)
    stack.add_argument("--stack", help="the stack whose claim store to use (default: the selected stack, when run "
                       "in a Pulumi project)")
    stack.add_argument("--cwd", metavar="DIR", help="where to look for the Pulumi project (default: .; outside a "
                       "project, the environment decides: PULUMI_OUTPOSTS_ORDERS_CLAIMS, else this machine's journal)")
    scope = argparse.ArgumentParser(add_help=False)
    scope.add_argument("--scope", help="the record's scope (endpoint, region and account), when the resource has "
                       "records in several ('' for a record from before scopes)")

    listing = actions.add_parser("list", parents=[stack], help="every record of the claim store",
                                 description="Every record of the claim store: key, state, order, region, scope, "
                                 "the host and process that wrote it, and when (UTC).")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(handler=run, work=_list)

    show = actions.add_parser("show", parents=[stack, scope], help="one record, whole, as JSON",
                              description="Print the whole record of a resource key, or of the record that holds "
                              "an order ID, as JSON.")
    show.add_argument("record", metavar="KEY_OR_ORDER_ID", help="a resource key (its placement_key) or an order ID")
    show.set_defaults(handler=run, work=_show)

    release = actions.add_parser(
        "release", parents=[stack, scope], help="free the order a removed resource holds (logged)",
        description="Release a resource's claim: the order it holds is free for another resource to adopt. For a "
        "resource that no longer exists (removed with `pulumi state delete`). Logged with --reason, the user and "
        "the host. A record whose CreateOrder outcome is unknown (sending, unsure) is refused unless --force: a "
        "killed run's order may exist, and must be looked for first.")
    release.add_argument("key", metavar="KEY", help="the resource key (its placement_key) whose claim to release")
    release.add_argument("--reason", metavar="TEXT",
                         help="why (required): written to the audit log with the user and the host")
    release.add_argument("--yes", action="store_true", help="do not ask for confirmation (required when standard "
                         "input is not a terminal)")
    release.add_argument("--force", action="store_true", help="also discard a record whose outcome is unknown "
                         "(sending, unsure), once you have made sure that no order of it exists, or adopted it")
    release.set_defaults(handler=run, work=_release)

    migrate = actions.add_parser(
        "migrate", parents=[stack], help="copy this machine's attempt journal into a shared claim store",
        description="Copy every record and alias of this machine's attempt journal into the shared claim store "
        "--to, with its state, order and spec; a holding record claims its order there too. Records already in "
        "the store are left alone and reported. Running it again changes nothing. The store is reached with the "
        "stack's aws config when run in a Pulumi project, else the environment.")
    migrate.add_argument("--to", required=True, metavar="s3://BUCKET/PREFIX", help="the shared claim store")
    migrate.set_defaults(handler=run, work=_migrate)


def run(args: argparse.Namespace) -> int:
    """Run the chosen action; the exit status (see the module docstring). Errors are messages, never tracebacks."""
    from pulumi_outposts_orders.aws.errors import OrderError
    from pulumi_outposts_orders.aws.settings import AwsConfigError
    from pulumi_outposts_orders.claims.s3 import ClaimStoreError, ClaimTaken

    work: Callable[[argparse.Namespace], int] = args.work
    try:
        return work(args)
    except Refused as exc:
        _error(args, str(exc))
        return 1
    except (Usage, OrderError, AwsConfigError, ClaimStoreError, ClaimTaken, OSError) as exc:
        _error(args, str(exc))
        return 2


def _error(args: argparse.Namespace, message: str) -> None:
    print(f"{PROG} {args.action}: {message}", file=sys.stderr)


# --- which store ---------------------------------------------------------------------------------------------------
def setting_of(stack: str | None, cwd: str | None) -> ClaimsSetting:
    """The claims setting the stack's provider uses (its config, else the environment); outside a Pulumi project
    (when neither ``stack`` nor ``cwd`` asks for one), the environment's."""
    from pulumi_outposts_orders.aws.settings import StackAwsConfig
    from pulumi_outposts_orders.claims.store import ClaimsSetting
    from pulumi_outposts_orders.importer import stack_settings
    from pulumi_outposts_orders.status.stack import StatusError, project_root

    if stack is None and cwd is None:
        try:
            project_root(".")
        except StatusError:
            return ClaimsSetting.of(None, StackAwsConfig())
    try:
        return stack_settings(stack, cwd or ".")[1]
    except StatusError as exc:
        raise Usage(f"{exc}, or run outside a project without --stack to use the environment "
                    "(PULUMI_OUTPOSTS_ORDERS_CLAIMS)") from exc


def _journal(args: argparse.Namespace) -> tuple[ClaimsSetting, Journal]:
    setting = setting_of(args.stack, args.cwd)
    return setting, setting.journal()


def _scoped(journal: Journal, scope: str | None) -> Journal:
    """``journal``'s store, for records of ``scope``."""
    from pulumi_outposts_orders.claims.journal import Journal
    from pulumi_outposts_orders.claims.shared import SharedJournal

    if isinstance(journal, SharedJournal):
        return SharedJournal(journal.store, scope)
    return Journal(journal.directory, scope)


def _location(journal: Journal) -> str:
    from pulumi_outposts_orders.claims.shared import SharedJournal

    return str(journal.store.location) if isinstance(journal, SharedJournal) else str(journal.directory)


def _heading(setting: ClaimsSetting, journal: Journal) -> str:
    from pulumi_outposts_orders.claims.shared import SharedJournal

    where = "" if isinstance(journal, SharedJournal) else f" ({journal.directory})"
    because = f", set by {setting.source}" if setting.source else ", as no shared claim store is set"
    return f"Claims in {journal.named}{where}{because}"


# --- list and show -------------------------------------------------------------------------------------------------
def _list(args: argparse.Namespace) -> int:
    setting, journal = _journal(args)
    records = sorted(journal.all(), key=lambda a: (a.key, a.scope or ""))
    if args.json:
        print(json.dumps({"store": journal.named, "location": _location(journal), "setting": setting.source or None,
                          "records": [_summary(journal, a) for a in records]}, indent=2))
        return 0
    from rich import box
    from rich.console import Console
    from rich.table import Column, Table

    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(width=100_000)  # piped: one line per record, nothing cut (the table is as wide as it needs)
    console.print(_heading(setting, journal), highlight=False, soft_wrap=True)
    if not records:
        console.print("No records.", highlight=False)
        return 0
    headers = ("Key", "State", "Order", "Region", "Scope", "Host", "PID", "Started (UTC)", "Alive (UTC)")
    view = Table(*(Column(h, overflow="fold") for h in headers), box=box.HORIZONTALS, pad_edge=False, show_lines=True)
    for a in records:
        view.add_row(a.key, a.state, a.order_id or "", a.region, a.scope or "", a.host, str(a.pid or ""),
                     _utc(a.started_at) or "", _utc(a.alive_at) or "")
    console.print(view)
    return 0


def _summary(journal: Journal, attempt: Attempt) -> dict[str, Any]:
    return {"key": attempt.key, "state": attempt.state, "order_id": attempt.order_id, "region": attempt.region,
            "scope": attempt.scope, "host": attempt.host, "pid": attempt.pid, "started_at": _utc(attempt.started_at),
            "alive_at": _utc(attempt.alive_at), "record": _scoped(journal, attempt.scope).where(attempt.key)}


def _utc(at: float | None) -> str | None:
    return None if at is None else datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _show(args: argparse.Namespace) -> int:
    from pulumi_outposts_orders.claims.shared import record_json

    _, journal = _journal(args)
    found = _records_of_key(journal, args.record, args.scope)
    if not found:  # not a key: the record that holds the order, else any that names it
        every = _in_scope(journal.all(), args.scope)
        found = ([a for a in every if a.holds() and a.order_id == args.record]
                 or [a for a in every if a.order_id == args.record])
    if not found:
        raise Refused(f"no record of resource or order {args.record!r} in {journal.named}")
    print(record_json(_one(found, args.record, journal).to_json()))
    return 0


def _records_of_key(journal: Journal, key: str, scope: str | None) -> list[Attempt]:
    """The records of resource ``key``: in ``scope`` (given: one read), else in every scope."""
    if scope is not None:
        found = _scoped(journal, scope or None).get(key)
        return [] if found is None else [found]
    return [a for a in journal.all() if a.key == key]


def _in_scope(records: list[Attempt], scope: str | None) -> list[Attempt]:
    return records if scope is None else [a for a in records if (a.scope or "") == scope]


def _one(found: list[Attempt], asked: str, journal: Journal) -> Attempt:
    if len(found) == 1:
        return found[0]
    scopes = ", ".join(repr(a.scope or "") for a in found)
    raise Refused(f"{asked!r} names {len(found)} records in {journal.named}, of scopes {scopes}: pass --scope SCOPE")


# --- release -------------------------------------------------------------------------------------------------------
def _release(args: argparse.Namespace) -> int:
    from pulumi_outposts_orders.claims.journal import JournalError

    reason = (args.reason or "").strip()
    if not reason:
        raise Usage("a release needs --reason TEXT (why the claim may go: it is written to the audit log with "
                    "your user name and host); nothing was changed")
    _, journal = _journal(args)
    found = _records_of_key(journal, args.key, args.scope)
    if not found:
        holders = [a for a in journal.all() if a.holds() and a.order_id == args.key]
        hint = f": order {args.key} is held by resource {holders[0].key}, release that key" if holders else ""
        raise Refused(f"no record of resource {args.key!r} in {journal.named}{hint}; nothing was changed")
    record = _one(found, args.key, journal)
    scoped = _scoped(journal, record.scope)
    if record.state == "released":
        print(f"Resource {record.key} holds nothing in {journal.named} (its record is released already); "
              "nothing was changed.")
        return 0
    if record.unsettled():
        _check_forced(args, record, scoped)
    what = (f"resource {record.key}'s claim on order {record.order_id}" if record.holds()
            else f"resource {record.key}'s {record.state} attempt")
    _confirm(args, f"Release {what} in {journal.named} ({scoped.where(record.key)})?")
    with scoped.lock():
        current = scoped.get(record.key)
        if current is None or _comparable(current) != _comparable(record):
            raise Refused(f"the record of resource {record.key} changed while this command ran (now: "
                          f"{'none' if current is None else current.state}); nothing was changed. Run again.")
        logged = _audit(scoped, record, reason)
        try:
            if record.holds():
                scoped.released(record.key, str(record.order_id))
            else:
                scoped.discard(record.key)
        except JournalError as exc:
            raise Usage(f"{exc} The release was logged in {logged} but not made: run again.") from exc
    after = scoped.get(record.key)
    if after is not None and after.holds():
        raise Refused(f"the record of resource {record.key} still holds order {after.order_id} "
                      f"({scoped.where(record.key)}); the release was logged in {logged}")
    if record.holds():
        print(f"Released {what} in {journal.named}: order {record.order_id} is free for another resource to "
              f"adopt. Logged in {logged}.")
    else:
        print(f"Discarded {what} (started {_utc(record.started_at)}) from {journal.named}. Logged in {logged}, "
              "with the whole record.")
    return 0


def _check_forced(args: argparse.Namespace, record: Attempt, scoped: Journal) -> None:
    """Refuse an unsettled record without ``--force``, and one that a live process may still be placing."""
    since = _utc(record.started_at)
    known = "" if record.known_before is None else (
        f"; the orders that existed before it ({len(record.known_before)}) are listed in the record")
    if not args.force:
        raise Refused(
            f"resource {record.key}'s record is {record.state} ({scoped.where(record.key)}): CreateOrder was sent "
            f"by a run that may have been killed (host {record.host or '?'}, pid {record.pid}, started {since}), so "
            f"an order may exist that no resource holds. Look for it first: list the Outpost's orders in region "
            f"{record.region} placed since {since}{known}. If one is this resource's, adopt it (`adopt_order_id`) or "
            "run `pulumi up` again to reconcile; release with --force only once you know no order was placed. "
            "Nothing was changed.")
    # A process on this machine is asked; another machine's is known by its lease (a shared store's). A local
    # record from another host without a lease (a container since replaced) cannot be asked: --force decides.
    if record.active() and (record.alive_at is not None or record.host == socket.gethostname()):
        raise Refused(
            f"resource {record.key}'s {record.state} attempt may still be running (host {record.host or '?'}, pid "
            f"{record.pid}, alive at {_utc(record.alive_at or record.started_at)}); wait for it to finish or be "
            "stopped, then look again. Nothing was changed.")


def _confirm(args: argparse.Namespace, question: str) -> None:
    if args.yes:
        return
    if not sys.stdin.isatty():
        raise Refused(f"{question[:-1]}: confirm with --yes (standard input is not a terminal); nothing was changed")
    try:
        answer = input(f"{question} Reason: {args.reason.strip()}\nType yes to release: ")
    except (EOFError, KeyboardInterrupt):
        answer = ""
    if answer.strip().lower() not in ("y", "yes"):
        raise Refused("not confirmed; nothing was changed")


def _comparable(attempt: Attempt) -> dict[str, Any]:
    """A record without its lease renewal time (a shared store's heartbeat moves it)."""
    data = attempt.to_json()
    data.pop("alive_at", None)
    return data


def _audit(journal: Journal, record: Attempt, reason: str) -> str:
    """Log a release before it is made (the local journal's ``releases.log``, a shared store's ``releases/``);
    where it was logged. Nothing is released unless this succeeds."""
    from pulumi_outposts_orders.claims.journal import spec_digest
    from pulumi_outposts_orders.claims.shared import SharedJournal

    now = time.time()
    entry = {
        "at": _utc(now), "user": _user(), "host": socket.gethostname(), "key": record.key,
        "order_id": record.order_id, "reason": reason, "state": record.state, "scope": record.scope,
        "action": "released" if record.holds() else "discarded", "record": record.to_json(),
    }
    if isinstance(journal, SharedJournal):
        stamp = datetime.fromtimestamp(now, UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        name = f"{RELEASES_PREFIX}{stamp}-{spec_digest(entry)[:16]}.json"
        journal.store.create(name, entry)
        return f"{journal.store.location}/{name}"
    path = journal.directory / RELEASES_LOG
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a") as handle:
            handle.write(json.dumps(entry, sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise Usage(f"cannot write the audit log {path} ({exc}); nothing was released") from exc
    return str(path)


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no name for this uid (a container)
        return f"uid {os.getuid()}"


# --- migrate -------------------------------------------------------------------------------------------------------
def _migrate(args: argparse.Namespace) -> int:
    from pulumi_outposts_orders.claims.journal import Journal, JournalError
    from pulumi_outposts_orders.claims.s3 import Location
    from pulumi_outposts_orders.claims.shared import SharedJournal
    from pulumi_outposts_orders.claims.store import ClaimsSetting

    try:
        Location.parse(args.to)
    except ValueError as exc:
        raise Usage(f"--to: {exc}") from exc
    current = setting_of(args.stack, args.cwd)
    target = ClaimsSetting(args.to, "--to", current.aws).journal()
    if not isinstance(target, SharedJournal):  # an S3 location is always a shared store
        raise Usage(f"--to {args.to} is not a shared claim store")
    local = Journal()
    records = local.all()  # every scope; an unreadable record stops here, named
    copied = claimed = 0
    present: list[str] = []
    failed: list[str] = []
    for record in records:
        shared = SharedJournal(target.store, record.scope)
        with shared.lock():
            there = shared.get(record.key)
            if there is not None:
                same = _comparable(there) == _comparable(record)
                present.append(f"{record.key}{_scope_note(record)}: " + (
                    "already there" if same else f"already there with another record ({there.state}"
                    f"{', order ' + there.order_id if there.order_id else ''}; here {record.state}"
                    f"{', order ' + record.order_id if record.order_id else ''}): left alone"))
                continue
            try:
                shared._write(record)  # the journal's own path: a holding record claims orders/<id>.json first
            except JournalError as exc:
                failed.append(f"{record.key}{_scope_note(record)}: {exc}")
                continue
        copied += 1
        claimed += 1 if record.holds() else 0
    aliases_copied = 0
    for declared, identity, problem in _aliases(local.directory):
        if problem:
            failed.append(problem)
        elif (there_identity := target.identity_of(declared)) == identity:
            present.append(f"alias {declared} -> {identity}: already there")
        elif there_identity is not None:
            present.append(f"alias {declared} -> {identity}: already there as -> {there_identity}: left alone")
        else:
            target.alias(declared, identity)
            aliases_copied += 1
    for line in present:
        print(f"  {line}")
    for line in failed:
        print(f"  not copied: {line}", file=sys.stderr)
    print(f"Migrated {local.named} ({local.directory}) to {target.named}: {copied} record(s) copied "
          f"({claimed} with their order claim), {aliases_copied} alias(es) copied; {len(present)} already there, "
          f"{len(failed)} not copied.")
    if current.url != args.to:
        print(f"The providers use it once the stack is set to: `pulumi config set outposts-orders:claims {args.to}` "
              "(or PULUMI_OUTPOSTS_ORDERS_CLAIMS in their environment).")
    if failed:
        raise Refused(f"{len(failed)} record(s) or alias(es) could not be migrated (listed above); the rest was")
    return 0


def _scope_note(record: Attempt) -> str:
    return f" (scope {record.scope})" if record.scope else ""


def _aliases(directory: Path) -> list[tuple[str, str, str]]:
    """Every alias record of the local journal: (declared, identity, ``""``), or a problem naming the file."""
    found = []
    for path in sorted((directory / "aliases").glob("*.json")):
        try:
            data = json.loads(path.read_text())
            found.append((str(data["declared"]), str(data["identity"]), ""))
        except (OSError, ValueError, TypeError, KeyError) as exc:
            found.append(("", "", f"the alias record {path} cannot be read ({exc})"))
    return found
