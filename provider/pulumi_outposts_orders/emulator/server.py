"""Building and running the emulator: store, clock, service, app, and Werkzeug's threaded server.

Werkzeug's server runs one thread per connection and hands the application its socket
(``werkzeug.socket``), which is what lets a fault close a connection without any response.
"""

from __future__ import annotations

import signal
import sys
import threading
from dataclasses import dataclass
from types import FrameType

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from . import seed
from .app import EmulatorApp
from .auth import Authenticator
from .clock import Clock
from .command import banner
from .domain import DEFAULT_MAX_OPEN_ORDERS, Service, Settings
from .operations import OPERATIONS
from .store import Store

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


class _QuietHandler(WSGIRequestHandler):
    """No access log: tests and benchmarks make thousands of calls."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def build(options: Options) -> tuple[EmulatorApp, Store]:
    """The application over its (seeded, unless told otherwise) store."""
    store = Store(options.db)
    service = Service(store, Clock(options.speed), Settings(seed.ACCOUNT_ID, options.max_open_orders), OPERATIONS)
    if options.seed:
        seed.seed(service)
    return EmulatorApp(service, Authenticator(options.credentials)), store


def serve(options: Options) -> int:
    """Serve until SIGINT or SIGTERM; prints the listening line first."""
    app, store = build(options)
    server: BaseWSGIServer = make_server(options.host, options.port, app, threaded=True,
                                         request_handler=_QuietHandler)

    def stop(signum: int, frame: FrameType | None) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    endpoint = f"http://{options.host}:{server.server_port}"
    print(f"Outposts emulator listening on {endpoint}", flush=True)
    print(banner(endpoint, options.seed, options.credentials), flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
        store.close()
    print("Outposts emulator stopped", file=sys.stderr, flush=True)
    return 0
