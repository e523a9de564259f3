"""Nested outputs of ``AmazonBusinessOrder``, typed (pulumi-aws's ``outputs.py``).

The inputs come back as declared (``AmazonBusinessLineItem``, ``AmazonBusinessShippingAddress``,
``AmazonBusinessMoney``: the keys given); Amazon's answer (placeOrder, then orderDetails at each refresh)
is read by ``results.line_results`` to one ``AmazonBusinessLineItemResult`` per line item, whose
optional keys are there once Amazon returned the artifact. ``tests/amazon_business/test_schema.py``
holds these to the schema's nested tables and to what ``line_results`` writes.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class AmazonBusinessMoney(TypedDict):
    """An amount in a currency, as declared (``expected_unit_price``, ``expected_charge``)."""

    currency: str
    """ISO 4217 code, e.g. ``USD``."""
    amount: float
    """The amount."""


class AmazonBusinessAccountingSegment(TypedDict):
    """An accounting segment of a distribution, as declared."""

    id: str
    """Its code within its type."""
    type: str
    """Its accounting type."""
    description: str
    """What it is."""


class AmazonBusinessDistribution(TypedDict):
    """The part of a line's cost charged to one accounting group, as declared (``distributions``)."""

    name: str
    """The accounting group's name."""
    segments: list[AmazonBusinessAccountingSegment]
    """Its accounting segments."""
    amount: AmazonBusinessMoney
    """The amount charged to it."""


class AmazonBusinessLineItem(TypedDict):
    """A line item as declared."""

    asin: str
    """The product (ASIN)."""
    buying_option_id: str
    """Its buying option."""
    quantity: int
    """How many."""
    external_id: NotRequired[str]
    """The line's ID within the order (default ``line-item-N``)."""
    expected_unit_price: NotRequired[AmazonBusinessMoney]
    """The unit price Amazon had to match."""
    expected_charge: NotRequired[AmazonBusinessMoney]
    """The subtotal Amazon had to match."""
    distributions: NotRequired[list[AmazonBusinessDistribution]]
    """How its cost was split over accounting groups."""


class AmazonBusinessShippingAddress(TypedDict):
    """The shipping address as declared."""

    full_name: str
    address_line1: str
    city: str
    postal_code: str
    country_code: str
    address_line2: NotRequired[str]
    state_or_region: NotRequired[str]
    phone_number: NotRequired[str]
    company_name: NotRequired[str]


class AmazonBusinessRejection(TypedDict):
    """Why Amazon rejected a portion of a line (its ``RejectionArtifact`` s)."""

    code: str | None
    """``RejectionCode``: e.g. ``QUANTITY_UNAVAILABLE``, ``BROKEN_EXPECTATION``."""
    message: str | None
    """``RejectionMessage``: Amazon's words."""
    reason: NotRequired[str]
    """The specific artifacts in words: unavailable quantity, a broken unit-price or charge expectation."""


class AmazonBusinessPackage(TypedDict, total=False):
    """A package a line ships in (``ShipmentGroup``, order-level ``Shipment``, and the Package Tracking API)."""

    tracking_number: str
    """The carrier's tracking number (``CarrierTrackingNumber``)."""
    shipment_id: str
    """The ``Shipment`` it is in."""
    package_id: str
    """Its ID within the shipment."""
    carrier: str
    """The carrier."""
    status: str
    """``trackingStatus``: ORDERED, SHIPPED, OUT_FOR_DELIVERY, DELIVERED, DELAYED, UNDELIVERABLE, RETURNED…"""
    delivery_window: list[str | None]
    """Earliest and latest delivery (ISO 8601)."""


class AmazonBusinessLineItemResult(TypedDict):
    """One line item as Amazon answered it (``line_item_results``)."""

    external_id: str | None
    """The line's ID within the order."""
    accepted_quantity: int
    """How many Amazon accepted, counted as the line's ``quantity`` is (a product sold as a group: groups)."""
    accepted_items: NotRequired[int]
    """For a product sold as a group (``AcceptedItemGroup``): the items in the groups accepted, e.g. 2 kits of
    2 transceivers and 2 trunks are 8."""
    rejected_quantity: int
    """How many Amazon rejected."""
    rejections: list[AmazonBusinessRejection]
    """Why (empty when nothing was rejected)."""
    order_identifier: NotRequired[str | None]
    """The Amazon order number (``114-…``)."""
    unit_price: NotRequired[float | None]
    """The unit price charged."""
    charge: NotRequired[float | None]
    """The line's subtotal (``Charge`` SUBTOTAL, PRINCIPAL)."""
    tax: NotRequired[float]
    """Its taxes (``Charge`` of type TAX)."""
    shipping: NotRequired[float]
    """Its shipping (``Charge`` SHIPPING)."""
    discount: NotRequired[float]
    """Its discounts (``Charge`` of type DISCOUNT)."""
    currency: NotRequired[str | None]
    """Currency of ``unit_price`` and ``charge``."""
    delivery_range: NotRequired[list[str | None]]
    """Earliest and latest delivery (ISO 8601)."""
    packages: NotRequired[list[AmazonBusinessPackage]]
    """The packages it ships in, once shipped, with their tracking status."""
    order_status: NotRequired[str]
    """Its Amazon order's status in the Reporting API: PENDING_APPROVAL, PAYMENT_CONFIRMED, PENDING_FULFILLMENT,
    PENDING, CANCELLED (by the buyer, its approver or Amazon) or CLOSED (delivered); absent until reported."""
    approved_by: NotRequired[str]
    """Who approved it, when it needed approval (the report's last approver)."""
