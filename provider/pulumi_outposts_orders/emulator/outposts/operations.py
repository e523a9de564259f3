"""The operations the emulator implements, by API name; every other operation is refused."""

from __future__ import annotations

from pulumi_outposts_orders.emulator.domain import Operation
from pulumi_outposts_orders.emulator.outposts import billing, decommission, inventory, orders, quotes

OPERATIONS: dict[str, Operation] = {
    "CreateOrder": orders.create_order,
    "GetOrder": orders.get_order,
    "ListOrders": orders.list_orders,
    "CancelOrder": orders.cancel_order,
    "GetOutpost": inventory.get_outpost,
    "ListOutposts": inventory.list_outposts,
    "GetSite": inventory.get_site,
    "ListSites": inventory.list_sites,
    "ListAssets": inventory.list_assets,
    "ListCatalogItems": inventory.list_catalog_items,
    "GetCatalogItem": inventory.get_catalog_item,
    "CreateQuote": quotes.create_quote,
    "GetQuote": quotes.get_quote,
    "ListQuotes": quotes.list_quotes,
    "UpdateQuote": quotes.update_quote,
    "DeleteQuote": quotes.delete_quote,
    "GetRenewalPricing": billing.get_renewal_pricing,
    "CreateRenewal": billing.create_renewal,
    "GetOutpostBillingInformation": billing.get_outpost_billing_information,
    "StartOutpostDecommission": decommission.start_outpost_decommission,
}
