"""Building and running the emulator: store, clock, the app (``app.assemble``), and Werkzeug's threaded server.

Werkzeug's server runs one thread per connection and hands the application its socket
(``werkzeug.socket``), which is what lets a fault close a connection without any response.

Connections are kept alive (HTTP/1.1), as real endpoints do: Werkzeug's own handler closes every
connection, because it cannot tell where a request body ends. ``_KeepAliveHandler`` reads each
body exactly to its Content-Length (or last chunk), answers with a Content-Length, and closes only
when the client asks (``Connection: close``, HTTP/1.0), after ``IDLE_TIMEOUT_S`` without a
request, or when a fault dropped the response (no byte of it is written).
"""

from __future__ import annotations

import signal
import socket
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import IO, Any, cast

from werkzeug.serving import BaseWSGIServer, DechunkedInput, WSGIRequestHandler, make_server
from werkzeug.wsgi import LimitedStream

from pulumi_outposts_orders.emulator.accounts import ACCOUNT_ID
from pulumi_outposts_orders.emulator.app import DROPPED, EmulatorApp, assemble, banner
from pulumi_outposts_orders.emulator.clock import Clock
from pulumi_outposts_orders.emulator.domain import (
    DEFAULT_MAX_OPEN_ORDERS,
    DEFAULT_MAX_UNITS_PER_ORDER,
    Settings,
)
from pulumi_outposts_orders.emulator.store import Store

DEFAULT_DB = ".local/emulator.db"


@dataclass(frozen=True)
class Options:
    """How to run the emulator."""

    host: str = "127.0.0.1"
    port: int = 0
    db: str = DEFAULT_DB
    seed: bool = True
    speed: float = 0.0
    credentials: tuple[str, str] | None = None
    max_open_orders: int = DEFAULT_MAX_OPEN_ORDERS
    max_units_per_order: int = DEFAULT_MAX_UNITS_PER_ORDER
    ab_speedup: float = 1.0
    """Multiplies the Amazon Business usage plan's rate."""


Headers = list[tuple[str, str]]
IDLE_TIMEOUT_S = 60.0
"""An idle kept-alive connection is closed after this long (AWS's front door: about a minute)."""


class _KeepAliveHandler(WSGIRequestHandler):
    """HTTP/1.1 with persistent connections, and no access log (tests make thousands of calls)."""

    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT_S

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass

    def setup(self) -> None:
        """Send each write at once (TCP_NODELAY): headers and body are two writes, and Nagle's algorithm
        would hold the body until the client's delayed ACK of the headers, 40 ms per call on a kept-alive
        connection."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def run_wsgi(self) -> None:
        """Serve one request of the connection; the connection stays open unless it must close."""
        if self.headers.get("Expect", "").lower().strip() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        environ = self.make_environ()
        body: LimitedStream | DechunkedInput
        if environ.get("wsgi.input_terminated"):
            body = environ["wsgi.input"]
        else:
            body = LimitedStream(cast(IO[bytes], self.rfile), int(self.headers.get("Content-Length") or 0))
            environ["wsgi.input"] = body
        answer: list[tuple[str, Headers]] = []

        def start_response(status: str, headers: Headers, exc_info: Any = None) -> Callable[[bytes], object]:
            answer[:] = [(status, headers)]
            return self.wfile.write  # never used: every response of the app is a body to return

        try:
            chunks = self.server.app(environ, start_response)
            try:
                payload = b"".join(chunks)
            finally:
                getattr(chunks, "close", lambda: None)()
        except Exception:
            self.log_error("internal error:\n%s", traceback.format_exc())
            payload, self.close_connection = b'{"message": "An internal error occurred in the emulator"}', True
            answer[:] = [("500 Internal Server Error", [("Content-Type", "application/json")])]
        if environ.get(DROPPED) or not answer:
            self.close_connection = True
            return
        while body.read(65_536):  # the rest of the body, so the next request starts where it should
            pass
        status, headers = answer[0]
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason)
        for name, value in headers:
            if name.lower() not in ("content-length", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


def build(options: Options) -> tuple[EmulatorApp, Store]:
    """The application over its (seeded, unless told otherwise: Amazon Business products too) store."""
    store = Store(options.db)
    settings = Settings(ACCOUNT_ID, options.max_open_orders, options.max_units_per_order)
    app = assemble(store, Clock(options.speed), settings, options.credentials, seed=options.seed,
                   ab_speedup=options.ab_speedup)
    return app, store


def serve(options: Options) -> int:
    """Serve until SIGINT or SIGTERM; prints the listening line first."""
    app, store = build(options)
    server: BaseWSGIServer = make_server(options.host, options.port, app, threaded=True,
                                         request_handler=_KeepAliveHandler)

    def stop(signum: int, frame: FrameType | None) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    endpoint = f"http://{options.host}:{server.server_port}"
    # One write: a reader that sees the listening line sees the whole banner too.
    print(f"Outposts emulator listening on {endpoint}\n"
          f"{banner(endpoint, options.seed, options.credentials, options.ab_speedup)}", flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
        store.close()
    print("Outposts emulator stopped", file=sys.stderr, flush=True)
    return 0
