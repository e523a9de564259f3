"""The emulator's domain records: what it knows of orders, quotes, catalog items and subscriptions, apart from the wire.

Each record holds the API members a caller gave or was given, plus the state only the emulator
keeps (an order's lifecycle anchor, hardware type and account; a quote's Outpost and each option's
units; a catalog item's class). Wire views are built from records in ``views``, never by copying
a record and dropping keys.

Stored form: ``dump`` writes, and ``load`` reads, the JSON documents the store has always held
(the emulator-only members under names starting with ``_``), so databases written by earlier
versions (``.local/emulator.db``) open unchanged, and the other way round. The kinds they are stored
under (``SITE``, ``OUTPOST``, ``CATALOG_ITEM``, ``ASSET``, ``ORDER``, ``QUOTE``, ``SUBSCRIPTION``) are
defined here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pulumi_outposts_orders.emulator.outposts.lifecycle import Anchor

Params = dict[str, Any]

SITE, OUTPOST, CATALOG_ITEM, ASSET, ORDER, QUOTE = "site", "outpost", "catalog_item", "asset", "order", "quote"
SUBSCRIPTION = "subscription"
"""Kinds of stored documents (subscriptions are stored under their Outpost)."""


@dataclass
class LineItem:
    """One line item of an order: a catalog item (or a quote option's unit) and how many."""

    line_item_id: str
    quantity: int
    catalog_item_id: str | None = None

    @classmethod
    def load(cls, stored: Params) -> LineItem:
        """The line item of a stored order."""
        return cls(stored["LineItemId"], stored["Quantity"], stored.get("CatalogItemId"))

    def dump(self) -> Params:
        """The stored form."""
        stored: Params = {"CatalogItemId": self.catalog_item_id} if self.catalog_item_id is not None else {}
        return {**stored, "Quantity": self.quantity, "LineItemId": self.line_item_id}


@dataclass
class Order:
    """An order as placed, with the emulator's state: its lifecycle anchor, hardware type, families, account."""

    order_id: str
    outpost_id: str
    payment_option: str
    line_items: list[LineItem]
    submitted: float
    hardware_type: str
    instance_families: list[str]
    anchor: Anchor
    account_id: str | None = None
    """``None`` for orders stored before accounts existed (they are the seed account's)."""
    payment_term: str | None = None
    quote_id: str | None = None
    quote_option_id: str | None = None
    order_type: str = "OUTPOST"

    @classmethod
    def load(cls, stored: Params) -> Order:
        """The order of a stored document."""
        return cls(
            order_id=stored["OrderId"], outpost_id=stored["OutpostId"], payment_option=stored["PaymentOption"],
            line_items=[LineItem.load(item) for item in stored["LineItems"]], submitted=stored["OrderSubmissionDate"],
            hardware_type=stored["_HardwareType"], instance_families=list(stored.get("_InstanceFamilies", [])),
            anchor=stored["_Anchor"], account_id=stored.get("_AccountId"), payment_term=stored.get("PaymentTerm"),
            quote_id=stored.get("QuoteIdentifier"), quote_option_id=stored.get("QuoteOptionIdentifier"),
            order_type=stored.get("OrderType", "OUTPOST"),
        )

    def dump(self) -> Params:
        """The stored form."""
        stored: Params = {
            "OrderId": self.order_id, "OutpostId": self.outpost_id, "OrderType": self.order_type,
            "PaymentOption": self.payment_option, "LineItems": [item.dump() for item in self.line_items],
            "OrderSubmissionDate": self.submitted, "_HardwareType": self.hardware_type,
            "_InstanceFamilies": self.instance_families, "_Anchor": self.anchor,
        }
        if self.account_id is not None:
            stored["_AccountId"] = self.account_id
        if self.payment_term:
            stored["PaymentTerm"] = self.payment_term
        if self.quote_id is not None:
            stored.update(QuoteIdentifier=self.quote_id, QuoteOptionIdentifier=self.quote_option_id)
        return stored


@dataclass
class QuoteOption:
    """One option of a quote: what it offers (API members) and how many hardware units an order of it gets."""

    option_id: str
    offer: Params
    """Capacities, CapacitySummary, Specifications and PricingOptions, as the API returns them."""
    units: int

    @classmethod
    def load(cls, stored: Params) -> QuoteOption:
        """The option of a stored quote."""
        offer = {k: v for k, v in stored.items() if k not in ("QuoteOptionIdentifier", "_LineItems")}
        return cls(stored["QuoteOptionIdentifier"], offer, len(stored.get("_LineItems", [])))

    def dump(self) -> Params:
        """The stored form (one ``_LineItems`` entry per unit)."""
        return {"QuoteOptionIdentifier": self.option_id, **self.offer,
                "_LineItems": [{"Quantity": 1} for _ in range(self.units)]}


@dataclass
class Quote:
    """A quote: what was asked (API members), its options, and the Outpost it is for (not an API member)."""

    quote_id: str
    account_id: str | None
    """``None`` for quotes stored before accounts existed (they are the seed account's)."""
    status: str
    """As stored: CREATED or ORDER_SUBMITTED (EXPIRED is derived from the clock, ``quotes.status``)."""
    created: float
    expires: float
    request: Params
    """The CreateQuote/UpdateQuote members that describe the request (CountryCode, RequestedCapacities, …)."""
    options: list[QuoteOption] = field(default_factory=list)
    outpost_id: str | None = None
    submitted_order_id: str | None = None

    @classmethod
    def load(cls, stored: Params) -> Quote:
        """The quote of a stored document."""
        known = {"QuoteId", "AccountId", "QuoteStatus", "CreatedDate", "ExpirationDate", "QuoteOptions",
                 "_OutpostId", "SubmittedOrderId"}
        return cls(
            quote_id=stored["QuoteId"], account_id=stored.get("AccountId"), status=stored["QuoteStatus"],
            created=stored["CreatedDate"], expires=stored["ExpirationDate"],
            request={k: v for k, v in stored.items() if k not in known},
            options=[QuoteOption.load(o) for o in stored.get("QuoteOptions", [])],
            outpost_id=stored.get("_OutpostId"), submitted_order_id=stored.get("SubmittedOrderId"),
        )

    def dump(self) -> Params:
        """The stored form."""
        stored: Params = {"QuoteId": self.quote_id, **_present(AccountId=self.account_id), "QuoteStatus": self.status,
                          "CreatedDate": self.created, "ExpirationDate": self.expires, **self.request}
        if self.outpost_id is not None:
            stored["_OutpostId"] = self.outpost_id
        stored["QuoteOptions"] = [option.dump() for option in self.options]
        if self.submitted_order_id is not None:
            stored["SubmittedOrderId"] = self.submitted_order_id
        return stored


@dataclass
class CatalogItem:
    """A catalog item: its API members and its class (RACK or SERVER), which serves ItemClassFilter."""

    item: Params
    item_class: str

    @property
    def item_id(self) -> str:
        """CatalogItemId."""
        return str(self.item["CatalogItemId"])

    @property
    def families(self) -> list[str]:
        """The EC2 families it provides."""
        return [c["Family"] for c in self.item.get("EC2Capacities", [])]

    @classmethod
    def load(cls, stored: Params) -> CatalogItem:
        """The item of a stored document."""
        return cls({k: v for k, v in stored.items() if k != "_ItemClass"}, stored["_ItemClass"])

    def dump(self) -> Params:
        """The stored form."""
        return {**self.item, "_ItemClass": self.item_class}


@dataclass
class Subscription:
    """A subscription of an Outpost's contract: what it is billed, for whom, and the state only the emulator keeps.

    The ORIGINAL subscription is the Outpost's (every account sees it: ``account_id`` is ``None``); it
    alone stores its dates, and it carries the admin API's renewal-pricing flag. A RENEWAL or a
    CAPACITY_INCREASE belongs to the account that created it (``None``: the seed account, as for orders)
    and its dates follow from the contract (``contracts``). Statuses are never stored: they follow the clock.
    """

    subscription_id: str
    subscription_type: str
    """ORIGINAL, RENEWAL or CAPACITY_INCREASE."""
    outpost_id: str
    payment_option: str
    payment_term: str
    upfront_price: float
    monthly_price: float
    created: float
    account_id: str | None = None
    begin: float | None = None
    """The ORIGINAL's BeginDate (epoch seconds); ``None`` for the others."""
    end: float | None = None
    """The ORIGINAL's EndDate; ``None`` for the others."""
    order_ids: list[str] = field(default_factory=list)
    """A CAPACITY_INCREASE's order (one)."""
    client_token: str | None = None
    """The ClientToken a RENEWAL was created with (idempotency, per account)."""
    renewal_pricing: str | None = None
    """The ORIGINAL's renewal pricing: PRICED (``None`` too) or UNABLE_TO_PRICE (admin API)."""

    @classmethod
    def load(cls, stored: Params) -> Subscription:
        """The subscription of a stored document."""
        return cls(
            subscription_id=stored["SubscriptionId"], subscription_type=stored["SubscriptionType"],
            outpost_id=stored["OutpostId"], payment_option=stored["PaymentOption"],
            payment_term=stored["PaymentTerm"], upfront_price=stored["UpfrontPrice"],
            monthly_price=stored["MonthlyRecurringPrice"], created=stored["_Created"],
            account_id=stored.get("_AccountId"), begin=stored.get("BeginDate"), end=stored.get("EndDate"),
            order_ids=list(stored.get("OrderIds", [])), client_token=stored.get("_ClientToken"),
            renewal_pricing=stored.get("_RenewalPricing"),
        )

    def dump(self) -> Params:
        """The stored form."""
        stored: Params = {
            "SubscriptionId": self.subscription_id, "SubscriptionType": self.subscription_type,
            "OutpostId": self.outpost_id, "PaymentOption": self.payment_option, "PaymentTerm": self.payment_term,
            "UpfrontPrice": self.upfront_price, "MonthlyRecurringPrice": self.monthly_price, "Currency": "USD",
            "_Created": self.created,
        }
        if self.order_ids:
            stored["OrderIds"] = self.order_ids
        return {**stored, **_present(_AccountId=self.account_id, BeginDate=self.begin, EndDate=self.end,
                                     _ClientToken=self.client_token, _RenewalPricing=self.renewal_pricing)}


def _present(**members: Any) -> Params:
    """The members that are not ``None``."""
    return {k: v for k, v in members.items() if v is not None}
