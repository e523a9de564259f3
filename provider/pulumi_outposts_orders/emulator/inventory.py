"""Sites, Outposts and the hardware catalog: finders, wire views and their read operations."""

from __future__ import annotations

from typing import Any

from .domain import CATALOG_ITEM, OUTPOST, SITE, Context, Params
from .identifiers import arn, resolve
from .paging import paginate


def find_outpost(ctx: Context, identifier: str) -> Params:
    """The stored Outpost named by ID or ARN; NotFoundException if there is none."""
    return ctx.find(OUTPOST, resolve(identifier, "outpost", ctx.region, ctx.account), f"Outpost {identifier}")


def find_site(ctx: Context, identifier: str) -> Params:
    """The stored site named by ID or ARN; NotFoundException if there is none."""
    return ctx.find(SITE, resolve(identifier, "site", ctx.region, ctx.account), f"Site {identifier}")


def find_catalog_item(ctx: Context, item_id: str) -> Params:
    """The catalog item; NotFoundException if there is none."""
    return ctx.find(CATALOG_ITEM, item_id, f"Catalog item {item_id}")


def outpost_arn(ctx: Context, outpost_id: str) -> str:
    """The Outpost's ARN in the caller's region."""
    return arn(ctx.region, ctx.account, "outpost", outpost_id)


def outpost_view(ctx: Context, outpost: Params) -> Params:
    """The Outpost as the API returns it."""
    return {
        **outpost,
        "OwnerId": ctx.account,
        "OutpostArn": outpost_arn(ctx, outpost["OutpostId"]),
        "SiteArn": arn(ctx.region, ctx.account, "site", outpost["SiteId"]),
        "AvailabilityZone": f"{ctx.region}a",
        "AvailabilityZoneId": f"{_region_code(ctx.region)}-az1",
    }


def site_view(ctx: Context, site: Params) -> Params:
    """The site as the API returns it."""
    return {**site, "AccountId": ctx.account, "SiteArn": arn(ctx.region, ctx.account, "site", site["SiteId"])}


def get_outpost(ctx: Context, params: Params) -> Params:
    """GetOutpost."""
    return {"Outpost": outpost_view(ctx, find_outpost(ctx, params["OutpostId"]))}


def list_outposts(ctx: Context, params: Params) -> Params:
    """ListOutposts, with the life-cycle status and Availability Zone filters."""
    views = [outpost_view(ctx, o) for o in ctx.tx.all(OUTPOST)]
    views = _filtered(views, params, LifeCycleStatusFilter="LifeCycleStatus",
                      AvailabilityZoneFilter="AvailabilityZone", AvailabilityZoneIdFilter="AvailabilityZoneId")
    page, more = paginate("ListOutposts", views, params)
    return {"Outposts": page, **more}


def get_site(ctx: Context, params: Params) -> Params:
    """GetSite."""
    return {"Site": site_view(ctx, find_site(ctx, params["SiteId"]))}


def list_sites(ctx: Context, params: Params) -> Params:
    """ListSites, with the operating-address filters."""
    views = [site_view(ctx, s) for s in ctx.tx.all(SITE)]
    views = _filtered(views, params, OperatingAddressCountryCodeFilter="OperatingAddressCountryCode",
                      OperatingAddressStateOrRegionFilter="OperatingAddressStateOrRegion",
                      OperatingAddressCityFilter="OperatingAddressCity")
    page, more = paginate("ListSites", views, params)
    return {"Sites": page, **more}


def get_catalog_item(ctx: Context, params: Params) -> Params:
    """GetCatalogItem."""
    return {"CatalogItem": find_catalog_item(ctx, params["CatalogItemId"])}


def list_catalog_items(ctx: Context, params: Params) -> Params:
    """ListCatalogItems, with the item class, storage and EC2 family filters."""
    items = ctx.tx.all(CATALOG_ITEM)
    items = _filtered(items, params, ItemClassFilter="_ItemClass")
    if storage := params.get("SupportedStorageFilter"):
        items = [i for i in items if set(storage) & set(i.get("SupportedStorage", []))]
    if families := params.get("EC2FamilyFilter"):
        items = [i for i in items if {c["Family"] for c in i.get("EC2Capacities", [])} & set(families)]
    page, more = paginate("ListCatalogItems", items, params)
    return {"CatalogItems": page, **more}


def _filtered(items: list[Params], params: Params, **fields: str) -> list[Params]:
    """Items whose ``field`` is among the values of each given filter member."""
    for member, field in fields.items():
        wanted: Any = params.get(member)
        if wanted:
            items = [item for item in items if item.get(field) in wanted]
    return items


def _region_code(region: str) -> str:
    """A short code for the region, as in Availability Zone IDs (us-east-1 -> use1)."""
    parts = region.split("-")
    return parts[0] + "".join(p[0] for p in parts[1:-1]) + parts[-1] if len(parts) > 1 else region
