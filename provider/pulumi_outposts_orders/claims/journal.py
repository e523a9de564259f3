"""The attempt journal: which order each resource placed or was placing, kept where a killed process leaves it.

CreateOrder has no idempotency token, so the provider keeps its own record, one small JSON file per
resource (keyed by the resource's ``placement_key``), written atomically (temporary file, fsync,
rename) *before* CreateOrder is sent and again when the outcome is known:

- ``sending``: CreateOrder may be in flight, or was answered without anyone hearing it (a killed
  ``pulumi up``). A later create of the same resource reconciles first.
- ``unsure``: CreateOrder failed without proof that nothing was placed (a 5xx, a timeout, a closed
  connection). Kept until reconciliation settles it, even if a later send of the same create is
  refused.
- ``placed``: this resource holds the order (AWS answered, reconciliation found it, or it was
  adopted). The order ID is *claimed*: no other resource's reconciliation or adoption takes it.
- ``recorded``: as ``placed``, and the engine has shown that the stack holds the resource (a diff or
  a refresh of it).
- ``released``: the order was cancelled or forgotten by ``delete``; nothing is claimed any more.

Each record keeps the order's spec (``outposts.same_order.OrderSpec``), the region, the IDs of the orders that
existed before the first send (``known_before``: what reconciliation must never take for its own),
and the host and process that wrote it. The journal fails closed: a record it cannot read stops
the create and names the file. Decisions that read claims and then claim (reconciliation,
adoption) run under :meth:`Journal.lock`, a file lock shared by every provider process and thread
on the machine.

Where: ``$PULUMI_OUTPOSTS_ORDERS_JOURNAL``, else ``$PULUMI_HOME/outposts-orders/attempts``, else
``~/.pulumi/outposts-orders/attempts``: next to the Pulumi home of the machine running the update. The
journal holds no credentials: keys, order identities, regions, times and order IDs only.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, Protocol

from pulumi_outposts_orders.aws.errors import OrderError

State = Literal["sending", "unsure", "placed", "recorded", "released"]
STATES: tuple[State, ...] = ("sending", "unsure", "placed", "recorded", "released")
HOLDING: tuple[State, ...] = ("placed", "recorded")  # states that claim their order ID
VERSION = 3
READABLE_VERSIONS = (2, 3)  # version 2 records have no scope: they apply to every scope
KEEP_RELEASED_S = 7 * 24 * 3600.0
PROCESS = uuid.uuid4().hex  # this process, in records: a pid names a process only on its own machine
LEASE_S = 30.0  # another host's unsettled attempt not renewed for this long was left by a killed run


class JournalError(OrderError):
    """A journal record cannot be read or written: nothing is ordered until a person looks."""


class Spec(Protocol):
    """What an attempt is for, as its service defines "the same order" (``outposts.same_order.OrderSpec``)."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form, written into the record."""

    def digest(self) -> str:
        """Equal for every way of writing the same order."""


@dataclass(frozen=True)
class RecordedSpec:
    """A spec as a record holds it (JSON); its service reads it back (``OrderSpec.from_json``)."""

    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The JSON the record holds."""
        return dict(self.data)

    def digest(self) -> str:
        """The digest its service computes for the same JSON (sha256 of the sorted JSON)."""
        return spec_digest(self.data)


def spec_digest(data: dict[str, Any]) -> str:
    """The digest of a spec's JSON form: services compute theirs with this function too."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class Attempt:
    """One resource's latest placement: what, where, since when, and how it stands."""

    key: str
    spec: Spec
    region: str
    started_at: float
    state: State
    known_before: tuple[str, ...] | None = None
    order_id: str | None = None
    host: str = ""
    pid: int = 0
    scope: str | None = None  # where the order lives (``Scope``); None: a record from before scopes (any)
    alive_at: float | None = None  # last renewal of a shared store's lease (``claims.shared``); None: no lease
    process: str | None = None  # the writing process's ``PROCESS`` ID (pids and host names repeat across containers)

    @property
    def digest(self) -> str:
        """The digest of the order it is for (see ``Spec.digest``)."""
        return self.spec.digest()

    def holds(self) -> bool:
        """Whether this record claims ``order_id``."""
        return self.state in HOLDING and self.order_id is not None

    def unsettled(self) -> bool:
        """Whether CreateOrder may have placed an order that nobody holds yet."""
        return self.state in ("sending", "unsure")

    def active(self) -> bool:
        """Whether a live process may still be sending this CreateOrder or reconciling its outcome."""
        if not self.unsettled() or self.pid == 0:  # pid 0: its process stopped working on it (``idle``)
            return False
        if self.mine():
            with _THREAD_LOCK:
                return self.key in _RUNNING
        if self.host != socket.gethostname() or self.pid == os.getpid():
            # Another machine, or a container with this one's host name and pid: no process to ask. A lease,
            # where the store keeps one (``claims.shared``); else assume it is alive.
            return self.alive_at is None or time.time() - self.alive_at < LEASE_S
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def mine(self) -> bool:
        """Whether this process wrote the record (host, pid and the process's random ``PROCESS`` ID agree)."""
        return (self.host == socket.gethostname() and self.pid == os.getpid()
                and self.process in (None, PROCESS))

    def to_json(self) -> dict[str, Any]:
        """The record as written to disk."""
        return {
            "version": VERSION, "key": self.key, "spec": self.spec.to_json(), "region": self.region,
            "started_at": self.started_at, "state": self.state,
            "known_before": None if self.known_before is None else list(self.known_before),
            "order_id": self.order_id, "host": self.host, "pid": self.pid, "scope": self.scope,
            **({} if self.alive_at is None else {"alive_at": self.alive_at}),
            **({} if self.process is None else {"process": self.process}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Attempt:
        """A record read from disk (``ValueError`` when it is not one this version writes)."""
        if data.get("version") not in READABLE_VERSIONS:
            raise ValueError(f"record version {data.get('version')!r}, this provider writes {VERSION}")
        if data.get("state") not in STATES:
            raise ValueError(f"unknown state {data.get('state')!r}")
        known = data.get("known_before")
        return cls(
            key=str(data["key"]), spec=RecordedSpec(dict(data["spec"])), region=str(data["region"]),
            started_at=float(data["started_at"]), state=data["state"],
            known_before=None if known is None else tuple(str(k) for k in known),
            order_id=data.get("order_id"), host=str(data.get("host", "")), pid=int(data.get("pid", 0)),
            scope=data.get("scope"), alive_at=None if data.get("alive_at") is None else float(data["alive_at"]),
            process=None if data.get("process") is None else str(data["process"]),
        )


def default_directory() -> Path:
    """The journal directory of this machine (see the module docstring)."""
    explicit = os.environ.get("PULUMI_OUTPOSTS_ORDERS_JOURNAL")
    if explicit:
        return Path(explicit).expanduser()
    home = os.environ.get("PULUMI_HOME") or str(Path.home() / ".pulumi")
    return Path(home).expanduser() / "outposts-orders" / "attempts"


_THREAD_LOCK = threading.RLock()
_RUNNING: set[str] = set()  # keys whose placement is under way in this process


def is_running(key: str) -> bool:
    """Whether ``key``'s placement is under way in this process."""
    with _THREAD_LOCK:
        return key in _RUNNING


@contextlib.contextmanager
def running(key: str) -> Iterator[None]:
    """Mark ``key``'s placement as under way in this process (see ``Attempt.active``)."""
    with _THREAD_LOCK:
        _RUNNING.add(key)
    try:
        yield
    finally:
        with _THREAD_LOCK:
            _RUNNING.discard(key)


def scope_of(endpoint: str, region: str, account: str) -> str:
    """Where orders live: the Outposts endpoint, region and AWS account. Records of one scope never
    claim, block or settle anything in another (a stack tried against the emulator, then run on AWS)."""
    return f"{endpoint} {region} {account}"


class Journal:
    """Attempt records in one directory for one scope (see the module docstring and ``scope_of``).

    Without a scope (``None``), only name aliases and records of every scope are read (``all``).
    ``claims.shared.SharedJournal`` keeps the same records in a store every runner shares."""

    shared = False  # True: every runner that orders in this account writes here (``claims.shared``)

    def __init__(self, directory: Path | None = None, scope: str | None = None) -> None:
        self.directory = directory or default_directory()
        self.scope = scope

    @property
    def named(self) -> str:
        """What this journal is, for messages."""
        return "this machine's attempt journal"

    def where(self, key: str) -> str:
        """Where ``key``'s record is kept, for messages that ask a person to look at it."""
        return str(self.path_of(key))

    def keep_alive(self, key: str) -> contextlib.AbstractContextManager[None]:
        """Renews ``key``'s lease while its placement runs (a shared store's; here the process is asked)."""
        return contextlib.nullcontext()

    # --- queries (no side effects) -----------------------------------------------------------------
    def get(self, key: str) -> Attempt | None:
        """The latest attempt of ``key`` in this scope, if any (``JournalError`` when its record is
        unreadable). A record written before scopes existed applies to every scope."""
        for path in (self._path(key), self._legacy_path(key)):
            if path.exists():
                return _load(path)
        return None

    def all(self) -> list[Attempt]:
        """Every record of this scope (``JournalError`` when one is unreadable: claims must be complete)."""
        return [a for a in self._every_scope() if self.scope is None or a.scope in (None, self.scope)]

    def claims(self, except_key: str) -> dict[str, str]:
        """Order ID → key of every order that a resource other than ``except_key`` holds, in any scope (an
        order ID names one order wherever it is held)."""
        return {a.order_id: a.key for a in self._every_scope()
                if a.key != except_key and a.holds() and a.order_id}

    def _every_scope(self) -> list[Attempt]:
        if not self.directory.is_dir():
            return []
        return [_load(path) for path in sorted(self.directory.glob("*.json"))]

    def peers(self, key: str, digest: str, since: float) -> list[Attempt]:
        """Other resources' unsettled attempts at the same order, started after ``since``."""
        return [a for a in self.all()
                if a.key != key and a.unsettled() and a.digest == digest and a.started_at > since]

    def identity_of(self, declared: str) -> str | None:
        """The identity a renamed resource carries, by the name it is declared with now (see ``alias``)."""
        path = self._alias_path(declared)
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text())
            return str(data["identity"]) if data.get("declared") == declared else None
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise JournalError(f"the alias record {path} cannot be read ({exc}); nothing was ordered. Delete it "
                               "and run `pulumi preview` again: it is written anew from the stack.") from exc

    def carriers(self, identity: str) -> list[str]:
        """The names under which resources carrying ``identity`` are declared now (renamed resources)."""
        found = []
        for path in sorted((self.directory / "aliases").glob("*.json")):
            with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
                data = json.loads(path.read_text())
                if data["identity"] == identity:
                    found.append(str(data["declared"]))
        return found

    # --- changes -----------------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive access for a read-claims-then-claim decision (all threads and processes here)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with _THREAD_LOCK, open(self.directory / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def alias(self, declared: str, identity: str) -> None:
        """Record that the resource declared as ``declared`` carries ``identity`` (the name it was first
        placed under): a rename, a move into a component, a stack or project rename."""
        if self.identity_of(declared) == identity:
            return
        self._write_json(self._alias_path(declared), {"declared": declared, "identity": identity})

    def begin(self, key: str, spec: Spec, region: str, known_before: tuple[str, ...] | None,
              earlier: Attempt | None = None) -> Attempt:
        """Record that CreateOrder is about to be sent for ``key``.

        ``earlier`` is this create's previous send whose outcome stayed unknown: the record keeps its
        start and ``known_before``, so reconciliation still looks for what that send placed."""
        if earlier is not None and earlier.state == "unsure":
            attempt = replace(earlier, state="sending", host=socket.gethostname(), pid=os.getpid(), process=PROCESS)
        else:
            attempt = Attempt(key, spec, region, time.time(), "sending", known_before,
                              host=socket.gethostname(), pid=os.getpid(), process=PROCESS)
        return self._write(attempt)

    def resume(self, attempt: Attempt) -> Attempt:
        """Record that this process now settles ``attempt`` (an unsettled record of an earlier run, e.g. by
        adopting its order): identical attempts reconciling meanwhile wait for it instead of naming its order."""
        return self._write(replace(attempt, state="sending", host=socket.gethostname(), pid=os.getpid(),
                                   process=PROCESS))

    def restore(self, attempt: Attempt) -> Attempt:
        """Put back ``attempt`` as it was (a :meth:`resume` that settled nothing)."""
        return self._write(attempt)

    def mark(self, attempt: Attempt, state: State, order_id: str | None = None) -> Attempt:
        """Write ``attempt`` in ``state`` (with the order it holds, if any)."""
        return self._write(replace(attempt, state=state, order_id=order_id or attempt.order_id))

    def hold(self, key: str, spec: Spec, region: str, order_id: str) -> Attempt:
        """Record that ``key`` holds ``order_id`` (adopted, or found by reconciliation)."""
        earlier = self.get(key)
        base = earlier if earlier is not None else Attempt(key, spec, region, time.time(), "placed",
                                                           host=socket.gethostname(), pid=os.getpid(), process=PROCESS)
        return self._write(replace(base, spec=spec, region=region, state="placed", order_id=order_id))

    def track(self, key: str, spec: Spec, region: str, order_id: str) -> str | None:
        """The engine showed that the stack tracks ``order_id`` as ``key`` (a refresh, a diff): claim it, unless
        this key's record says otherwise (an attempt still unsettled) or another key holds it, whose key
        is returned. A record of an older order this key held is replaced: the stack tracks this one now."""
        known = self.get(key)
        if known is not None and known.holds() and known.order_id == order_id:
            if known.state == "placed":  # the first look after its create: this key's own order, settled
                self._write(replace(known, state="recorded"))
            return None  # the usual diff or refresh: one small file read
        with self.lock():
            holder = self.claims(key).get(order_id)
            if holder is not None:
                return holder
            attempt = self.get(key)
            if attempt is None or attempt.state == "released" or (attempt.holds() and attempt.order_id != order_id):
                self._write(Attempt(key, spec, region, time.time(), "recorded", order_id=order_id))
            elif attempt.state == "placed" and attempt.order_id == order_id:
                self._write(replace(attempt, state="recorded"))
        return None

    def released(self, key: str, order_id: str) -> None:
        """``delete`` cancelled or forgot ``order_id``: ``key`` holds nothing any more."""
        attempt = self.get(key)
        if attempt is not None and attempt.order_id == order_id and attempt.holds():
            self._write(replace(attempt, state="released", started_at=time.time()))

    def idle(self, key: str) -> None:
        """This process's placement of ``key`` ended without settling it (an unknown outcome, an error): its record
        no longer names a live process (pid 0), so the next run settles it at once instead of waiting for this
        process to exit. A record another process wrote is left alone; a write that fails changes nothing."""
        with contextlib.suppress(JournalError):
            attempt = self.get(key)
            if attempt is not None and attempt.unsettled() and attempt.mine():
                self._write(replace(attempt, pid=0, process=None))

    def discard(self, key: str) -> None:
        """Forget ``key``'s attempt (AWS refused it, or reconciliation proved it placed nothing)."""
        self._path(key).unlink(missing_ok=True)
        self._legacy_path(key).unlink(missing_ok=True)

    def prune(self) -> None:
        """Delete ``released`` records older than a week (they claim nothing)."""
        for attempt in self.all():
            if attempt.state == "released" and attempt.started_at < time.time() - KEEP_RELEASED_S:
                self._path(attempt.key).unlink(missing_ok=True)

    def path_of(self, key: str) -> Path:
        """The file that holds ``key``'s record (for messages that ask a person to look at it)."""
        legacy = self._legacy_path(key)
        return legacy if legacy.exists() and not self._path(key).exists() else self._path(key)

    def _path(self, key: str) -> Path:
        return self.directory / record_name(key, self.scope)

    def _legacy_path(self, key: str) -> Path:
        return self.directory / record_name(key, None)

    def _alias_path(self, declared: str) -> Path:
        return self.directory / alias_name(declared)

    def _write(self, attempt: Attempt) -> Attempt:
        attempt = replace(attempt, scope=self.scope)
        self._write_json(self._path(attempt.key), attempt.to_json())
        if self.scope is not None:
            self._legacy_path(attempt.key).unlink(missing_ok=True)  # superseded by the scoped record
        return attempt

    def _write_json(self, path: Path, data: dict[str, Any]) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".attempt-")
            try:
                with os.fdopen(fd, "w") as handle:
                    json.dump(data, handle)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise JournalError(
                f"cannot write the attempt journal in {self.directory} ({exc}). "
                "Make it writable, or set PULUMI_OUTPOSTS_ORDERS_JOURNAL to a writable directory."
            ) from exc


def record_name(key: str, scope: str | None) -> str:
    """The file (or object) name of ``key``'s record in ``scope``: every journal names records this way."""
    return f"{_digest(key if scope is None else scope + chr(10) + key)}.json"


def alias_name(declared: str) -> str:
    """The name of the alias record of the resource declared as ``declared``, under ``aliases/``."""
    return f"aliases/{_digest(declared)}.json"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _load(path: Path) -> Attempt:
    try:
        return Attempt.from_json(json.loads(path.read_text()))
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise JournalError(
            f"the attempt journal record {path} cannot be read ({exc}); nothing was ordered. It may be "
            "the only trace of an order placed by an interrupted run: list the Outpost's orders, adopt "
            "any that belongs to this stack (`adopt_order_id`), then delete the file and run again."
        ) from exc
