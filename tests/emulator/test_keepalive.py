"""HTTP/1.1 keep-alive: connections stay open between requests, as real endpoints keep them."""

from __future__ import annotations

import http.client
import json
import socket
from typing import Any
from urllib.parse import urlsplit

from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator

from .test_wire import SIGNED

ORDER_BODY = json.dumps({"OutpostIdentifier": seed.RACK_OUTPOST_ID, "PaymentOption": "ALL_UPFRONT",
                         "LineItems": [{"CatalogItemId": seed.RACK_CATALOG_ITEM_ID, "Quantity": 1}]}).encode()


def connect(emulator: RunningEmulator) -> http.client.HTTPConnection:
    address = urlsplit(emulator.endpoint)
    return http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=10)


def call(connection: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, Any]:
    connection.request(method, path, body=body, headers={**SIGNED, **(headers or {})})
    response = connection.getresponse()
    return response.status, response.headers, json.loads(response.read())


def test_one_connection_serves_many_requests_with_and_without_bodies(live: RunningEmulator) -> None:
    connection = connect(live)
    status, headers, _ = call(connection, "GET", "/outposts")
    first = connection.sock
    assert status == 200 and headers["Connection"] is None
    assert call(connection, "POST", "/quotes", b'{"CountryCode": 5}')[0] == 400  # a body the API read
    assert call(connection, "POST", "/no/such/path", b'{"unread": true}')[0] == 404  # a body nobody read
    status, _, body = call(connection, "GET", f"/outposts/{seed.RACK_OUTPOST_ID}")
    assert status == 200 and body["Outpost"]["OutpostId"] == seed.RACK_OUTPOST_ID
    assert call(connection, "GET", "/_emulator/clock")[0] == 200  # the admin API too
    assert connection.sock is first  # never reconnected: http.client reopens a closed connection
    connection.close()


def test_a_client_that_asks_to_close_gets_its_connection_closed(live: RunningEmulator) -> None:
    connection = connect(live)
    status, headers, _ = call(connection, "GET", "/outposts", headers={"Connection": "close"})
    assert status == 200 and headers["Connection"] == "close"
    assert connection.sock is None


def test_a_dropped_response_closes_a_kept_alive_connection_without_a_byte(live: RunningEmulator) -> None:
    address = urlsplit(live.endpoint)
    with socket.create_connection((address.hostname, address.port), timeout=10) as raw:
        reader = raw.makefile("rb")
        raw.sendall(request("GET", "/outposts"))
        assert reader.readline().startswith(b"HTTP/1.1 200")
        length = 0
        while (line := reader.readline()) != b"\r\n":
            name, _, value = line.decode().partition(":")
            length = int(value) if name.lower() == "content-length" else length
        orders = json.loads(reader.read(length))
        assert "Outposts" in orders
        live.admin.set_faults({"CreateOrder": {"drop_response_after_commit": 1}})
        raw.sendall(request("POST", "/orders", ORDER_BODY))
        assert reader.read() == b""  # end of stream, no response byte
    assert live.admin.faults() == {"CreateOrder": {"drop_response_after_commit": 0}}


def request(method: str, path: str, body: bytes = b"") -> bytes:
    head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}",
            "Content-Type: application/json", *(f"{k}: {v}" for k, v in SIGNED.items())]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body
