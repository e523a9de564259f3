"""The shared service-model validator (`pulumi_outposts_orders.aws.model`)."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_outposts_orders.aws.model import Violation, service_model, validate_input, validate_shape

OUTPOST = "op-0123456789abcdef0"
QUOTE = "oq-0123456789abcdef0"


def rules(operation: str, params: dict[str, Any]) -> set[tuple[str, str]]:
    return {(v.path, v.rule) for v in validate_input(operation, params)}


def test_service_model_is_cached_and_knows_quotes() -> None:
    model = service_model()
    assert model is service_model()
    assert "CreateQuote" in model.operation_names
    assert "FIVE_YEARS" in model.shape_for("PaymentTerm").enum


def test_valid_line_item_order_has_no_violations() -> None:
    params = {
        "OutpostIdentifier": OUTPOST,
        "LineItems": [{"CatalogItemId": "OR-A1B2C3D", "Quantity": 2}],
        "PaymentOption": "ALL_UPFRONT",
        "PaymentTerm": "FIVE_YEARS",
    }
    assert validate_input("CreateOrder", params) == []


def test_arn_form_is_accepted() -> None:
    arn = f"arn:aws:outposts:us-east-1:123456789012:outpost/{OUTPOST}"
    assert validate_input("CreateOrder", {"OutpostIdentifier": arn, "PaymentOption": "NO_UPFRONT"}) == []


def test_missing_required_members_are_all_reported() -> None:
    found = validate_input("CreateOrder", {})
    expected = {("OutpostIdentifier", "required"), ("PaymentOption", "required")}
    assert {(v.path, v.rule) for v in found} == expected
    assert all(v.path in v.message and "required" in v.message for v in found)


def test_every_violation_is_reported_with_nested_paths() -> None:
    params = {
        "OutpostIdentifier": "op-nothex",
        "PaymentOption": "SOMETIMES",
        "LineItems": [
            {"CatalogItemId": "OR-A1B2C3D", "Quantity": 0},
            {"CatalogItemId": "bad", "Quantity": "1"},
        ],
    }
    assert rules("CreateOrder", params) == {
        ("OutpostIdentifier", "pattern"),
        ("PaymentOption", "enum"),
        ("LineItems[0].Quantity", "min"),
        ("LineItems[1].CatalogItemId", "pattern"),
        ("LineItems[1].Quantity", "type"),
    }
    quantity = next(v for v in validate_input("CreateOrder", params) if v.path == "LineItems[0].Quantity")
    assert quantity == Violation("LineItems[0].Quantity", "min", "LineItems[0].Quantity must be >= 1 (got 0)")


def test_list_sizes_with_messages() -> None:
    base = {"OutpostIdentifier": OUTPOST, "PaymentOption": "ALL_UPFRONT"}
    item = {"CatalogItemId": "OR-A1B2C3D", "Quantity": 1}
    assert rules("CreateOrder", {**base, "LineItems": []}) == {("LineItems", "min-items")}
    assert rules("CreateOrder", {**base, "LineItems": [item] * 21}) == {("LineItems", "max-items")}
    assert rules("CreateOrder", {**base, "LineItems": item}) == {("LineItems", "type")}
    (too_many,) = validate_input("CreateOrder", {**base, "LineItems": [item] * 21})
    assert too_many.message == "LineItems must have at most 20 items (got 21)"


def test_string_lengths() -> None:
    assert rules("CreateQuote", {"CountryCode": "U", "RequestedCapacities": []}) == {
        ("CountryCode", "min-length"),
        ("CountryCode", "pattern"),
    }
    long_id = "oqo-" + "a" * 30
    params = {"OutpostIdentifier": OUTPOST, "PaymentOption": "ALL_UPFRONT", "QuoteOptionIdentifier": long_id}
    assert ("QuoteOptionIdentifier", "max-length") in rules("CreateOrder", params)


def test_integer_range_and_bool_is_not_an_integer() -> None:
    assert rules("ListOrders", {"MaxResults": 1001}) == {("MaxResults", "max")}
    assert rules("ListOrders", {"MaxResults": 0}) == {("MaxResults", "min")}
    assert rules("ListOrders", {"MaxResults": True}) == {("MaxResults", "type")}


def test_unknown_members_are_violations() -> None:
    found = rules("GetOrder", {"OrderId": "oo-0123456789abcdef0", "Colour": "red"})
    assert found == {("Colour", "unknown")}


def test_none_counts_as_missing() -> None:
    assert rules("GetOrder", {"OrderId": None}) == {("OrderId", "required")}


def test_dollar_anchor_does_not_accept_a_trailing_newline() -> None:
    assert rules("GetQuote", {"QuoteIdentifier": QUOTE + "\n"}) == {("QuoteIdentifier", "pattern")}


def test_sensitive_values_are_not_echoed() -> None:
    params = {"CountryCode": "US", "RequestedCapacities": [], "Description": "a\tb"}
    found = validate_input("CreateQuote", params)
    assert [(v.path, v.rule) for v in found] == [("Description", "pattern")]
    assert "a\tb" not in found[0].message


def test_validate_shape_on_a_nested_shape() -> None:
    shape = service_model().shape_for("LineItemRequest")
    found = validate_shape(shape, {"Quantity": -1}, "Items[3]")
    assert found == [Violation("Items[3].Quantity", "min", "Items[3].Quantity must be >= 1 (got -1)")]
    assert validate_shape(shape, "nope", "Item")[0].rule == "type"


def test_unknown_operation_is_an_error() -> None:
    with pytest.raises(ValueError, match="NoSuchThing"):
        validate_input("NoSuchThing", {})


CAPACITY = {"QuoteCapacityType": "EC2", "Unit": "m5.24xlarge"}


def quote_quantity(quantity: Any) -> dict[str, Any]:
    return {"CountryCode": "US", "RequestedCapacities": [{**CAPACITY, "Quantity": quantity}]}


def test_integers_must_fit_their_wire_type() -> None:
    base = {"OutpostIdentifier": OUTPOST, "PaymentOption": "ALL_UPFRONT"}
    largest = [{"CatalogItemId": "OR-A1B2C3D", "Quantity": 2**31 - 1}]
    assert validate_input("CreateOrder", {**base, "LineItems": largest}) == []
    (overflow,) = validate_input("CreateOrder", {**base, "LineItems": [{"CatalogItemId": "OR-A1B2C3D",
                                                                        "Quantity": 2**31}]})
    assert overflow == Violation("LineItems[0].Quantity", "range", "LineItems[0].Quantity must be <= 2147483647: "
                                 "it travels as a 32-bit integer (got 2147483648)")
    assert rules("ListOrders", {"MaxResults": -(2**31) - 1}) == {("MaxResults", "range")}


def test_floats_must_fit_their_wire_type_and_be_finite() -> None:
    assert validate_input("CreateQuote", quote_quantity(3.4e38)) == []
    (overflow,) = validate_input("CreateQuote", quote_quantity(1e308))
    assert (overflow.path, overflow.rule) == ("RequestedCapacities[0].Quantity", "range")
    assert "32-bit float (got 1e+308)" in overflow.message
    assert rules("CreateQuote", quote_quantity(-1e39)) == {("RequestedCapacities[0].Quantity", "range")}
    assert rules("CreateQuote", quote_quantity(10**400)) == {("RequestedCapacities[0].Quantity", "range")}
    for special in (float("nan"), float("inf"), float("-inf")):
        (found,) = validate_input("CreateQuote", quote_quantity(special))
        assert found.rule == "finite" and found.message.startswith("RequestedCapacities[0].Quantity must be a finite")


def patterned_shapes() -> dict[str, Any]:
    """Every string shape with a pattern reachable from an operation's input."""
    model, found, todo = service_model(), {}, []
    for operation in model.operation_names:
        shape = model.operation_model(operation).input_shape
        todo += [shape] if shape is not None else []
    seen: set[str] = set()
    while todo:
        shape = todo.pop()
        if shape.name in seen:
            continue
        seen.add(shape.name)
        todo += list(getattr(shape, "members", {}).values())
        todo += [s for s in (getattr(shape, "member", None), getattr(shape, "key", None),
                             getattr(shape, "value", None)) if s is not None]
        if shape.metadata.get("pattern"):
            found[shape.name] = shape
    return found


def test_pattern_failures_describe_the_form_in_words_with_an_example() -> None:
    shapes = patterned_shapes()
    assert {"OutpostIdentifier", "OrderId", "SkuCode", "QuoteIdentifier", "QuoteOptionIdentifier"} <= set(shapes)
    for name, shape in shapes.items():
        pattern_failures = [v for bad in ("\t", "\n\x00") for v in validate_shape(shape, bad, "Field")
                            if v.rule == "pattern"]
        assert pattern_failures, name
        message = pattern_failures[0].message
        assert "such as" in message, message
        assert shape.metadata["pattern"] not in message and "<nil>" not in message, message
        assert message.startswith("Field must be "), message

    (outpost,) = validate_input("CreateOrder", {"OutpostIdentifier": "op-123", "PaymentOption": "NO_UPFRONT"})
    assert outpost.message == ("OutpostIdentifier must be an Outpost ID such as op-0123456789abcdef0, or its ARN "
                               "(got 'op-123')")


def test_the_model_validated_against_is_the_locked_botocores() -> None:
    """Preview accepts what this botocore's Outposts model accepts: the lock pins it, so a botocore release
    cannot change a preview without a change to this repository (`make lock`)."""
    import re
    import sys
    from pathlib import Path

    import botocore

    lock = "requirements.lock" if "oldest" not in sys.prefix else "requirements-oldest.lock"
    text = (Path(__file__).resolve().parents[2] / lock).read_text()
    locked = re.search(r"^botocore==(\S+)", text, re.MULTILINE)
    assert locked is not None and botocore.__version__ == locked.group(1) == "1.44.8"
    model = service_model()
    assert (model.service_name, model.api_version) == ("outposts", "2019-12-03")
    assert "QuoteIdentifier" in model.operation_model("CreateOrder").input_shape.members
    assert "FIVE_YEARS" in model.shape_for("PaymentTerm").enum
