"""The emulator's Amazon Business Ordering API (placeOrder, orderDetails), Package Tracking API
(getPackageTrackingDetails) and their LWA token endpoint.

``models`` holds the state and rules (products, orders, packages, access tokens, the usage plan),
``responses`` the wire (routes, request checks, answers in the published models' shapes, the
``/_emulator/amazon-business/`` admin API), ``exceptions`` the APIs' errors. The names clients use
(``LWA_CLIENT_ID``, ``SEED_PRODUCTS``, ``OPERATIONS``, ``TRACKING_PATH``, ...) are also exported here,
imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi_outposts_orders._lazy import lazy_exports

if TYPE_CHECKING:
    from pulumi_outposts_orders.emulator.amazon_business.exceptions import AbError
    from pulumi_outposts_orders.emulator.amazon_business.models import (
        ACCESS_TOKEN_TTL_S,
        BURST,
        DELIVERY_DAYS,
        LWA_CLIENT_ID,
        LWA_CLIENT_SECRET,
        LWA_REFRESH_TOKEN,
        MILESTONES,
        ORDER,
        OUT_FOR_DELIVERY_DAYS,
        PACKAGE,
        PRODUCT,
        RATE_PER_S,
        SEED_PRODUCTS,
        SHIP_AFTER_DAYS,
        STORE_REFRESH_TOKENS,
        STORES,
        TAX_RATES,
        TOKEN,
        TOKENS_EXPIRED_AT,
        TRACKING_STATUSES,
        SeedProduct,
        TokenBucket,
    )
    from pulumi_outposts_orders.emulator.amazon_business.responses import (
        ADMIN_PREFIX,
        OPERATIONS,
        ORDERS_PATH,
        TOKEN_PATH,
        TRACKING_PATH,
        AmazonBusiness,
        addressed,
    )

_EXPORTS = {
    "AbError": ".exceptions",
    "ACCESS_TOKEN_TTL_S": ".models",
    "BURST": ".models",
    "DELIVERY_DAYS": ".models",
    "LWA_CLIENT_ID": ".models",
    "LWA_CLIENT_SECRET": ".models",
    "LWA_REFRESH_TOKEN": ".models",
    "STORE_REFRESH_TOKENS": ".models",
    "MILESTONES": ".models",
    "ORDER": ".models",
    "OUT_FOR_DELIVERY_DAYS": ".models",
    "PACKAGE": ".models",
    "PRODUCT": ".models",
    "RATE_PER_S": ".models",
    "SEED_PRODUCTS": ".models",
    "SHIP_AFTER_DAYS": ".models",
    "STORES": ".models",
    "TAX_RATES": ".models",
    "TOKEN": ".models",
    "TOKENS_EXPIRED_AT": ".models",
    "TRACKING_STATUSES": ".models",
    "SeedProduct": ".models",
    "TokenBucket": ".models",
    "ADMIN_PREFIX": ".responses",
    "OPERATIONS": ".responses",
    "ORDERS_PATH": ".responses",
    "TOKEN_PATH": ".responses",
    "TRACKING_PATH": ".responses",
    "AmazonBusiness": ".responses",
    "addressed": ".responses",
}
__all__ = [
    "ACCESS_TOKEN_TTL_S",
    "ADMIN_PREFIX",
    "BURST",
    "DELIVERY_DAYS",
    "LWA_CLIENT_ID",
    "LWA_CLIENT_SECRET",
    "LWA_REFRESH_TOKEN",
    "MILESTONES",
    "OPERATIONS",
    "ORDER",
    "ORDERS_PATH",
    "OUT_FOR_DELIVERY_DAYS",
    "PACKAGE",
    "PRODUCT",
    "RATE_PER_S",
    "SEED_PRODUCTS",
    "SHIP_AFTER_DAYS",
    "STORES",
    "STORE_REFRESH_TOKENS",
    "TAX_RATES",
    "TOKEN",
    "TOKENS_EXPIRED_AT",
    "TOKEN_PATH",
    "TRACKING_PATH",
    "TRACKING_STATUSES",
    "AbError",
    "AmazonBusiness",
    "SeedProduct",
    "TokenBucket",
    "addressed",
]

__getattr__ = lazy_exports(__name__, _EXPORTS)
