"""Each resource's schema table is the only source of its property lists, and it matches the API model."""

from __future__ import annotations

import dataclasses
import inspect
import typing
from typing import Any

import pytest
from botocore.model import ListShape, Shape, StructureShape
from pulumi.dynamic import Resource

from pulumi_outposts_orders._schema import Field, Kind, Schema
from pulumi_outposts_orders.aws.model import service_model
from pulumi_outposts_orders.outposts import order_inputs, order_provider, outputs, quote_inputs
from pulumi_outposts_orders.outposts.order import OutpostOrder, OutpostOrderArgs
from pulumi_outposts_orders.outposts.quote import OutpostQuote, OutpostQuoteArgs
from pulumi_outposts_orders.outposts.quote_provider import _READ
from pulumi_outposts_orders.outposts.same_order import OrderSpec
from pulumi_outposts_orders.outposts.shapes import snake

# (schema, request operation, response operation and member, resource class, args class)
RESOURCES: dict[str, tuple[Schema, str, tuple[str, str], type[Resource], type[Any]]] = {
    "order": (order_inputs.ORDER_SCHEMA, "CreateOrder", ("GetOrder", "Order"), OutpostOrder, OutpostOrderArgs),
    "quote": (quote_inputs.QUOTE_SCHEMA, "CreateQuote", ("GetQuote", "Quote"), OutpostQuote, OutpostQuoteArgs),
}


def _structure(operation: str, member: str | None = None) -> StructureShape:
    model = service_model().operation_model(operation)
    shape = model.input_shape if member is None else model.output_shape.members[member]
    assert isinstance(shape, StructureShape)
    return shape


@pytest.mark.parametrize("resource", RESOURCES)
def test_the_kinds_partition_the_properties(resource: str) -> None:
    schema: Schema = RESOURCES[resource][0]
    by_kind = [schema.named(kind) for kind in Kind]
    names = [f.name for f in schema.fields]
    assert sorted(name for group in by_kind for name in group) == sorted(names)
    assert len(set(names)) == len(names)
    assert set(schema.inputs) | set(schema.outputs) == set(names)
    assert not set(schema.inputs) & set(schema.outputs)


@pytest.mark.parametrize("resource", RESOURCES)
def test_each_input_has_an_api_member_or_is_provider_only(resource: str) -> None:
    schema, request, _, _, _ = RESOURCES[resource]
    members = _structure(request).members
    for name, member in schema.inputs.items():
        if member is None:
            assert schema.field(name).provider_only
            assert snake(name) not in {snake(m) for m in members}, f"{name} shadows a {request} member"
        else:
            assert member in members, f"{name}: {member} is no {request} member"
            assert snake(member) == name
    # Every request member is declared (nothing the API takes is silently dropped).
    assert {m for m in schema.inputs.values() if m} == set(members)


@pytest.mark.parametrize("resource", RESOURCES)
def test_outputs_name_response_members(resource: str) -> None:
    schema, _, (operation, member), _, _ = RESOURCES[resource]
    members = _structure(operation, member).members
    for name in schema.outputs:
        api = schema.field(name).api
        assert api is None or api in members, f"{name}: {api} is no {member} member"


@pytest.mark.parametrize("resource", RESOURCES)
def test_constructor_parameters_and_args_fields_are_the_schema_inputs(resource: str) -> None:
    schema, _, _, cls, args_cls = RESOURCES[resource]
    keyword_form = [o for o in typing.get_overloads(cls.__init__) if "args" not in inspect.signature(o).parameters]
    assert len(keyword_form) == 1
    keywords = [p.name for p in inspect.signature(keyword_form[0]).parameters.values()
                if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert sorted(keywords) == sorted(schema.parameters)
    assert sorted(f.name for f in dataclasses.fields(args_cls)) == sorted(schema.parameters)
    # Every declared output attribute is a property of the schema.
    annotated = set(inspect.get_annotations(cls))
    assert annotated <= {f.name for f in schema.fields}
    assert set(schema.outputs) <= annotated


def test_the_order_lists_are_derived_from_the_schema() -> None:
    schema = order_inputs.ORDER_SCHEMA
    assert schema.inputs == order_inputs.ORDER_INPUTS
    assert schema.named(Kind.IN_PLACE) == order_inputs.IN_PLACE_INPUTS
    assert set(schema.same_order) == {f.name for f in dataclasses.fields(OrderSpec)}
    assert set(schema.same_order) <= set(schema.named(Kind.REPLACES))
    not_declared = {f.name for f in schema.fields if f.kind is not Kind.OUTPUT and not f.declared}
    assert not_declared == {"placement_key", "retain_on_delete"}  # set by OutpostOrder itself
    assert not hasattr(order_provider, "IN_PLACE_INPUTS")


def test_the_quote_lists_are_derived_from_the_schema() -> None:
    schema = quote_inputs.QUOTE_SCHEMA
    assert schema.inputs == quote_inputs.QUOTE_INPUTS
    assert quote_inputs.REPLACED_BY == schema.named(Kind.REPLACES) == ("region",)
    assert set(_READ) == {f.name for f in schema.fields if f.kind is Kind.OUTPUT and f.api}


@pytest.mark.parametrize(
    ("typed", "operation", "path"),
    [
        (outputs.OrderLineItem, "GetOrder", ("Order", "LineItems", "*")),
        (outputs.LineItemShipment, "GetOrder", ("Order", "LineItems", "*", "ShipmentInformation")),
        (outputs.LineItemAsset, "GetOrder", ("Order", "LineItems", "*", "AssetInformationList", "*")),
        (outputs.QuoteOption, "GetQuote", ("Quote", "QuoteOptions", "*")),
        (outputs.QuoteCapacitySummary, "GetQuote", ("Quote", "QuoteOptions", "*", "CapacitySummary")),
        (outputs.QuoteCapacity, "GetQuote", ("Quote", "RequestedCapacities", "*")),
        (outputs.QuoteSpecification, "GetQuote", ("Quote", "QuoteOptions", "*", "Specifications", "*")),
        (outputs.RackSpecificationDetails, "GetQuote",
         ("Quote", "QuoteOptions", "*", "Specifications", "*", "FinalRackSpecificationDetails")),
        (outputs.ServerSpecificationDetails, "GetQuote",
         ("Quote", "QuoteOptions", "*", "Specifications", "*", "ServerSpecificationDetails")),
        (outputs.EC2Capacity, "GetQuote",
         ("Quote", "QuoteOptions", "*", "Specifications", "*", "ServerSpecificationDetails", "EC2Capacities", "*")),
        (outputs.QuotePricingOption, "GetQuote", ("Quote", "QuoteOptions", "*", "PricingOptions", "*")),
        (outputs.SubscriptionPricingDetails, "GetQuote",
         ("Quote", "QuoteOptions", "*", "PricingOptions", "*", "SubscriptionPricingDetails")),
        (outputs.OrderingRequirement, "GetQuote", ("Quote", "OrderingRequirements", "*")),
    ],
)
def test_typed_outputs_have_every_member_of_their_shape(typed: Any, operation: str, path: tuple[str, ...]) -> None:
    shape: Shape = service_model().operation_model(operation).output_shape
    for step in path:
        shape = shape.member if step == "*" and isinstance(shape, ListShape) else shape.members[step]
    assert isinstance(shape, StructureShape)
    assert list(typed.__annotations__) == [snake(name) for name in shape.members]


def test_former_names_and_required_inputs() -> None:
    """``Field.aliases``: a former name is read as the name now (a value under the name now wins) and may
    name no other property; ``Field.required``: its check sees an unset value too. The Outposts tables
    use neither (AmazonBusinessOrder's does: ``tests/amazon_business/test_schema.py``)."""
    def named(value: Any, _props: Any) -> list[Any]:
        return [value]

    schema = Schema((Field("marketplace", Kind.REPLACES, "Region", named, required=True, aliases=("region",)),
                     Field("note", Kind.IN_PLACE, check=named)))
    assert schema.aliases == {"region": "marketplace"}
    assert schema.renamed({"region": "US", "note": "x"}) == {"marketplace": "US", "note": "x"}
    assert schema.renamed({"region": "US", "marketplace": "DE"}) == {"marketplace": "DE"}
    assert schema.renamed({"region": "US", "marketplace": None}) == {"marketplace": "US"}
    assert schema.checks({}, provider_only=False) == [None]  # required: checked although unset
    assert schema.checks({}, provider_only=True) == []  # not required: unset passes
    with pytest.raises(ValueError, match="declared twice"):
        Schema((Field("marketplace", Kind.REPLACES, aliases=("region",)), Field("region", Kind.REPLACES)))
    for table in (order_inputs.ORDER_SCHEMA, quote_inputs.QUOTE_SCHEMA):
        assert table.aliases == {} and not any(f.required for f in table.fields)
