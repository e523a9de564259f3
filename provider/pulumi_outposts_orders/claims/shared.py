"""The attempt journal kept in a claim store every runner shares (S3): what a killed run on one CI runner
leaves, another runner finds.

The records and decisions are the local journal's (``claims.journal``); only where they live and how they are
written differs. Under ``s3://BUCKET/PREFIX/``:

- ``attempts/<name>.json``: one resource's latest attempt (the local journal's record, plus ``alive_at``);
- ``orders/<order id>.json``: which resource holds that order. Created with ``If-None-Match: *`` before the
  attempt says it holds it, so two resources (two stacks, two runners) never hold one order;
- ``inflight/<spec digest>/<name>``: an attempt that may be sending, so identical attempts find each other
  with one LIST instead of reading every record;
- ``aliases/<name>.json``: renames; ``lock.json``: the lease that serialises read-claims-then-claim decisions.

Every write is conditional: a record is created with ``If-None-Match: *`` and moved with ``If-Match`` on the
ETag this journal read. A write that loses means another runner changed the record meanwhile: the journal
stops (``JournalError``), it never overwrites. A process that is placing renews its record's ``alive_at``
every ``HEARTBEAT_S``; another runner treats an unsettled attempt whose lease (``LEASE_S``) ran out as that of
a killed run and settles it, with the same conditional writes (so a run that was only slow makes it stop).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from pulumi_outposts_orders.claims.journal import (
    _THREAD_LOCK,
    HOLDING,
    LEASE_S,
    Attempt,
    Journal,
    JournalError,
    alias_name,
    is_running,
    record_name,
)
from pulumi_outposts_orders.claims.s3 import ClaimStoreError, ClaimTaken, S3Claims

HEARTBEAT_S = 5.0  # how often a placing process renews its attempt's lease
LOCK_LEASE_S = 60.0  # a decision lock older than this was left by a killed run
LOCK_WAIT_S = 300.0  # longest wait for the decision lock
_ABSENT = ""  # the ETag of a record this journal read as absent


class SharedJournal(Journal):
    """Attempt records in an S3 claim store, for one scope (see the module docstring)."""

    shared = True

    def __init__(self, store: S3Claims, scope: str | None = None) -> None:
        super().__init__(Path(os.devnull), scope)
        self.store = store
        self._etags: dict[str, str] = {}  # name → ETag of the version this journal last read or wrote
        self._records: dict[str, dict[str, Any] | None] = {}  # name → that version (None: absent)
        self._io = threading.RLock()  # the heartbeat renews records through this journal too
        self._renewed: dict[str, float | None] = {}  # name → when it was last written, by the store's clock
        self._lock_depth = threading.local()

    @property
    def named(self) -> str:
        return f"the shared claim store {self.store.location}"

    # --- queries -----------------------------------------------------------------------------------
    def get(self, key: str) -> Attempt | None:
        name = self._name(key)
        found = self._read(name)
        return None if found is None else self._attempt(name, found)

    def all(self) -> list[Attempt]:
        return [a for a in self._every_scope() if self.scope is None or a.scope in (None, self.scope)]

    def _every_scope(self) -> list[Attempt]:
        found = []
        for name in list(self.store.names("attempts/")):
            record = self._read(name)
            if record is not None:
                found.append(self._attempt(name, record))
        return found

    def claims(self, except_key: str) -> OrderClaims:  # type: ignore[override]
        return OrderClaims(self, except_key)

    def claimant(self, order_id: str) -> str | None:
        """The key named by ``order_id``'s order claim, if any (one read; see :meth:`holder`)."""
        found = self._read(_order_name(order_id))
        return None if found is None else str(found.get("key"))

    def holder(self, order_id: str) -> str | None:
        """The key of the resource that holds ``order_id`` (its order claim and its record agree), if any."""
        found = self._read(_order_name(order_id))
        if found is None:
            return None
        key, scope = str(found.get("key")), found.get("scope")
        record = self._read(self._name(key, scope))
        attempt = None if record is None else _attempt(record, key)
        return key if attempt is not None and attempt.holds() and attempt.order_id == order_id else None

    def peers(self, key: str, digest: str, since: float) -> list[Attempt]:
        found = []
        for marker in list(self.store.names(f"inflight/{digest}/")):
            name = "attempts/" + marker.rsplit("/", 1)[1]
            record = self._read(name)
            attempt = None if record is None else self._attempt(name, record)
            if attempt is None or not attempt.unsettled():
                continue
            if attempt.key != key and attempt.digest == digest and attempt.started_at > since and (
                    self.scope is None or attempt.scope in (None, self.scope)):
                found.append(attempt)
        return found

    def identity_of(self, declared: str) -> str | None:
        found = self._read(alias_name(declared))
        if found is None:
            return None
        return str(found["identity"]) if found.get("declared") == declared else None

    def carriers(self, identity: str) -> list[str]:
        names = [self._read(name) for name in list(self.store.names("aliases/"))]
        return [str(n["declared"]) for n in names if n is not None and n.get("identity") == identity]

    def where(self, key: str) -> str:
        return f"{self.store.location}/{self._name(key)}"

    # --- changes -----------------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive access for a read-claims-then-claim decision, across every runner of the store."""
        depth = getattr(self._lock_depth, "n", 0)
        with _THREAD_LOCK:
            if depth:
                self._lock_depth.n = depth + 1
                try:
                    yield
                finally:
                    self._lock_depth.n = depth
                return
            etag = self._acquire()
            self._lock_depth.n = 1
            try:
                yield
            finally:
                self._lock_depth.n = 0
                with contextlib.suppress(ClaimStoreError, ClaimTaken):
                    self.store.delete("lock.json", etag)

    def _acquire(self) -> str:
        mine = {"host": socket.gethostname(), "pid": os.getpid()}
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                return self.store.create("lock.json", {**mine, "until": time.time() + LOCK_LEASE_S})
            except ClaimTaken as taken:
                if taken.current is not None and taken.etag and float(taken.current.get("until", 0)) < time.time():
                    with contextlib.suppress(ClaimTaken):  # a killed run's lock: take it over, once
                        return self.store.replace("lock.json", {**mine, "until": time.time() + LOCK_LEASE_S},
                                                  taken.etag)
            except ClaimStoreError as exc:
                raise JournalError(f"{exc} Nothing was ordered.") from exc
            if time.monotonic() > deadline:
                raise JournalError(f"the decision lock of {self.named} stayed taken for {LOCK_WAIT_S:g} s "
                                   f"({self.store.location}/lock.json); nothing was ordered. Run again.")
            time.sleep(0.05)

    def alias(self, declared: str, identity: str) -> None:
        if self.identity_of(declared) == identity:
            return
        self._put(alias_name(declared), {"declared": declared, "identity": identity})

    def discard(self, key: str) -> None:
        name = self._name(key)
        with self._io:
            earlier = self._current(name)
            self._delete(name)
        if earlier is not None:
            self._unmark(earlier)

    def prune(self) -> None:
        """Released records stay in a shared store (an S3 lifecycle rule may expire ``attempts/``)."""

    def keep_alive(self, key: str) -> contextlib.AbstractContextManager[None]:
        return _Heartbeat(self, key)

    def _write(self, attempt: Attempt) -> Attempt:
        with self._io:
            return self._write_record(attempt)

    def _write_record(self, attempt: Attempt) -> Attempt:
        attempt = replace(attempt, scope=self.scope, alive_at=time.time())
        name = self._name(attempt.key)
        earlier_json = self._current(name)
        earlier = None if earlier_json is None else _attempt(earlier_json, name)
        if attempt.holds() and not (earlier is not None and earlier.holds() and earlier.order_id == attempt.order_id):
            self._claim_order(str(attempt.order_id), attempt.key)
        if attempt.unsettled():
            self._mark(_inflight_name(attempt.digest, name))
        self._put(name, attempt.to_json())
        if not attempt.unsettled() and earlier is not None and earlier.unsettled():
            self._unmark(earlier_json or {})
        if earlier is not None and earlier.holds() and earlier.order_id != (attempt.order_id if attempt.holds()
                                                                             else None):
            self._release_order(str(earlier.order_id), attempt.key)
        return attempt

    def renew(self, key: str) -> bool:
        """Renew the lease of ``key``'s unsettled attempt if this process still owns it (``False``: it does not)."""
        name = self._name(key)
        with self._io:
            record = self._current(name)
            if record is None or not _attempt(record, name).unsettled() or not _attempt(record, name).mine():
                return False
            try:
                self._put(name, {**record, "alive_at": time.time()})
            except JournalError:
                return False
            return True

    # --- order claims ------------------------------------------------------------------------------
    def _claim_order(self, order_id: str, key: str) -> None:
        """Make ``key`` the holder of ``order_id``, atomically: another resource that holds it stops this."""
        name = _order_name(order_id)
        claim = {"order_id": order_id, "key": key, "scope": self.scope, "at": time.time(),
                 "host": socket.gethostname()}
        try:
            self.store.create(name, claim)
            return
        except ClaimTaken as taken:
            current, etag = taken.current, taken.etag
        except ClaimStoreError as exc:
            raise JournalError(f"{exc} Nothing was ordered.") from exc
        holder = self.holder(order_id)
        if holder is not None and holder != key:
            raise JournalError(f"order {order_id} is held by resource {holder} in {self.named}; a resource never "
                               "takes an order another resource holds")
        try:  # a claim whose record no longer holds the order (released, or never written): take it over
            if current is None:
                self.store.create(name, claim)
            else:
                self.store.replace(name, claim, str(etag))
        except ClaimTaken as exc:
            raise JournalError(f"another runner claimed order {order_id} in {self.named} at the same moment; "
                               "run again") from exc
        except ClaimStoreError as exc:
            raise JournalError(f"{exc} Nothing was ordered.") from exc

    def _release_order(self, order_id: str, key: str) -> None:
        found = self._read(_order_name(order_id))
        if found is not None and found.get("key") == key:
            with contextlib.suppress(ClaimStoreError, ClaimTaken):
                self.store.delete(_order_name(order_id), self._etags.get(_order_name(order_id)) or None)

    def _unmark(self, record: dict[str, Any]) -> None:
        try:
            digest = _attempt(record, "").digest
        except JournalError:
            return
        with contextlib.suppress(ClaimStoreError, ClaimTaken):
            self.store.delete(_inflight_name(digest, self._name(str(record.get("key")))))

    # --- storage -----------------------------------------------------------------------------------
    def _name(self, key: str, scope: Any = ...) -> str:
        scope = self.scope if scope is ... else scope
        return "attempts/" + record_name(key, None if scope is None else str(scope))

    def _read(self, name: str) -> dict[str, Any] | None:
        try:
            found = self.store.read_aged(name)
        except ClaimStoreError as exc:
            raise JournalError(f"{exc} Nothing was ordered.") from exc
        self._etags[name] = _ABSENT if found is None else found[1]
        self._records[name] = None if found is None else found[0]
        self._renewed[name] = None if found is None or found[2] is None else time.time() - found[2]
        return self._records[name]

    def _attempt(self, name: str, record: dict[str, Any]) -> Attempt:
        """``record`` (read as ``name``) as an attempt whose lease is judged by the store's clock: its last
        write, by the store's clock, as a time on this runner's (the clocks of runners may disagree)."""
        attempt = _attempt(record, f"{self.store.location}/{name}")
        renewed = self._renewed.get(name)
        if attempt.alive_at is None or renewed is None or self._records.get(name) is not record:
            return attempt
        return replace(attempt, alive_at=renewed)

    def _current(self, name: str) -> dict[str, Any] | None:
        """``name`` as this journal last read or wrote it (read once if it never did)."""
        return self._records[name] if name in self._etags else self._read(name)

    def _put(self, name: str, data: dict[str, Any]) -> None:
        """Create ``name`` if this journal read it as absent, else move it from the version it read."""
        if name not in self._etags:
            self._read(name)
        etag = self._etags[name]
        try:
            written = self.store.create(name, data) if etag == _ABSENT else self.store.replace(name, data, etag)
            self._etags[name], self._records[name] = written, json.loads(json.dumps(data))
            self._renewed[name] = time.time()
        except ClaimTaken as exc:
            if exc.current == json.loads(json.dumps(data)) and exc.etag:  # our own write, retried after a lost answer
                self._etags[name], self._records[name] = exc.etag, exc.current
                self._renewed[name] = time.time()
                return
            self._etags.pop(name, None)
            self._records.pop(name, None)
            raise JournalError(
                f"another runner changed {self.store.location}/{name} while this one was deciding from it; nothing "
                "was decided from the old version. Run again: the next run reads what that runner wrote.") from exc
        except ClaimStoreError as exc:
            raise JournalError(str(exc)) from exc

    def _mark(self, name: str) -> None:
        """An empty marker object; one that exists already is fine."""
        try:
            self.store.create(name, {})
        except ClaimTaken:
            pass
        except ClaimStoreError as exc:
            raise JournalError(str(exc)) from exc

    def _delete(self, name: str) -> None:
        try:
            self.store.delete(name, self._etags.get(name) or None)
        except ClaimTaken as exc:
            raise JournalError(f"another runner changed {self.store.location}/{name} meanwhile; run again") from exc
        except ClaimStoreError as exc:
            raise JournalError(str(exc)) from exc
        self._etags[name], self._records[name] = _ABSENT, None


class OrderClaims:
    """Order ID → key of the resource (other than ``except_key``) that holds it, read on demand from the store."""

    def __init__(self, journal: SharedJournal, except_key: str) -> None:
        self._journal = journal
        self._except = except_key
        self._known: set[str] | None = None
        self._holders: dict[str, str | None] = {}

    def get(self, order_id: str, default: str | None = None) -> str | None:
        """The holder of ``order_id``, unless it is ``except_key`` or nobody."""
        if self._known is None:
            self._known = {n[len("orders/"):-len(".json")] for n in self._journal.store.names("orders/")}
        if order_id not in self._known:
            return default
        if order_id not in self._holders:  # the order claim names its holder (``holder`` also reads the record)
            self._holders[order_id] = self._journal.claimant(order_id)
        holder = self._holders[order_id]
        return default if holder is None or holder == self._except else holder

    def __contains__(self, order_id: object) -> bool:
        return isinstance(order_id, str) and self.get(order_id) is not None


class _Heartbeat(contextlib.AbstractContextManager[None]):
    """Renews ``key``'s attempt lease every ``HEARTBEAT_S`` while its placement runs."""

    def __init__(self, journal: SharedJournal, key: str) -> None:
        self._journal = journal
        self._key = key
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"lease {key}")

    def __enter__(self) -> None:
        self._thread.start()

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=HEARTBEAT_S * 2)

    def _run(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            with contextlib.suppress(Exception):  # a missed renewal only shortens the lease
                if is_running(self._key):
                    self._journal.renew(self._key)


def _attempt(record: dict[str, Any], where: str) -> Attempt:
    try:
        return Attempt.from_json(record)
    except (ValueError, TypeError, KeyError) as exc:
        raise JournalError(f"the claim record {where} cannot be read ({exc}); nothing was ordered. It may be the "
                           "only trace of an order placed by an interrupted run: list the Outpost's orders, adopt any "
                           "that belongs to this stack (`adopt_order_id`), then delete the object and "
                           "run again.") from exc


def _order_name(order_id: str) -> str:
    return f"orders/{order_id}.json"


def _inflight_name(digest: str, attempt_name: str) -> str:
    return f"inflight/{digest}/{attempt_name.rsplit('/', 1)[1]}"


def record_json(record: dict[str, Any]) -> str:
    """A record as ``claims show`` prints it."""
    return json.dumps(record, indent=2, sort_keys=True)


__all__ = ["HOLDING", "LEASE_S", "OrderClaims", "SharedJournal", "record_json"]
