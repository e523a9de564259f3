"""AmazonBusinessOrder's schema table is the only list of its properties: the resource class, its args, its
declared outputs, the provider's diff and the placeOrder request are all held to it (as
``tests/orders/test_schema.py`` holds OutpostOrder and OutpostQuote to theirs)."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import typing
from pathlib import Path
from typing import Any

import pytest

import pulumi_outposts_orders
from pulumi_outposts_orders._schema import Kind, Schema
from pulumi_outposts_orders.amazon_business import inputs, outputs, provider, resource, results
from pulumi_outposts_orders.amazon_business.inputs import (
    ADDRESS_SCHEMA,
    AMAZON_BUSINESS_SCHEMA,
    DISTRIBUTION_SCHEMA,
    LINE_ITEM_SCHEMA,
    MONEY_SCHEMA,
    SEGMENT_SCHEMA,
)
from pulumi_outposts_orders.amazon_business.outputs import AmazonBusinessLineItemResult
from pulumi_outposts_orders.amazon_business.provider import AmazonBusinessOrderProvider
from pulumi_outposts_orders.amazon_business.resource import (
    AccountingSegmentArgs,
    AccountingSegmentArgsDict,
    AmazonBusinessDistributionArgs,
    AmazonBusinessDistributionArgsDict,
    AmazonBusinessLineItemArgs,
    AmazonBusinessLineItemArgsDict,
    AmazonBusinessOrder,
    AmazonBusinessOrderArgs,
    MoneyArgs,
    MoneyArgsDict,
    ShippingAddressArgs,
    ShippingAddressArgsDict,
)

SCHEMA = AMAZON_BUSINESS_SCHEMA
MONEY = {"currency": "USD", "amount": 129.0}
# Every input set, every nested member set: what placeOrder is sent for them.
FULL: dict[str, Any] = {
    "line_items": [{"asin": "B07QSFP28A", "buying_option_id": "bo-qsfp28-sr4", "quantity": 4, "external_id": "qsfp",
                    "expected_unit_price": MONEY, "expected_charge": {"currency": "USD", "amount": 516.0},
                    "distributions": [
                        {"name": "site build", "amount": {"currency": "USD", "amount": 387.0}, "segments": [
                            {"id": "CC-4410", "type": "CostCenter", "description": "Site operations"},
                            {"id": "6100", "type": "GLAccount", "description": "Network hardware"}]},
                        {"name": "spares", "amount": {"currency": "USD", "amount": 129.0}, "segments": [
                            {"id": "CC-4420", "type": "CostCenter", "description": "Spares pool"}]}]}],
    "shipping_address": {"full_name": "Site Ops", "address_line1": "410 Terry Ave N", "address_line2": "Dock 3",
                         "city": "Seattle", "state_or_region": "WA", "postal_code": "98109", "country_code": "US",
                         "phone_number": "+1 206 555 0100", "company_name": "Example Corp"},
    "buyer_email": "buyer@example.com", "marketplace": "US", "purchase_order_number": "PO-1",
    "buying_group": "site-ops", "payment_method": "StoredPaymentMethod", "trial_mode": True, "generation": 1,
    "order_key": "org/project/stack/optics",
}
# An orderDetails answer with every artifact the published model gives (one line, accepted and rejected
# portions, shipped in one package); ``test_published_model`` checks it against the model.
ANSWER: dict[str, Any] = {"lineItems": [{
    "externalId": "qsfp",
    "acceptedItems": [{"acceptedItemType": "SingleAcceptedItem", "quantity": 3, "artifacts": [
        {"acceptanceArtifactType": "OrderIdentifier", "identifier": "114-0000001-1234567"},
        {"acceptanceArtifactType": "UnitPrice", "amount": {"currencyCode": "USD", "amount": 129.0}},
        {"acceptanceArtifactType": "Charge", "amount": {"currencyCode": "USD", "amount": 387.0},
         "category": "SUBTOTAL", "type": "PRINCIPAL"},
        {"acceptanceArtifactType": "Charge", "amount": {"currencyCode": "USD", "amount": 39.67},
         "category": "SUBTOTAL", "type": "TAX"},
        {"acceptanceArtifactType": "Charge", "amount": {"currencyCode": "USD", "amount": 5.0},
         "category": "SHIPPING", "type": "PRINCIPAL"},
        {"acceptanceArtifactType": "Charge", "amount": {"currencyCode": "USD", "amount": -10.0},
         "category": "SUBTOTAL", "type": "DISCOUNT"},
        {"acceptanceArtifactType": "DeliveryTimeRange", "lowerBoundary": {"date": "2026-06-16T00:00:00Z"},
         "upperBoundary": {"date": "2026-06-18T00:00:00Z"}},
        {"acceptanceArtifactType": "ShipmentGroup", "identifier": "shipment-1", "quantity": 3,
         "packageReferences": [{"packageReferenceType": "CarrierTrackingNumber", "value": "TBA000000000001"}]},
    ]}],
    "rejectedItems": [{"quantity": 1, "artifacts": [
        {"rejectionArtifactType": "RejectionCode", "code": "QUANTITY_UNAVAILABLE"},
        {"rejectionArtifactType": "RejectionMessage", "message": "only 3"},
        {"rejectionArtifactType": "UnavailableQuantity", "quantity": 1}]}],
}], "acceptanceArtifacts": [
    {"acceptanceArtifactType": "Signed"},
    {"acceptanceArtifactType": "Shipment", "identifier": "shipment-1", "packages": [{
        "packageReference": {"packageReferenceType": "CarrierTrackingNumber", "value": "TBA000000000001"},
        "packageAttributes": [{"packageAttributeType": "PackageTrackingAttribute", "carrierName": "AMZL_US",
                               "packageId": "1", "deliveryDateRange": {
                                   "startDateTime": {"date": "2026-06-16T00:00:00Z"},
                                   "endDateTime": {"date": "2026-06-18T00:00:00Z"}}}]}]},
], "rejectionArtifacts": []}
NESTED: list[tuple[Schema, type, type, type]] = [
    (LINE_ITEM_SCHEMA, AmazonBusinessLineItemArgs, AmazonBusinessLineItemArgsDict, outputs.AmazonBusinessLineItem),
    (ADDRESS_SCHEMA, ShippingAddressArgs, ShippingAddressArgsDict, outputs.AmazonBusinessShippingAddress),
    (MONEY_SCHEMA, MoneyArgs, MoneyArgsDict, outputs.AmazonBusinessMoney),
    (DISTRIBUTION_SCHEMA, AmazonBusinessDistributionArgs, AmazonBusinessDistributionArgsDict,
     outputs.AmazonBusinessDistribution),
    (SEGMENT_SCHEMA, AccountingSegmentArgs, AccountingSegmentArgsDict, outputs.AmazonBusinessAccountingSegment),
]
PROVIDER = AmazonBusinessOrderProvider()


def test_the_kinds_partition_the_properties() -> None:
    names = [f.name for f in SCHEMA.fields]
    assert sorted(n for kind in Kind for n in SCHEMA.named(kind)) == sorted(names)
    assert set(SCHEMA.inputs) | set(SCHEMA.outputs) == set(names)
    assert not set(SCHEMA.inputs) & set(SCHEMA.outputs)
    assert SCHEMA.named(Kind.CREATE_ONLY) == ()  # a placed order takes no change at all
    assert SCHEMA.named(Kind.IN_PLACE) == ("order_key",)  # the resource's own key, never what is ordered
    assert [f.name for f in SCHEMA.fields if f.provider_only] == ["generation", "order_key"]
    assert SCHEMA.aliases == {"region": "marketplace"}


def test_constructor_parameters_and_args_fields_are_the_schema_inputs() -> None:
    """The keyword form and ``AmazonBusinessOrderArgs`` take the declared inputs, plus ``region`` (deprecated)."""
    keyword_form = [o for o in typing.get_overloads(AmazonBusinessOrder.__init__)
                    if "args" not in inspect.signature(o).parameters]
    assert len(keyword_form) == 1
    keywords = [p.name for p in inspect.signature(keyword_form[0]).parameters.values()
                if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert keywords == [*SCHEMA.parameters, *SCHEMA.aliases]
    fields = dataclasses.fields(AmazonBusinessOrderArgs)
    assert [f.name for f in fields] == [*SCHEMA.parameters, *SCHEMA.aliases]
    not_declared = {f.name for f in SCHEMA.fields if f.kind is not Kind.OUTPUT and not f.declared}
    assert not_declared == {"order_key"}  # set by AmazonBusinessOrder itself
    # Required inputs have no default, except one whose former name may be given in its place.
    without_default = {f.name for f in fields if f.default is dataclasses.MISSING}
    assert without_default == {f.name for f in SCHEMA.fields if f.required and not f.aliases}
    assert {f.name for f in SCHEMA.fields if f.aliases} == {"marketplace"}


def test_every_property_is_a_declared_output_and_outputs_are_set_to_none() -> None:
    annotated = inspect.get_annotations(AmazonBusinessOrder)
    assert list(annotated) == [f.name for f in SCHEMA.fields]
    assert all(str(hint).startswith("Output[") for hint in annotated.values())
    assert "list[AmazonBusinessLineItemResult]" in str(annotated["line_item_results"])


def test_the_diff_follows_the_table() -> None:
    """Each input that replaces replaces, alone; the in-place one updates; outputs are no change."""
    placed = {**PROVIDER.check({}, FULL).inputs, "placed_at": "2026-06-14T09:00:00Z"}
    olds = provider._outputs(placed, "pulumi-x", results.line_results(ANSWER))
    assert set(olds) == {f.name for f in SCHEMA.fields}
    changed = {"line_items": [{**FULL["line_items"][0], "quantity": 5}],
               "shipping_address": {**FULL["shipping_address"], "city": "Tacoma"},
               "buyer_email": "other@example.com", "marketplace": "CA", "purchase_order_number": "PO-2",
               "buying_group": "other", "payment_method": "Other", "trial_mode": False, "generation": 2,
               "order_key": "org/project/stack/renamed", "external_id": "pulumi-y", "order_generation": 2,
               "line_item_results": [], "delivery_status": "REJECTED", "total": 1.0, "currency": "EUR",
               "charges": {"subtotal": 1.0, "tax": 0.0, "shipping": 0.0, "discount": 0.0, "total": 1.0},
               "placed_at": "2026-06-15T09:00:00Z"}
    assert set(changed) == {f.name for f in SCHEMA.fields}
    for name, value in changed.items():
        diff = PROVIDER.diff("pulumi-x", olds, {**olds, name: value})
        kind = SCHEMA.field(name).kind
        assert diff.replaces == ([name] if kind is Kind.REPLACES else []), name
        assert diff.changes is (kind is not Kind.OUTPUT), name
        assert diff.delete_before_replace is False  # a new order is placed before the old one is forgotten
    update = PROVIDER.update("pulumi-x", olds, {**olds, "order_key": "org/project/stack/renamed"})
    assert update.outs == {**olds, "order_key": "org/project/stack/renamed"}


def test_api_members_are_what_place_order_sends() -> None:
    """Each input's API member is a placeOrder attribute (or ``lineItems``); provider-only ones are never sent."""
    request = inputs.place_request(FULL, "pulumi-x")
    sent = {a["attributeType"] for a in request["attributes"]} | set(request) - {"externalId", "attributes",
                                                                                 "expectations"}
    assert request["expectations"] == []  # the model requires the member; each line states its own
    assert sent == {f.api for f in SCHEMA.fields if f.kind is not Kind.OUTPUT and f.api}
    assert inputs.place_request({**FULL, "generation": 7, "order_key": "other"}, "pulumi-x") == request
    [line] = request["lineItems"]
    line_members = ({a["attributeType"] for a in line["attributes"]} | {e["expectationType"] for e in
                    line["expectations"]} | {k for k in line if k not in ("attributes", "expectations")})
    assert line_members == set(LINE_ITEM_SCHEMA.inputs.values())
    [address] = [a["address"] for a in request["attributes"] if a["attributeType"] == "ShippingAddress"]
    assert set(address) - {"addressType"} == set(ADDRESS_SCHEMA.inputs.values())
    assert {set(e["amount"]) == set(MONEY_SCHEMA.inputs.values()) for e in line["expectations"]} == {True}
    distributions = [a for a in line["attributes"] if a["attributeType"] == LINE_ITEM_SCHEMA.inputs["distributions"]]
    assert len(distributions) == 2  # one attribute per distribution
    for distribution in distributions:
        members = {f"{outer}.{inner}" for outer in ("accounting", "charge") for inner in distribution[outer]}
        assert members == set(DISTRIBUTION_SCHEMA.inputs.values())
        assert {k for s in distribution["accounting"]["segments"] for k in s} == set(SEGMENT_SCHEMA.inputs.values())
        assert set(distribution["charge"]["amount"]) == set(MONEY_SCHEMA.inputs.values())
    region = next(a for a in request["attributes"] if a["attributeType"] == SCHEMA.field("marketplace").api)
    assert region == {"attributeType": "Region", "region": "US"}  # the API's name stays Region


@pytest.mark.parametrize(("table", "args", "args_dict", "output"), NESTED,
                         ids=[args.__name__ for _, args, _, _ in NESTED])
def test_nested_args_their_dicts_and_outputs_are_the_nested_tables(table: Schema, args: type, args_dict: type,
                                                                     output: type) -> None:
    names = list(table.parameters)
    fields = dataclasses.fields(args)
    assert sorted(f.name for f in fields) == sorted(names)
    assert {f.name for f in fields if f.default is dataclasses.MISSING} == {f.name for f in table.fields
                                                                            if f.required}
    hints = {name: _text(hint) for name, hint in inspect.get_annotations(args_dict).items()}
    assert sorted(hints) == sorted(names)
    # Required members are plain keys of the dict form, the others ``NotRequired``.
    assert {n for n, hint in hints.items() if not hint.startswith("NotRequired[")} == {
        f.name for f in table.fields if f.required}
    assert sorted(inspect.get_annotations(output)) == sorted(names)


def _text(hint: Any) -> str:
    """An annotation as written (TypedDict keeps string annotations as forward references)."""
    return str(hint.__forward_arg__) if isinstance(hint, typing.ForwardRef) else str(hint)


def test_line_item_results_are_typed_with_every_key_line_results_writes() -> None:
    [row] = results.line_results(ANSWER)
    report = {"orderStatus": "PENDING_FULFILLMENT", "approverDetails": {"lastOrderApproverCustomer": {
        "name": "lead", "email": "lead@example.com"}}}
    typed = set(inspect.get_annotations(outputs.AmazonBusinessLineItemResult))
    assert set(results.reported(row, report)) == typed - {"accepted_items"}  # a group's only
    [package] = row["packages"]
    tracked = results.tracked(package, {"trackingStatus": "DELIVERED"})
    assert set(tracked) == set(inspect.get_annotations(outputs.AmazonBusinessPackage))
    assert set(row["rejections"][0]) == set(inspect.get_annotations(outputs.AmazonBusinessRejection))
    assert (row["accepted_quantity"], row["rejected_quantity"]) == (3, 1)
    # Money kept apart: the subtotal is unit price x quantity; tax, shipping and discounts beside it.
    assert (row["charge"], row["tax"], row["shipping"], row["discount"]) == (387.0, 39.67, 5.0, -10.0)
    assert results.charges([row]) == {"subtotal": 387.0, "tax": 39.67, "shipping": 5.0, "discount": -10.0,
                                      "total": 421.67}
    assert row["rejections"] == [{"code": "QUANTITY_UNAVAILABLE", "message": "only 3", "reason": "1 unavailable"}]
    assert package == {"tracking_number": "TBA000000000001", "shipment_id": "shipment-1", "package_id": "1",
                       "carrier": "AMZL_US", "delivery_window": ["2026-06-16T00:00:00Z", "2026-06-18T00:00:00Z"]}


def test_an_accepted_item_group_counts_its_items_times_the_group() -> None:
    group = {"acceptedItemType": "AcceptedItemGroup", "quantity": 2, "artifacts": [], "items": [
        {"acceptedItemType": "SingleAcceptedItem", "quantity": 2, "artifacts": []} for _ in range(3)]}
    answer = {"lineItems": [{"externalId": "kit", "acceptedItems": [group], "rejectedItems": []}],
              "acceptanceArtifacts": [], "rejectionArtifacts": []}
    [row] = results.line_results(answer)
    # The model's own example: 2 groups of three items, 2 of each, are 12 items; the line asked for 2 groups.
    assert (row["accepted_quantity"], row["accepted_items"]) == (2, 12)


def test_delivery_status_follows_every_package() -> None:
    def row(*statuses: str, accepted: int = 1) -> AmazonBusinessLineItemResult:
        return {"accepted_quantity": accepted, "rejected_quantity": 0, "rejections": [], "external_id": "x",
                "packages": [{"tracking_number": f"T{i}", "status": s} for i, s in enumerate(statuses)]}

    assert results.delivery_status([row()]) == "ORDERED"
    assert results.delivery_status([row("SHIPPED", "DELIVERED")]) == "SHIPPED"
    assert results.delivery_status([row("DELIVERED"), row("DELIVERED")]) == "DELIVERED"
    assert results.delivery_status([row("DELIVERED"), row()]) == "SHIPPED"  # one line not shipped yet
    assert results.delivery_status([row("DELAYED", "DELIVERED")]) == "DELAYED"
    assert results.delivery_status([row(accepted=0)]) == "REJECTED"


def test_delivery_status_follows_the_order_reports() -> None:
    def row(order_status: str, *packages: str) -> AmazonBusinessLineItemResult:
        return {"accepted_quantity": 1, "rejected_quantity": 0, "rejections": [], "external_id": "x",
                "order_status": order_status, "charge": 10.0,
                "packages": [{"tracking_number": f"T{i}", "status": s} for i, s in enumerate(packages)]}

    assert results.delivery_status([row("PENDING_APPROVAL")]) == "PENDING_APPROVAL"
    assert results.delivery_status([row("CANCELLED"), row("CANCELLED")]) == "CANCELLED"
    assert results.delivery_status([row("CANCELLED"), row("PENDING_FULFILLMENT", "DELIVERED")]) == "DELIVERED"
    assert results.delivery_status([row("CLOSED")]) == "DELIVERED"  # closed: delivered, even untracked
    assert results.delivery_status([row("PENDING_FULFILLMENT", "SHIPPED"), row("PENDING_APPROVAL")]) == \
        "PENDING_APPROVAL"
    # A cancelled Amazon order is not charged.
    assert results.charges([row("CANCELLED"), row("CLOSED")])["total"] == 10.0


def test_nested_args_and_outputs_are_exported() -> None:
    for name in ("AmazonBusinessOrder", "AmazonBusinessOrderArgs", "AmazonBusinessLineItemArgs",
                 "AmazonBusinessLineItemArgsDict", "MoneyArgs", "MoneyArgsDict", "ShippingAddressArgs",
                 "ShippingAddressArgsDict", "AmazonBusinessDistributionArgs", "AmazonBusinessDistributionArgsDict",
                 "AccountingSegmentArgs", "AccountingSegmentArgsDict"):
        assert getattr(pulumi_outposts_orders, name) is getattr(resource, name)
        assert name in pulumi_outposts_orders.__all__
    for name in ("AmazonBusinessLineItem", "AmazonBusinessLineItemResult", "AmazonBusinessMoney",
                 "AmazonBusinessRejection", "AmazonBusinessPackage", "AmazonBusinessShippingAddress",
                 "AmazonBusinessDistribution", "AmazonBusinessAccountingSegment"):
        assert getattr(pulumi_outposts_orders, name) is getattr(outputs, name)
        assert name in pulumi_outposts_orders.__all__


def test_the_lists_are_derived_from_the_table() -> None:
    assert SCHEMA.named(Kind.REPLACES) == inputs.REPLACED_BY
    assert SCHEMA.named(Kind.IN_PLACE) == inputs.IN_PLACE_INPUTS
    assert LINE_ITEM_SCHEMA.parameters == inputs.LINE_ITEM_KEYS
    assert ADDRESS_SCHEMA.parameters == inputs.ADDRESS_KEYS
    assert MONEY_SCHEMA.parameters == inputs.MONEY_KEYS
    assert DISTRIBUTION_SCHEMA.parameters == inputs.DISTRIBUTION_KEYS
    assert SEGMENT_SCHEMA.parameters == inputs.SEGMENT_KEYS
    assert inputs.EXPECTATIONS == ("expected_unit_price", "expected_charge")
    for module, stale in ((inputs, "ORDER_INPUTS"), (provider, "IN_PLACE_INPUTS"), (resource, "PARAMETERS"),
                          (resource, "OUTPUTS")):
        assert not hasattr(module, stale), f"{module.__name__}.{stale}"


def test_no_other_list_of_property_names_is_written_out() -> None:
    """No tuple, list, set or dict literal in amazon_business/*.py names two or more of the resource's
    properties (the table is the only one)."""
    names = {f.name for f in SCHEMA.fields} | set(SCHEMA.aliases)
    found = []
    for path in sorted(Path(inputs.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            elements = (node.keys if isinstance(node, ast.Dict) else node.elts
                        if isinstance(node, ast.Tuple | ast.List | ast.Set) else [])
            strings = {e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            if len(strings & names) >= 2:
                assert isinstance(node, ast.expr)  # a Dict, Tuple, List or Set: it has a line
                found.append(f"{path.name}:{node.lineno}: {sorted(strings & names)}")
    assert found == []
