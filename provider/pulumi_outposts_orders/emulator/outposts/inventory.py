"""Sites, Outposts, their assets and the hardware catalog: finders and read operations (wire views: ``views``)."""

from __future__ import annotations

from typing import Any

from pulumi_outposts_orders.emulator.domain import Context, Params
from pulumi_outposts_orders.emulator.outposts import assets, lifecycle, views
from pulumi_outposts_orders.emulator.outposts.identifiers import resolve
from pulumi_outposts_orders.emulator.outposts.paging import paginate
from pulumi_outposts_orders.emulator.outposts.records import (
    ASSET,
    CATALOG_ITEM,
    ORDER,
    OUTPOST,
    SITE,
    CatalogItem,
    Order,
)


def find_outpost(ctx: Context, identifier: str) -> Params:
    """The stored Outpost named by ID or ARN; NotFoundException if there is none."""
    return ctx.find(OUTPOST, resolve(identifier, "outpost", ctx.region, ctx.account), f"Outpost {identifier}")


def find_site(ctx: Context, identifier: str) -> Params:
    """The stored site named by ID or ARN; NotFoundException if there is none."""
    return ctx.find(SITE, resolve(identifier, "site", ctx.region, ctx.account), f"Site {identifier}")


def find_catalog_item(ctx: Context, item_id: str) -> CatalogItem:
    """The catalog item; NotFoundException if there is none."""
    return CatalogItem.load(ctx.find(CATALOG_ITEM, item_id, f"Catalog item {item_id}"))


def get_outpost(ctx: Context, params: Params) -> Params:
    """GetOutpost."""
    return {"Outpost": views.outpost_view(ctx, find_outpost(ctx, params["OutpostId"]))}


def list_outposts(ctx: Context, params: Params) -> Params:
    """ListOutposts, with the life-cycle status and Availability Zone filters."""
    found = [views.outpost_view(ctx, o) for o in ctx.tx.all(OUTPOST)]
    found = _filtered(found, params, LifeCycleStatusFilter="LifeCycleStatus",
                      AvailabilityZoneFilter="AvailabilityZone", AvailabilityZoneIdFilter="AvailabilityZoneId")
    page, more = paginate("ListOutposts", found, params)
    return {"Outposts": page, **more}


def get_site(ctx: Context, params: Params) -> Params:
    """GetSite."""
    return {"Site": views.site_view(ctx, find_site(ctx, params["SiteId"]))}


def list_sites(ctx: Context, params: Params) -> Params:
    """ListSites, with the operating-address filters."""
    found = [views.site_view(ctx, s) for s in ctx.tx.all(SITE)]
    found = _filtered(found, params, OperatingAddressCountryCodeFilter="OperatingAddressCountryCode",
                      OperatingAddressStateOrRegionFilter="OperatingAddressStateOrRegion",
                      OperatingAddressCityFilter="OperatingAddressCity")
    page, more = paginate("ListSites", found, params)
    return {"Sites": page, **more}


def get_catalog_item(ctx: Context, params: Params) -> Params:
    """GetCatalogItem."""
    return {"CatalogItem": views.catalog_item_view(find_catalog_item(ctx, params["CatalogItemId"]))}


def list_catalog_items(ctx: Context, params: Params) -> Params:
    """ListCatalogItems, with the item class, storage and EC2 family filters."""
    found = [CatalogItem.load(stored) for stored in ctx.tx.all(CATALOG_ITEM)]
    if classes := params.get("ItemClassFilter"):
        found = [item for item in found if item.item_class in classes]
    items = [views.catalog_item_view(item) for item in found]
    if storage := params.get("SupportedStorageFilter"):
        items = [i for i in items if set(storage) & set(i.get("SupportedStorage", []))]
    if families := params.get("EC2FamilyFilter"):
        items = [i for i in items if {c["Family"] for c in i.get("EC2Capacities", [])} & set(families)]
    page, more = paginate("ListCatalogItems", items, params)
    return {"CatalogItems": page, **more}


def list_assets(ctx: Context, params: Params) -> Params:
    """ListAssets: the Outpost's existing hardware plus what the caller's orders for it have built."""
    outpost = find_outpost(ctx, params["OutpostIdentifier"])
    infos = ctx.tx.all(ASSET, parent=outpost["OutpostId"])
    for order in map(Order.load, ctx.tx.all(ORDER, parent=outpost["OutpostId"])):
        if ctx.owns(order.account_id):
            infos += assets.order_assets(order, lifecycle.position(order.anchor, ctx.now))
    if hosts := params.get("HostIdFilter"):
        infos = [i for i in infos if i.get("ComputeAttributes", {}).get("HostId") in hosts]
    if states := params.get("StatusFilter"):
        infos = [i for i in infos if i.get("ComputeAttributes", {}).get("State") in states]
    if types := params.get("AssetTypeFilter"):
        infos = [i for i in infos if i.get("AssetType") in types]
    page, more = paginate("ListAssets", infos, params)
    return {"Assets": page, **more}


def _filtered(items: list[Params], params: Params, **fields: str) -> list[Params]:
    """Items whose ``field`` is among the values of each given filter member."""
    for member, field in fields.items():
        wanted: Any = params.get(member)
        if wanted:
            items = [item for item in items if item.get(field) in wanted]
    return items

