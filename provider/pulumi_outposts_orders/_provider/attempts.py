"""The attempt journal: which order each resource was placing, kept where a killed process leaves it.

CreateOrder has no idempotency token, so the provider keeps its own record, one small JSON file per
resource (keyed by the resource's ``placement_key``), written atomically (temporary file, fsync,
rename) *before* CreateOrder is sent and again when AWS answers:

- ``sending``: CreateOrder may be in flight or may have been answered without anyone hearing it
  (a lost response, a killed ``pulumi up``). A later create for the same resource reconciles first.
- ``unsure``: CreateOrder failed without proof that nothing was placed; reconciliation is looking.
- ``placed``: AWS answered with an order ID, but the stack may not have recorded it yet (the engine
  was killed before its checkpoint). A later create adopts that order instead of ordering again.
- ``recorded``: the engine showed it has the order (read, diff or delete was called with its ID).
  The order ID stays listed so that reconciliation for *other* resources never adopts it.

Where: ``$PULUMI_OUTPOSTS_ORDERS_JOURNAL``, else ``$PULUMI_HOME/outposts-orders/attempts``, else
``~/.pulumi/outposts-orders/attempts``: next to the Pulumi home of the machine running the update. The
journal holds no credentials: keys, parameter digests, times and order IDs only.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

State = Literal["sending", "unsure", "placed", "recorded"]
KEEP_RECORDED_S = 7 * 24 * 3600.0


@dataclass(frozen=True)
class Attempt:
    """One resource's latest placement attempt."""

    key: str
    digest: str
    started_at: float
    state: State
    order_id: str | None = None


def digest(params: Mapping[str, Any]) -> str:
    """A stable digest of CreateOrder parameters (what was ordered)."""
    return hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()


def default_directory() -> Path:
    explicit = os.environ.get("PULUMI_OUTPOSTS_ORDERS_JOURNAL")
    if explicit:
        return Path(explicit).expanduser()
    home = os.environ.get("PULUMI_HOME") or str(Path.home() / ".pulumi")
    return Path(home).expanduser() / "outposts-orders" / "attempts"


class Journal:
    """Attempt records in one directory (see the module docstring)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or default_directory()

    def get(self, key: str) -> Attempt | None:
        """The latest attempt of ``key``, if any."""
        return _load(self._path(key))

    def begin(self, key: str, params_digest: str) -> Attempt:
        """Record that CreateOrder is about to be sent for ``key``."""
        return self._write(Attempt(key, params_digest, time.time(), "sending"))

    def unsure(self, attempt: Attempt) -> Attempt:
        """Record that ``attempt``'s CreateOrder outcome is unknown (it is no longer in flight)."""
        return self._write(Attempt(attempt.key, attempt.digest, attempt.started_at, "unsure"))

    def placed(self, attempt: Attempt, order_id: str) -> Attempt:
        """Record the order ID AWS answered (or that reconciliation found) for ``attempt``."""
        return self._write(Attempt(attempt.key, attempt.digest, attempt.started_at, "placed", order_id))

    def recorded(self, key: str, order_id: str) -> None:
        """The stack holds ``order_id`` for ``key``: nothing left to reconcile for it."""
        attempt = self.get(key)
        if attempt is not None and attempt.order_id == order_id and attempt.state != "recorded":
            self._write(Attempt(key, attempt.digest, attempt.started_at, "recorded", order_id))

    def discard(self, key: str) -> None:
        """Forget ``key``'s attempt (AWS refused it: nothing was placed)."""
        self._path(key).unlink(missing_ok=True)

    def sending(self, except_key: str, since: float) -> list[str]:
        """Keys of other attempts started after ``since`` whose CreateOrder has not been settled."""
        return [a.key for a in self._all() if a.key != except_key and a.state == "sending" and a.started_at > since]

    def claimed_order_ids(self, except_key: str) -> set[str]:
        """Order IDs that other resources placed or hold: never adopt these for ``except_key``.

        Settled records older than ``KEEP_RECORDED_S`` are pruned on the way: their orders were
        submitted long before any attempt that reconciliation could be looking for."""
        claimed: set[str] = set()
        for attempt in self._all():
            if attempt.state == "recorded" and attempt.started_at < time.time() - KEEP_RECORDED_S:
                self._path(attempt.key).unlink(missing_ok=True)
            elif attempt.key != except_key and attempt.order_id:
                claimed.add(attempt.order_id)
        return claimed

    def _all(self) -> Iterator[Attempt]:
        if self.directory.is_dir():
            for path in self.directory.glob("*.json"):
                attempt = _load(path)
                if attempt is not None:
                    yield attempt

    def _path(self, key: str) -> Path:
        return self.directory / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"

    def _write(self, attempt: Attempt) -> Attempt:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".attempt-")
        try:
            with os.fdopen(fd, "w") as handle:
                json.dump(asdict(attempt), handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self._path(attempt.key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return attempt


def _load(path: Path) -> Attempt | None:
    try:
        data = json.loads(path.read_text())
        return Attempt(**data)
    except (OSError, ValueError, TypeError):
        return None
