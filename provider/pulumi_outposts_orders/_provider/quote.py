"""The pickled provider path of state written before 0.2 (see ``pulumi_outposts_orders.outposts.quote_provider``)."""

from pulumi_outposts_orders.outposts.quote_provider import OutpostQuoteProvider

__all__ = ["OutpostQuoteProvider"]
