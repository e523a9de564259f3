"""Small helpers of the emulator tests."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from pulumi_outposts_orders.emulator.outposts import seed


def error_of(call: Any, **params: Any) -> dict[str, Any]:
    """The ``Error`` of the ClientError ``call(**params)`` raises, plus its HTTPStatusCode."""
    with pytest.raises(ClientError) as caught:
        call(**params)
    error: dict[str, Any] = caught.value.response["Error"]
    error["HTTPStatusCode"] = caught.value.response["ResponseMetadata"]["HTTPStatusCode"]
    return error


def order(client: Any, outpost: str = seed.RACK_OUTPOST_ID, item: str = seed.RACK_CATALOG_ITEM_ID,
          quantity: int = 1, **extra: Any) -> dict[str, Any]:
    """CreateOrder of ``quantity`` units of one catalog item; returns the Order."""
    line_items = [{"CatalogItemId": item, "Quantity": quantity}]
    response = client.create_order(OutpostIdentifier=outpost, LineItems=line_items, PaymentOption="ALL_UPFRONT",
                                   PaymentTerm="THREE_YEARS", **extra)
    created: dict[str, Any] = response["Order"]
    return created
