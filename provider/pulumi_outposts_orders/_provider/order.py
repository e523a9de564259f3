"""The pickled provider path of state written before 0.2 (see ``pulumi_outposts_orders.outposts.order_provider``)."""

from pulumi_outposts_orders.outposts.order_provider import OutpostOrderProvider

__all__ = ["OutpostOrderProvider"]
