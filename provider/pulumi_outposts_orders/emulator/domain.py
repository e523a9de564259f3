"""The service behind the wire: operations as functions of a context and the request's members.

Each call runs in one database transaction at one simulated instant. The Outposts operations live
in ``outposts`` (``outposts.operations``); STS's AssumeRole (``sts.models``) and the lookup of
temporary credentials (``identity``) run through the same service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pulumi_outposts_orders.emulator.clock import Clock
from pulumi_outposts_orders.emulator.errors import not_found
from pulumi_outposts_orders.emulator.store import Store, Transaction

Params = dict[str, Any]

DEFAULT_MAX_OPEN_ORDERS = 500
DEFAULT_MAX_UNITS_PER_ORDER = 100


@dataclass(frozen=True)
class Settings:
    """Service settings: the seed account (seeding, admin API), the open-order quota per account, units per order."""

    account: str
    max_open_orders: int = DEFAULT_MAX_OPEN_ORDERS
    max_units_per_order: int = DEFAULT_MAX_UNITS_PER_ORDER


@dataclass(frozen=True)
class Context:
    """What an operation sees: its transaction, simulated now, the caller's region, settings and account."""

    tx: Transaction
    now: float
    region: str
    settings: Settings
    account: str

    def owns(self, account: str | None) -> bool:
        """Whether an order or quote of ``account`` belongs to the caller (``None``: stored before accounts
        existed, the seed account's)."""
        return (account or self.settings.account) == self.account

    def find(self, kind: str, doc_id: str, name: str) -> Params:
        """The stored document; NotFoundException saying ``name`` does not exist if there is none."""
        found = self.tx.get(kind, doc_id)
        if found is None:
            raise not_found(f"{name} does not exist")
        return found


Operation = Callable[[Context, Params], Params]


class Service:
    """Runs operations against a store at the clock's simulated time."""

    def __init__(self, store: Store, clock: Clock, settings: Settings, operations: dict[str, Operation]) -> None:
        self.store = store
        self.clock = clock
        self.settings = settings
        self._operations = operations

    def implements(self, operation: str) -> bool:
        """Whether the emulator implements ``operation``."""
        return operation in self._operations

    def call(self, operation: str, params: Params, region: str, account: str | None = None) -> Params:
        """Run the API operation named ``operation``; raises ApiError for the service's errors."""
        return self.run(self._operations[operation], params, region, account)

    def run(self, operation: Operation, params: Params, region: str = "us-east-1",
            account: str | None = None) -> Params:
        """Run ``operation`` atomically at one simulated instant, for ``account`` (default: the seed account)."""
        with self.store.transaction() as tx:
            context = Context(tx, self.clock.now(tx), region, self.settings, account or self.settings.account)
            return operation(context, params)
