"""Finders: one read call each, "not found" mapped to ``None``, other failures to actionable errors."""

from __future__ import annotations

from typing import Any

from botocore import xform_name

from pulumi_outposts_orders.aws import clients as _clients
from pulumi_outposts_orders.aws import settings as _aws
from pulumi_outposts_orders.aws.errors import OrderError, OutpostsError, error_code, explain


def find_order(target: _aws.Target, order_id: str) -> dict[str, Any] | None:
    """One GetOrder; ``None`` when AWS says the order does not exist."""
    return _find(target, "GetOrder", "Order", f"order {order_id}", OrderId=order_id)


def find_quote(target: _aws.Target, quote_id: str, calls: _clients.Calls = _clients.Calls.RETRYABLE,
               error: type[OutpostsError] = OrderError) -> dict[str, Any] | None:
    """One GetQuote; ``None`` when AWS says the quote does not exist. Other failures raise ``error``
    (the quote provider passes ``QuoteError``; an order placed from a quote keeps ``OrderError``)."""
    return _find(target, "GetQuote", "Quote", f"quote {quote_id}", calls, error, QuoteIdentifier=quote_id)


def find_catalog_item(
    target: _aws.Target, item_id: str, calls: _clients.Calls = _clients.Calls.RETRYABLE
) -> dict[str, Any] | None:
    """One GetCatalogItem; ``None`` when AWS says the catalog item does not exist."""
    return _find(target, "GetCatalogItem", "CatalogItem", f"catalog item {item_id}", calls, CatalogItemId=item_id)


def _find(target: _aws.Target, operation: str, member: str, subject: str,
          calls: _clients.Calls = _clients.Calls.RETRYABLE, error: type[OutpostsError] = OrderError,
          **params: str) -> dict[str, Any] | None:
    try:
        response = getattr(_clients.client(target, calls), xform_name(operation))(**params)
    except Exception as exc:
        if error_code(exc) == "NotFoundException":
            return None
        raise explain(exc, operation, subject, target, error) from exc
    found: dict[str, Any] = response[member]
    return found

