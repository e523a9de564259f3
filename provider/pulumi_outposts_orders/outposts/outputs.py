"""Nested outputs of ``OutpostOrder`` and ``OutpostQuote``, typed (pulumi-aws's ``outputs.py``).

The providers flatten AWS responses by walking botocore's shapes, so each output holds every member
of its shape in snake_case, ``None`` where AWS left it out; dates are ISO 8601 UTC strings.
``tests/orders/test_schema.py`` holds these to the service model.
"""

from __future__ import annotations

from typing import TypedDict


class LineItemShipment(TypedDict):
    """How a line item ships (GetOrder ``ShipmentInformation``)."""

    shipment_tracking_number: str | None
    """The carrier's tracking number."""
    shipment_carrier: str | None
    """``DHL``, ``DBS``, ``FEDEX``, ``UPS``, ``EXPEDITORS``."""


class LineItemAsset(TypedDict):
    """An asset delivered for a line item (``LineItemAssetInformation``)."""

    asset_id: str | None
    """The asset ID."""
    mac_address_list: list[str] | None
    """The asset's MAC addresses."""


class OrderLineItem(TypedDict):
    """A line item of an order as AWS tracks it (``LineItem``)."""

    catalog_item_id: str | None
    """The catalog item (``OR-…``)."""
    line_item_id: str | None
    """The line item ID."""
    quantity: int | None
    """How many were ordered."""
    status: str | None
    """PREPARING, BUILDING, SHIPPED, DELIVERED, INSTALLING, INSTALLED, ERROR, CANCELLED, REPLACED."""
    shipment_information: LineItemShipment | None
    """Carrier and tracking number, once shipped."""
    asset_information_list: list[LineItemAsset] | None
    """The delivered assets."""
    previous_line_item_id: str | None
    """The line item this one replaces (replacement orders)."""
    previous_order_id: str | None
    """The order of that line item (replacement orders)."""


class ExpectedPrice(TypedDict, total=False):
    """``expected_price`` as recorded (the keys given)."""

    currency: str
    """Currency of the amounts."""
    upfront_price: float
    """The expected upfront price."""
    monthly_recurring_price: float
    """The expected monthly recurring price."""


class QuoteCapacity(TypedDict):
    """Capacity of a quote or one of its options (``QuoteCapacity``)."""

    quote_capacity_type: str | None
    """``EC2``, ``EBS`` or ``S3``."""
    unit: str | None
    """What is counted, e.g. an instance type or ``TiB``."""
    quantity: float | None
    """How much of ``unit``."""


class QuoteCapacitySummary(TypedDict):
    """Capacity before and after an option (``CapacitySummary``)."""

    existing_capacities: list[QuoteCapacity] | None
    """Capacity the Outpost has now."""
    final_capacities: list[QuoteCapacity] | None
    """Capacity it has with this option."""
    capacity_change: list[QuoteCapacity] | None
    """The difference."""


class EC2Capacity(TypedDict):
    """EC2 capacity of a rack or server (``EC2Capacity``)."""

    family: str | None
    """Instance family."""
    max_size: str | None
    """Largest instance size."""
    quantity: str | None
    """How many."""


class RackSpecificationDetails(TypedDict):
    """A rack of an option (``RackSpecificationDetails``)."""

    rack_id: str | None
    """The rack ID."""
    rack_use: str | None
    """What the rack is for."""
    rack_power_draw_kva: float | None
    """Power draw in kVA."""
    rack_weight_lbs: float | None
    """Weight in pounds."""
    rack_height_inches: float | None
    """Height in inches."""
    rack_width_inches: float | None
    """Width in inches."""
    rack_depth_inches: float | None
    """Depth in inches."""
    rack_unit_height: str | None
    """Height in rack units."""
    ec2_capacities: list[EC2Capacity] | None
    """Its EC2 capacity."""


class ServerSpecificationDetails(TypedDict):
    """A server of an option (``ServerSpecificationDetails``)."""

    server_power_draw_kva: float | None
    """Power draw in kVA."""
    server_weight_lbs: float | None
    """Weight in pounds."""
    server_height_inches: float | None
    """Height in inches."""
    server_width_inches: float | None
    """Width in inches."""
    server_depth_inches: float | None
    """Depth in inches."""
    rack_unit_height: str | None
    """Height in rack units."""
    ec2_capacities: list[EC2Capacity] | None
    """Its EC2 capacity."""


class QuoteSpecification(TypedDict):
    """Hardware of an option (``QuoteSpecification``)."""

    quote_specification_type: str | None
    """``NEW_RACK``, ``EXISTING_RACK``, ``SERVER``…"""
    existing_rack_specification_details: RackSpecificationDetails | None
    """The rack as it is (changes to an existing rack)."""
    final_rack_specification_details: RackSpecificationDetails | None
    """The rack as it will be."""
    server_specification_details: ServerSpecificationDetails | None
    """The server."""


class SubscriptionPricingDetails(TypedDict):
    """A subscription price (``SubscriptionPricingDetails``)."""

    payment_option: str | None
    """``ALL_UPFRONT``, ``PARTIAL_UPFRONT`` or ``NO_UPFRONT``."""
    payment_term: str | None
    """``ONE_YEAR``, ``THREE_YEARS`` or ``FIVE_YEARS``."""
    upfront_price: float | None
    """Paid at order."""
    monthly_recurring_price: float | None
    """Paid monthly over the term."""
    currency: str | None
    """Currency of the amounts."""


class QuotePricingOption(TypedDict):
    """One way to pay for an option (``PricingOption``)."""

    pricing_type: str | None
    """``SUBSCRIPTION``."""
    subscription_pricing_details: SubscriptionPricingDetails | None
    """The price for one payment option and term."""


class QuoteOption(TypedDict):
    """One priced hardware option of a quote (``QuoteOption``); order it by its identifier."""

    quote_option_identifier: str | None
    """The option's ID (``oqo-…``): ``OutpostOrder.quote_option_identifier``."""
    capacities: list[QuoteCapacity] | None
    """What the option provides."""
    capacity_summary: QuoteCapacitySummary | None
    """Capacity before and after."""
    specifications: list[QuoteSpecification] | None
    """Its racks or servers."""
    pricing_options: list[QuotePricingOption] | None
    """Its prices, one per payment option and term."""


class OrderingRequirement(TypedDict):
    """A check an order from the quote must pass (``OrderingRequirement``)."""

    status_message: str | None
    """Why it fails, when it does."""
    ordering_requirement_type: str | None
    """What is checked."""
    status: str | None
    """``PASS``, ``FAIL`` or ``EXEMPT``."""
