"""A real S3 server for tests: moto's, in server mode (the S3 REST protocol over HTTP, conditional writes
answered 412 as AWS S3 answers them). Clients reach it through boto3 with an endpoint URL, as users point the
provider at any S3-compatible store.

It serves one request at a time. moto's own threaded server checks a condition and writes in two steps without
a lock, so two conditional writes racing on one key can both succeed (seen here: two winners in one of 150 rounds of
six processes); AWS S3 decides each key's conditional writes atomically, which a one-request-at-a-time server
reproduces."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

REGION = "us-east-1"
CREDENTIALS = {"aws_access_key_id": "S3-TEST-ACCESS-KEY", "aws_secret_access_key": "s3-test-secret"}


class _QuietHandler(MotoRequestHandler):
    """moto's request handler without a log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@contextmanager
def s3_server() -> Iterator[str]:
    """A fresh S3 server on a free port; yields its endpoint URL."""
    server = make_server("127.0.0.1", 0, DomainDispatcherApplication(create_backend_app), threaded=False,
                         request_handler=_QuietHandler)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        serving.join(timeout=10)


def with_bucket(endpoint: str, name: str) -> str:
    """``endpoint``, once bucket ``name`` exists on it (created if it does not)."""
    client = s3_client(endpoint)
    if name not in {b["Name"] for b in client.list_buckets().get("Buckets", [])}:
        client.create_bucket(Bucket=name)
    return endpoint


def s3_client(endpoint: str) -> Any:
    """A boto3 S3 client of ``endpoint`` (path-style addressing, as for any S3-compatible server)."""
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION,
                        config=boto3.session.Config(s3={"addressing_style": "path"}), **CREDENTIALS)
