"""examples/gitops/iam: the policies allow every S3 request the shared claim store makes, on its prefix only.

The store is driven through a whole placement life (attempt, order claim, lease renewal, decision lock,
look-ups, rename alias, release) against a real S3 server; each request it sent is then checked against each
policy as IAM would match it (action, object ARN or bucket ARN with the listing's prefix)."""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path
from typing import Any

import pytest
from e2e_project import EXAMPLES
from s3_server import s3_client, s3_server

from pulumi_outposts_orders.claims.journal import RecordedSpec
from pulumi_outposts_orders.claims.s3 import Location, S3Claims
from pulumi_outposts_orders.claims.shared import SharedJournal

POLICIES = sorted((EXAMPLES / "gitops" / "iam").glob("*.json"))
BUCKET, PREFIX = "acme-pulumi", "outposts-claims"
ACTIONS = {"PutObject": "s3:PutObject", "GetObject": "s3:GetObject", "DeleteObject": "s3:DeleteObject",
           "ListObjectsV2": "s3:ListBucket"}


def requests_of_a_placement() -> list[tuple[str, dict[str, Any]]]:
    """(operation, params) of every S3 request a placement's claims make, in order."""
    sent: list[tuple[str, dict[str, Any]]] = []
    with s3_server() as endpoint:
        client = s3_client(endpoint)
        client.create_bucket(Bucket=BUCKET)
        client.meta.events.register("provide-client-params.s3.*",
                                    lambda params, model, **_: sent.append((model.name, dict(params))))
        journal = SharedJournal(S3Claims(Location(BUCKET, PREFIX), client), scope="endpoint region account")
        spec = RecordedSpec({"outpost": "op-1", "items": [["OR-1", 1]]})
        attempt = journal.begin("org/site/prod/rack", spec, "us-east-1", known_before=())
        with journal.lock():
            assert "oo-1" not in journal.claims("org/site/prod/rack")
            assert journal.peers("org/site/prod/rack", spec.digest(), 0.0) == []
        journal.mark(attempt, "placed", "oo-1")
        journal.alias("org/site/prod/renamed", "org/site/prod/rack")
        journal.released("org/site/prod/rack", "oo-1")
        journal.all()
    return sent


def allowed(policy: dict[str, Any], action: str, resource: str, prefix: str | None) -> bool:
    for statement in policy["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        if statement["Effect"] != "Allow" or action not in actions:
            continue
        if not any(fnmatch.fnmatchcase(resource, pattern) for pattern in resources):
            continue
        prefixes = statement.get("Condition", {}).get("StringLike", {}).get("s3:prefix")
        if prefixes is None or (prefix is not None and any(fnmatch.fnmatchcase(prefix, p) for p in prefixes)):
            return True
    return False


@pytest.fixture(scope="module")
def sent() -> list[tuple[str, dict[str, Any]]]:
    return requests_of_a_placement()


@pytest.mark.parametrize("path", POLICIES, ids=[p.name for p in POLICIES])
def test_each_policy_allows_every_request_of_the_claim_store(path: Path, sent: list[tuple[str, dict[str, Any]]]
                                                             ) -> None:
    policy = json.loads(path.read_text())
    assert {operation for operation, _ in sent} == set(ACTIONS)  # the life above makes every kind of request
    for operation, params in sent:
        if operation == "ListObjectsV2":
            resource, prefix = f"arn:aws:s3:::{params['Bucket']}", str(params.get("Prefix", ""))
        else:
            resource, prefix = f"arn:aws:s3:::{params['Bucket']}/{params['Key']}", None
        assert allowed(policy, ACTIONS[operation], resource, prefix), (path.name, operation, resource, prefix)


@pytest.mark.parametrize("path", POLICIES, ids=[p.name for p in POLICIES])
def test_no_policy_opens_the_bucket_beyond_the_state_and_the_claims(path: Path) -> None:
    policy = json.loads(path.read_text())
    assert not allowed(policy, "s3:GetObject", f"arn:aws:s3:::{BUCKET}/other-team/secrets.json", None)
    assert not allowed(policy, "s3:ListBucket", f"arn:aws:s3:::{BUCKET}", "other-team/")
    assert not allowed(policy, "s3:PutObject", "arn:aws:s3:::another-bucket/outposts-claims/x.json", None)
