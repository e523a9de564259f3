"""Hardware that orders produce: asset IDs, MAC addresses, shipments, and the assets of a built order.

Everything is derived deterministically from line-item IDs, so an order reads the same on every
call and after a restart. Assets exist once a line item is built; their compute state is
INSTALLING until the line item is INSTALLED, then ACTIVE. The ListAssets operation, which lists
them with an Outpost's existing hardware, is in ``inventory``.
"""

from __future__ import annotations

import hashlib

from pulumi_outposts_orders.emulator.domain import Params
from pulumi_outposts_orders.emulator.outposts import lifecycle
from pulumi_outposts_orders.emulator.outposts.records import Order

SERVER_CARRIERS = ("UPS", "FEDEX", "DHL", "DBS")
RACK_CARRIER = "EXPEDITORS"
MACS_PER_ASSET = 2


def _digest(*parts: str) -> str:
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def asset_ids(line_item_id: str, quantity: int) -> list[str]:
    """The 10-digit asset IDs of a line item's hardware (one per unit)."""
    return [f"{int(_digest(line_item_id, str(n)), 16) % 10**10:010d}" for n in range(quantity)]


def mac_addresses(asset_id: str) -> list[str]:
    """The asset's MAC addresses (locally administered, unicast)."""
    macs = []
    for port in range(MACS_PER_ASSET):
        octets = bytes.fromhex(_digest(asset_id, "mac", str(port))[:10])
        macs.append(":".join(f"{b:02x}" for b in (0x02, *octets)))
    return macs


def shipment(line_item_id: str, hardware_type: str) -> Params:
    """ShipmentInformation: racks travel by freight (EXPEDITORS), servers by parcel carriers."""
    digest = _digest(line_item_id, "shipment")
    carrier = RACK_CARRIER if hardware_type == "RACK" else SERVER_CARRIERS[int(digest, 16) % len(SERVER_CARRIERS)]
    return {"ShipmentCarrier": carrier, "ShipmentTrackingNumber": digest[:18].upper()}


def line_item_assets(line_item_id: str, quantity: int) -> list[Params]:
    """AssetInformationList of a built line item."""
    return [{"AssetId": a, "MacAddressList": mac_addresses(a)} for a in asset_ids(line_item_id, quantity)]


def order_assets(order: Order, position: lifecycle.Position) -> list[Params]:
    """AssetInfo (ListAssets form) of an order's built hardware."""
    if not position.built:
        return []
    state = "ACTIVE" if position.line_item_status == "INSTALLED" else "INSTALLING"
    rack_id = f"NA-{order.order_id[3:11].upper()}"
    infos = []
    for item in order.line_items:
        for elevation, asset_id in enumerate(asset_ids(item.line_item_id, item.quantity), start=1):
            compute = {"HostId": f"h-{_digest(asset_id, 'host')[:17]}", "State": state,
                       "InstanceFamilies": order.instance_families, "MaxVcpus": 96}
            infos.append({"AssetId": asset_id, "RackId": rack_id, "AssetType": "COMPUTE",
                          "ComputeAttributes": compute, "AssetLocation": {"RackElevation": float(elevation)}})
    return infos

