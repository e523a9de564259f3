"""`outposts-orders review --policy-events`: the engine's policy events at the top of the comment, and the exit
status (5 when a mandatory policy is broken and is the preview's only error)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pulumi_outposts_orders.aws.settings import StackAwsConfig
from pulumi_outposts_orders.review import EXIT_BAD_INPUT, EXIT_POLICY, ReviewError, render, verdict
from pulumi_outposts_orders.review.assessment import Review
from pulumi_outposts_orders.review.policy import read_events, stopped_by_policies, without_policy_failure
from pulumi_outposts_orders.review.preview import Context, PreviewFailure

URN = "urn:pulumi:site-a::infra::pulumi-python:dynamic/outposts:OutpostOrder::rack"
STACK_URN = "urn:pulumi:site-a::infra::pulumi:pulumi:Stack::infra-site-a"


def event(policy: str, level: str, urn: str, message: str) -> str:
    return json.dumps({"sequence": 1, "timestamp": 0, "policyEvent": {
        "resourceUrn": urn, "message": f"The policy's description.\n{message}\n", "color": "never",
        "policyName": policy, "policyPackName": "outposts-orders", "policyPackVersion": "0.2.0",
        "policyPackVersionTag": "0.2.0", "enforcementLevel": level}})


def test_violations_open_the_comment_mandatory_first(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    log.write_text("\n".join([
        json.dumps({"sequence": 0, "timestamp": 0, "preludeEvent": {"config": {}}}),
        event("allowed-payment", "warning", URN, "OutpostOrder 'rack' has payment_term 'FIVE_YEARS'"),
        event("stack-price-cap", "mandatory", STACK_URN, "stack 'site-a' commits 2.00 USD"),
        event("stack-price-cap", "mandatory", STACK_URN, "stack 'site-a' commits 2.00 USD"),  # once
    ]) + "\n")
    violations = read_events(str(log))
    assert [(v.policy, v.level, v.resource) for v in violations] == [
        ("stack-price-cap", "mandatory", None), ("allowed-payment", "advisory", "rack")]
    result = Review(Context("site-a", "infra", StackAwsConfig()), [], failures=[PreviewFailure(None, "preview failed")],
                    policy=violations)
    comment = render(result)
    lines = comment.splitlines()
    head = lines.index("🛑 **Policy violations: 1 mandatory** (`pulumi preview` and `pulumi up` stop on them: "
                       "nothing is ordered until they are fixed)")
    assert lines[head + 2] == ("- **mandatory** `stack-price-cap` on the stack (outposts-orders): stack 'site-a' "
                               "commits 2.00 USD")
    assert lines[head + 3] == ("- advisory `allowed-payment` on `rack` (outposts-orders): OutpostOrder 'rack' has "
                               "payment_term 'FIVE_YEARS'")
    assert head < next(i for i, line in enumerate(lines) if "The preview failed" in line)
    assert verdict(result).status == EXIT_POLICY
    # Another error besides the policies': the preview itself failed.
    broken = Review(result.context, [], failures=[PreviewFailure("rack", "quantity must be at least 1")],
                    policy=violations)
    assert verdict(broken).status == EXIT_BAD_INPUT


def test_advisory_only_is_a_warning_and_approvable(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    log.write_text(event("allowed-payment", "warning", URN, "not allowed") + "\n")
    result = Review(Context("site-a", "infra", StackAwsConfig()), [], policy=read_events(str(log)))
    assert render(result).splitlines()[4] == "⚠️ **Policy warnings** (advisory: they do not stop the change)"
    assert verdict(result).status == 0


def test_a_file_that_is_not_an_event_log_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "preview.json"
    bad.write_text('{"steps": [\n')
    with pytest.raises(ReviewError, match=r"preview.json:1 is not an engine event"):
        read_events(str(bad))
    with pytest.raises(ReviewError, match="cannot read the event log"):
        read_events(str(tmp_path / "missing.jsonl"))


def test_a_preview_stopped_by_policies_alone_is_reviewed_in_full(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    log.write_text(event("expected-price-required", "mandatory", URN, "states no expected_price") + "\n")
    violations = read_events(str(log))
    stopped = {"steps": [], "diagnostics": [{"severity": "error", "message": "error: preview failed\n"},
                                            {"severity": "info", "message": "hello"}]}
    assert stopped_by_policies(stopped, violations)
    assert without_policy_failure(stopped)["diagnostics"] == [{"severity": "info", "message": "hello"}]
    # Another error too, or only advisory violations: the preview failed on its own.
    program_error = {"steps": [], "diagnostics": [*stopped["diagnostics"],
                                                  {"severity": "error", "message": "NameError: x"}]}
    assert not stopped_by_policies(program_error, violations)
    log.write_text(event("allowed-payment", "warning", URN, "not allowed") + "\n")
    assert not stopped_by_policies(stopped, read_events(str(log)))
