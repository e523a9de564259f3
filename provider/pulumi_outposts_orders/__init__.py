"""AWS Outposts hardware orders as Pulumi stack resources.

The resources are imported on first use, so that ``outposts-orders`` subcommands that don't need
the Pulumi SDK (the emulator, ``--help``) start quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi_outposts_orders._lazy import lazy_exports

if TYPE_CHECKING:
    from pulumi_outposts_orders.amazon_business.outputs import (
        AmazonBusinessLineItem,
        AmazonBusinessLineItemResult,
        AmazonBusinessMoney,
        AmazonBusinessPackage,
        AmazonBusinessRejection,
        AmazonBusinessShippingAddress,
    )
    from pulumi_outposts_orders.amazon_business.resource import (
        AmazonBusinessLineItemArgs,
        AmazonBusinessLineItemArgsDict,
        AmazonBusinessOrder,
        AmazonBusinessOrderArgs,
        MoneyArgs,
        MoneyArgsDict,
        ShippingAddressArgs,
        ShippingAddressArgsDict,
    )
    from pulumi_outposts_orders.outposts.order import (
        ExpectedPriceArgs,
        ExpectedPriceArgsDict,
        LineItemArgs,
        LineItemArgsDict,
        OutpostOrder,
        OutpostOrderArgs,
    )
    from pulumi_outposts_orders.outposts.outputs import (
        EC2Capacity,
        ExpectedPrice,
        LineItemAsset,
        LineItemShipment,
        OrderingRequirement,
        OrderLineItem,
        QuoteCapacity,
        QuoteCapacitySummary,
        QuoteOption,
        QuotePricingOption,
        QuoteSpecification,
        RackSpecificationDetails,
        ServerSpecificationDetails,
        SubscriptionPricingDetails,
    )
    from pulumi_outposts_orders.outposts.quote import (
        OutpostQuote,
        OutpostQuoteArgs,
        QuoteCapacityArgs,
        QuoteCapacityArgsDict,
        QuoteConstraintArgs,
        QuoteConstraintArgsDict,
    )

_EXPORTS = {
    "EC2Capacity": ".outposts.outputs",
    "ExpectedPrice": ".outposts.outputs",
    "LineItemAsset": ".outposts.outputs",
    "LineItemShipment": ".outposts.outputs",
    "OrderLineItem": ".outposts.outputs",
    "OrderingRequirement": ".outposts.outputs",
    "QuoteCapacity": ".outposts.outputs",
    "QuoteCapacitySummary": ".outposts.outputs",
    "QuoteOption": ".outposts.outputs",
    "QuotePricingOption": ".outposts.outputs",
    "QuoteSpecification": ".outposts.outputs",
    "RackSpecificationDetails": ".outposts.outputs",
    "ServerSpecificationDetails": ".outposts.outputs",
    "SubscriptionPricingDetails": ".outposts.outputs",
    "AmazonBusinessLineItem": ".amazon_business.outputs",
    "AmazonBusinessLineItemArgs": ".amazon_business.resource",
    "AmazonBusinessLineItemArgsDict": ".amazon_business.resource",
    "AmazonBusinessLineItemResult": ".amazon_business.outputs",
    "AmazonBusinessMoney": ".amazon_business.outputs",
    "AmazonBusinessOrder": ".amazon_business.resource",
    "AmazonBusinessOrderArgs": ".amazon_business.resource",
    "AmazonBusinessRejection": ".amazon_business.outputs",
    "AmazonBusinessPackage": ".amazon_business.outputs",
    "AmazonBusinessShippingAddress": ".amazon_business.outputs",
    "ExpectedPriceArgs": ".outposts.order",
    "ExpectedPriceArgsDict": ".outposts.order",
    "LineItemArgs": ".outposts.order",
    "LineItemArgsDict": ".outposts.order",
    "MoneyArgs": ".amazon_business.resource",
    "MoneyArgsDict": ".amazon_business.resource",
    "OutpostOrder": ".outposts.order",
    "OutpostOrderArgs": ".outposts.order",
    "OutpostQuote": ".outposts.quote",
    "OutpostQuoteArgs": ".outposts.quote",
    "QuoteCapacityArgs": ".outposts.quote",
    "QuoteCapacityArgsDict": ".outposts.quote",
    "QuoteConstraintArgs": ".outposts.quote",
    "QuoteConstraintArgsDict": ".outposts.quote",
    "ShippingAddressArgs": ".amazon_business.resource",
    "ShippingAddressArgsDict": ".amazon_business.resource",
}
__all__ = [
    "AmazonBusinessLineItem",
    "AmazonBusinessLineItemArgs",
    "AmazonBusinessLineItemArgsDict",
    "AmazonBusinessLineItemResult",
    "AmazonBusinessMoney",
    "AmazonBusinessOrder",
    "AmazonBusinessOrderArgs",
    "AmazonBusinessPackage",
    "AmazonBusinessRejection",
    "AmazonBusinessShippingAddress",
    "EC2Capacity",
    "ExpectedPrice",
    "ExpectedPriceArgs",
    "ExpectedPriceArgsDict",
    "LineItemArgs",
    "LineItemArgsDict",
    "LineItemAsset",
    "LineItemShipment",
    "MoneyArgs",
    "MoneyArgsDict",
    "OrderLineItem",
    "OrderingRequirement",
    "OutpostOrder",
    "OutpostOrderArgs",
    "OutpostQuote",
    "OutpostQuoteArgs",
    "QuoteCapacity",
    "QuoteCapacityArgs",
    "QuoteCapacityArgsDict",
    "QuoteCapacitySummary",
    "QuoteConstraintArgs",
    "QuoteConstraintArgsDict",
    "QuoteOption",
    "QuotePricingOption",
    "QuoteSpecification",
    "RackSpecificationDetails",
    "ServerSpecificationDetails",
    "ShippingAddressArgs",
    "ShippingAddressArgsDict",
    "SubscriptionPricingDetails",
]

__getattr__ = lazy_exports(__name__, _EXPORTS)
