"""What "the same order" means: one definition, used by diff, adoption, the journal and reconciliation.

Two orders are the same when they are for the same Outpost (by canonical ID: an ARN and its ID are
one Outpost), the same line items as a multiset (catalog item and whole quantity; declaration order is
irrelevant), the same payment option, the same payment term (an omitted term accepts any), and, for
quote-based orders, the same quote and quote option. Region is not part of the order: it is where
the order lives (``diff`` compares it separately).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from pulumi.runtime.rpc import UNKNOWN

from pulumi_outposts_orders._unknowns import is_unknown
from pulumi_outposts_orders.claims.journal import spec_digest
from pulumi_outposts_orders.outposts.shapes import snake

LineItems = tuple[tuple[str, int], ...]



def canonical_id(identifier: Any) -> Any:
    """The ID inside an ID-or-ARN (``arn:…:outpost/op-…`` → ``op-…``); other values unchanged."""
    return identifier.rsplit("/", 1)[-1] if isinstance(identifier, str) else identifier


def whole(value: Any) -> Any:
    """Pulumi carries every number as a double (2 arrives as 2.0): whole floats become ints."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def line_item_multiset(items: Any) -> Any:
    """Line items (input or API form) as a sorted tuple of (catalog item, quantity).

    Anything that is not a list of mappings is returned as it is (the model check reports it);
    an unknown part makes the whole value unknown."""
    if is_unknown(items):
        return UNKNOWN
    if not isinstance(items, list | tuple) or any(not isinstance(i, Mapping) for i in items):
        return items
    pairs = []
    for item in items:
        catalog = item.get("catalog_item_id", item.get("CatalogItemId"))
        quantity = whole(item.get("quantity", item.get("Quantity")))
        if is_unknown(catalog) or is_unknown(quantity):
            return UNKNOWN
        pairs.append((catalog, quantity))
    return tuple(sorted(pairs, key=repr))


@dataclass(frozen=True)
class OrderSpec:
    """An order's identity as the user declares it (property names as the user writes them)."""

    outpost_identifier: Any
    payment_option: Any
    payment_term: Any = None
    line_items: Any = None  # None for quote-based orders: their items come from the quote option
    quote_identifier: Any = None
    quote_option_identifier: Any = None

    @classmethod
    def declared(cls, props: Mapping[str, Any]) -> OrderSpec:
        """The order that resource inputs (snake_case, possibly unknown) declare."""
        quoted = props.get("quote_identifier") is not None
        return cls(
            outpost_identifier=_canonical(props.get("outpost_identifier")),
            payment_option=props.get("payment_option"),
            payment_term=props.get("payment_term"),
            line_items=None if quoted and props.get("line_items") is None else line_item_multiset(
                props.get("line_items")),
            quote_identifier=_canonical(props.get("quote_identifier")),
            quote_option_identifier=props.get("quote_option_identifier"),
        )

    @classmethod
    def of_params(cls, params: Mapping[str, Any]) -> OrderSpec:
        """The order that CreateOrder parameters ask for (each input is sent as its member in PascalCase)."""
        return cls.declared({snake(member): value for member, value in params.items()})

    @classmethod
    def of_order(cls, order: Mapping[str, Any]) -> OrderSpec:
        """The order AWS has (a GetOrder ``Order``, or provider outputs in snake_case)."""
        def get(api: str, snake: str) -> Any:
            return order.get(api, order.get(snake))

        quote = get("QuoteIdentifier", "quote_identifier")
        items = get("LineItems", "line_items")
        return cls(
            outpost_identifier=_canonical(get("OutpostId", "outpost_id") or order.get("outpost_identifier")),
            payment_option=get("PaymentOption", "payment_option"),
            payment_term=get("PaymentTerm", "payment_term"),
            line_items=None if quote else line_item_multiset(items),
            quote_identifier=_canonical(quote),
            quote_option_identifier=get("QuoteOptionIdentifier", "quote_option_identifier"),
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OrderSpec:
        """The spec written by :meth:`to_json` (the attempt journal)."""
        values = {f.name: data.get(f.name) for f in fields(cls)}
        if values["line_items"] is not None:
            values["line_items"] = tuple((str(c), int(q)) for c, q in values["line_items"])
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form (the attempt journal)."""
        data = asdict(self)
        if self.line_items is not None:
            data["line_items"] = [list(pair) for pair in self.line_items]
        return data

    def digest(self) -> str:
        """A stable digest: equal for every way of writing the same order (ARN or ID, item order)."""
        return spec_digest(self.to_json())

    def differences(self, actual: OrderSpec) -> list[tuple[str, Any, Any]]:
        """``(property, declared, actual)`` for each way ``actual`` is not this declared order.

        An omitted ``payment_term`` accepts any term; an unknown value counts as different."""
        found = []
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(actual, f.name)
            if f.name == "payment_term" and mine is None:
                continue
            if f.name == "line_items" and mine is None and self.quote_identifier is not None:
                continue
            if is_unknown(mine) or mine != theirs:
                found.append((f.name, mine, theirs))
        return found

    def accepts(self, order: Mapping[str, Any]) -> bool:
        """Whether ``order`` (a GetOrder ``Order``) is this order."""
        return not self.differences(OrderSpec.of_order(order))

    def summary(self) -> str:
        """``OR-ABC x2, OR-DEF x1`` or ``quote oq-… option oqo-…``, for messages."""
        if self.quote_identifier is not None:
            return f"quote {self.quote_identifier} option {self.quote_option_identifier}"
        if isinstance(self.line_items, tuple):
            return ", ".join(f"{item} x{quantity}" for item, quantity in self.line_items)
        return str(self.line_items)


def _canonical(identifier: Any) -> Any:
    return identifier if is_unknown(identifier) else canonical_id(identifier)
