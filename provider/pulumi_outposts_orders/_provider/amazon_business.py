"""The pickled provider path of state written before 0.2 (see ``pulumi_outposts_orders.amazon_business.provider``)."""

from pulumi_outposts_orders.amazon_business.provider import AmazonBusinessOrderProvider

__all__ = ["AmazonBusinessOrderProvider"]
