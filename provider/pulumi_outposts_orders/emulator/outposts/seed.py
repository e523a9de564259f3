"""Seed data: two sites, Outposts of both hardware types with their contracts, a catalog, and quotes.

Seeding happens once per database (a restart keeps what the database holds). The constants
below are the IDs tests, examples and benchmarks use. Sites, Outposts, their existing assets, their
contracts' ORIGINAL subscriptions and the catalog are shared: every account sees them, under ARNs of its
own account. The quotes belong to ACCOUNT_ID. Access keys and accounts: the emulator's ``accounts``.

Contracts (CONTRACTS) are dated from the day of seeding (midnight UTC): a database seeded before
contracts existed gets them on its first start with this version, dated from that day.
"""

from __future__ import annotations

from pulumi_outposts_orders.emulator.accounts import ACCOUNT_ID as ACCOUNT_ID
from pulumi_outposts_orders.emulator.accounts import SECOND_ACCOUNT_ID as SECOND_ACCOUNT_ID
from pulumi_outposts_orders.emulator.clock import DAY
from pulumi_outposts_orders.emulator.domain import Context, Params, Service
from pulumi_outposts_orders.emulator.outposts import contracts, quotes
from pulumi_outposts_orders.emulator.outposts.records import ASSET, CATALOG_ITEM, OUTPOST, SITE, CatalogItem

REGION = "us-east-1"

SITE_ID = "os-0123456789abcdef0"
SECOND_SITE_ID = "os-0fedcba9876543210"

RACK_OUTPOST_ID = "op-0123456789abcdef0"
"""Active, RACK hardware, at SITE_ID."""
SERVER_OUTPOST_ID = "op-0abcdef0123456789"
"""Active, SERVER hardware, at SECOND_SITE_ID."""
RETIRED_OUTPOST_ID = "op-0aaaabbbbccccdddd"
"""Not active (RETIRED), RACK hardware, at SITE_ID: orders for it are refused."""
ACTIVE_OUTPOST_IDS = (RACK_OUTPOST_ID, SERVER_OUTPOST_ID)

RACK_CATALOG_ITEM_ID = "OR-A1B2C3D"
SECOND_RACK_CATALOG_ITEM_ID = "OR-B2C3D4E"
SERVER_CATALOG_ITEM_ID = "OR-S1E2R3V"
SECOND_SERVER_CATALOG_ITEM_ID = "OR-S4E5R6V"
DISCONTINUED_CATALOG_ITEM_ID = "OR-OLD0001"
"""A RACK item that can no longer be ordered."""

QUOTE_ID = "oq-0123456789abcdef0"
"""A CREATED quote for RACK_OUTPOST_ID, valid for QUOTE_VALID_DAYS simulated days after seeding."""
QUOTE_OPTION_IDS = ("oqo-0123456789abcdef0", "oqo-0123456789abcdef1")
"""QUOTE_ID's options: one rack, two racks; each priced for every payment option and term."""
EXPIRED_QUOTE_ID = "oq-0fedcba9876543210"
EXPIRED_QUOTE_OPTION_IDS = ("oqo-0fedcba9876543210", "oqo-0fedcba9876543211")
QUOTE_VALID_DAYS = 90

CONTRACTS = {
    RACK_OUTPOST_ID: ("FIVE_YEARS", "PARTIAL_UPFRONT", -24),
    SERVER_OUTPOST_ID: ("THREE_YEARS", "ALL_UPFRONT", -30),
    RETIRED_OUTPOST_ID: ("ONE_YEAR", "NO_UPFRONT", -36),
}
"""Each Outpost's ORIGINAL subscription: PaymentTerm, PaymentOption, and the month it began, relative to
the day of seeding. RACK_OUTPOST_ID's began 24 months before and ends 36 months after (its quotes need no
renewal); SERVER_OUTPOST_ID's began 30 months before and ends 6 months after (within 365 days: its
quotes FAIL OUTPOST_RENEWAL_REQUIRED_ERROR until it is renewed); RETIRED_OUTPOST_ID's ended 24 months
before (INACTIVE)."""

_SEEDED = "seed.done"
_SEEDED_CONTRACTS = "seed.contracts.done"


def sites() -> list[Params]:
    """The two sites."""
    return [
        {"SiteId": SITE_ID, "Name": "Seattle lab", "Description": "Primary lab, rack Outposts",
         "OperatingAddressCountryCode": "US", "OperatingAddressStateOrRegion": "WA",
         "OperatingAddressCity": "Seattle", "Tags": {"env": "lab"}},
        {"SiteId": SECOND_SITE_ID, "Name": "Austin edge", "Description": "Edge site, server Outposts",
         "OperatingAddressCountryCode": "US", "OperatingAddressStateOrRegion": "TX",
         "OperatingAddressCity": "Austin", "Tags": {"env": "edge"}},
    ]


def outposts() -> list[Params]:
    """Two active Outposts (RACK and SERVER) and a retired one."""
    def outpost(outpost_id: str, site: str, name: str, status: str, hardware: str) -> Params:
        return {"OutpostId": outpost_id, "SiteId": site, "Name": name, "Description": f"{name} ({hardware})",
                "LifeCycleStatus": status, "SupportedHardwareType": hardware, "Tags": {"team": "infra"}}

    return [
        outpost(RACK_OUTPOST_ID, SITE_ID, "seattle-rack", "ACTIVE", "RACK"),
        outpost(SERVER_OUTPOST_ID, SECOND_SITE_ID, "austin-servers", "ACTIVE", "SERVER"),
        outpost(RETIRED_OUTPOST_ID, SITE_ID, "seattle-old-rack", "RETIRED", "RACK"),
    ]


def catalog() -> list[CatalogItem]:
    """Rack and server hardware, each with its class (RACK or SERVER)."""
    def item(item_id: str, item_class: str, status: str, family: str, kva: float, lbs: int) -> CatalogItem:
        rack = item_class == "RACK"
        return CatalogItem({"CatalogItemId": item_id, "ItemStatus": status,
                            "EC2Capacities": [{"Family": family, "MaxSize": "24xlarge", "Quantity": "4"}],
                            "PowerKva": kva, "WeightLbs": lbs, "SupportedUplinkGbps": [10, 40, 100] if rack else [10],
                            "SupportedStorage": ["EBS", "S3"] if rack else ["EBS"]}, item_class)

    return [
        item(RACK_CATALOG_ITEM_ID, "RACK", "AVAILABLE", "m5", 10.0, 1800),
        item(SECOND_RACK_CATALOG_ITEM_ID, "RACK", "AVAILABLE", "c5", 15.0, 2000),
        item(SERVER_CATALOG_ITEM_ID, "SERVER", "AVAILABLE", "c6gd", 1.0, 35),
        item(SECOND_SERVER_CATALOG_ITEM_ID, "SERVER", "AVAILABLE", "c6id", 1.5, 60),
        item(DISCONTINUED_CATALOG_ITEM_ID, "RACK", "DISCONTINUED", "m4", 10.0, 1900),
    ]


def catalog_items() -> list[Params]:
    """The catalog as GetCatalogItem returns each item."""
    return [item.item for item in catalog()]


def existing_assets(outpost_id: str) -> list[Params]:
    """Hardware already installed in an active Outpost (two hosts)."""
    number = ACTIVE_OUTPOST_IDS.index(outpost_id) + 1
    return [{"AssetId": f"70000{number}{n:04d}", "RackId": f"NA-{outpost_id[3:11].upper()}", "AssetType": "COMPUTE",
             "ComputeAttributes": {"HostId": f"h-{outpost_id[3:]}-{n}", "State": "ACTIVE",
                                   "InstanceFamilies": ["m5"], "MaxVcpus": 96},
             "AssetLocation": {"RackElevation": float(n)}} for n in (1, 2)]


def seed(service: Service) -> None:
    """Seed an empty database (once: a restart keeps the database as it is)."""
    service.run(_seed, {})


def seed_contracts(ctx: Context) -> None:
    """Open the ORIGINAL subscription of each seeded Outpost the database holds (CONTRACTS)."""
    today = contracts.day_start(ctx.now)
    for outpost_id, (term, option, months) in CONTRACTS.items():
        outpost = ctx.tx.get(OUTPOST, outpost_id)
        if outpost is not None:
            contracts.open_original(ctx, outpost, term, option, begin=contracts.add_months(today, months))
    ctx.tx.set_setting(_SEEDED_CONTRACTS, "1")


def _seed(ctx: Context, _: Params) -> Params:
    if ctx.tx.setting(_SEEDED):
        if not ctx.tx.setting(_SEEDED_CONTRACTS):  # seeded by a version without contracts
            seed_contracts(ctx)
        return {}
    for site in sites():
        ctx.tx.put(SITE, site["SiteId"], site)
    for outpost in outposts():
        ctx.tx.put(OUTPOST, outpost["OutpostId"], outpost, parent=outpost["SiteId"])
    for item in catalog():
        ctx.tx.put(CATALOG_ITEM, item.item_id, item.dump())
    for outpost_id in ACTIVE_OUTPOST_IDS:
        for asset in existing_assets(outpost_id):
            ctx.tx.put(ASSET, asset["AssetId"], asset, parent=outpost_id)
    seed_contracts(ctx)
    rack = next(o for o in outposts() if o["OutpostId"] == RACK_OUTPOST_ID)
    request = {"CountryCode": "US", "Description": "Compute expansion for the Seattle lab",
               "RequestedCapacities": [{"QuoteCapacityType": "EC2", "Unit": "m5.24xlarge", "Quantity": 4.0}]}
    valid = quotes.new_quote(ctx, QUOTE_ID, list(QUOTE_OPTION_IDS), rack, request,
                             ctx.now, ctx.now + QUOTE_VALID_DAYS * DAY)
    expired = quotes.new_quote(ctx, EXPIRED_QUOTE_ID, list(EXPIRED_QUOTE_OPTION_IDS), rack, request,
                               ctx.now - 40 * DAY, ctx.now - 10 * DAY)
    for quote in (valid, expired):
        quotes.save(ctx, quote)
    ctx.tx.set_setting(_SEEDED, "1")
    return {}
