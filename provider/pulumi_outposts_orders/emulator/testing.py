"""Helpers for tests and benchmarks: the emulator in a subprocess, its admin API, client settings.

Only the standard library is used here, so benchmarks can use it without test dependencies.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from pulumi_outposts_orders.emulator.accounts import (
    ACCOUNT_ID,
    DENIED_ROLE_NAME,
    EXTERNAL_ID,
    EXTERNAL_ID_ROLE_NAME,
    ROLE_NAME,
    SECOND_ACCESS_KEY_ID,
    SECOND_ACCOUNT_ID,
    SECOND_SECRET_ACCESS_KEY,
    TEST_ACCESS_KEY_ID,
    TEST_SECRET_ACCESS_KEY,
    role_arn,
)

__all__ = [
    "ACCOUNT_ID", "CLEARED_VARIABLES", "DENIED_ROLE_NAME", "EXTERNAL_ID", "EXTERNAL_ID_ROLE_NAME", "ROLE_NAME",
    "SECOND_ACCESS_KEY_ID", "SECOND_ACCOUNT_CREDENTIALS", "SECOND_ACCOUNT_ID", "SECOND_SECRET_ACCESS_KEY",
    "TEST_ACCESS_KEY_ID", "TEST_REGION", "TEST_SECRET_ACCESS_KEY", "AdminClient", "RunningEmulator", "boto3_env",
    "role_arn",
]

TEST_REGION = "us-east-1"
SECOND_ACCOUNT_CREDENTIALS = (SECOND_ACCESS_KEY_ID, SECOND_SECRET_ACCESS_KEY)
"""``credentials`` of ``boto3_env`` for the second account's long-term key."""
CLEARED_VARIABLES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
                     "AWS_ENDPOINT_URL", "AWS_REGION")
"""Variables ``boto3_env`` removes, so nothing of the developer's AWS set-up leaks in."""

_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
"""An opener that never goes through a proxy: the emulator is local."""
_LISTENING = re.compile(r"Outposts emulator listening on (http://\S+:(\d+))")
_BANNER_END = "set-status ORDER_ID DELIVERED\n"  # the banner's last line: started means fully announced


def boto3_env(endpoint: str, base: Mapping[str, str] | None = None,
              credentials: tuple[str, str] = (TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY)) -> dict[str, str]:
    """A complete environment for AWS clients to use the emulator at ``endpoint``.

    It is ``base`` (default: ``os.environ``) without CLEARED_VARIABLES, with
    AWS_ENDPOINT_URL_OUTPOSTS and AWS_ENDPOINT_URL_STS, ``credentials`` (access key ID, secret;
    default: the seed account's test key), AWS_DEFAULT_REGION=us-east-1, no shared AWS config or
    credentials files, and the local host exempt from any HTTP proxy.
    """
    env = {k: v for k, v in (os.environ if base is None else base).items() if k not in CLEARED_VARIABLES}
    env.update(
        AWS_ENDPOINT_URL_OUTPOSTS=endpoint,
        AWS_ENDPOINT_URL_STS=endpoint,
        AWS_ACCESS_KEY_ID=credentials[0],
        AWS_SECRET_ACCESS_KEY=credentials[1],
        AWS_DEFAULT_REGION=TEST_REGION,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    for proxy_exemptions in ("NO_PROXY", "no_proxy"):
        env[proxy_exemptions] = ",".join(filter(None, [env.get(proxy_exemptions), "127.0.0.1", "localhost"]))
    return env


class AdminClient:
    """The emulator's admin API (``/_emulator/``) over urllib."""

    def __init__(self, endpoint: str, timeout: float = 10.0) -> None:
        self.endpoint = endpoint.rstrip("/")
        self._timeout = timeout

    def now(self) -> float:
        """Simulated now (epoch seconds)."""
        return float(self._call("GET", "clock")["now"])

    def advance_days(self, n: float) -> float:
        """Move simulated time forward by ``n`` days; returns the new simulated now."""
        return float(self._call("POST", "clock", {"advance_days": n})["now"])

    def calls(self) -> dict[str, int]:
        """API calls per operation name since the last reset."""
        counts: dict[str, int] = self._call("GET", "calls")
        return counts

    def reset_calls(self) -> None:
        """Reset the call counts."""
        self._call("DELETE", "calls")

    def set_faults(self, settings: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Replace the fault settings, e.g. ``{"CreateOrder": {"throttle_rate": 0.5}, "*": {...}}``."""
        applied: dict[str, dict[str, Any]] = self._call("PUT", "faults", settings)
        return applied

    def faults(self) -> dict[str, dict[str, Any]]:
        """The fault settings in force."""
        current: dict[str, dict[str, Any]] = self._call("GET", "faults")
        return current

    def clear_faults(self) -> None:
        """Remove every fault."""
        self._call("DELETE", "faults")

    def force_order_status(self, order_id: str, status: str) -> dict[str, str]:
        """Force an order (and its line items) into ``status``."""
        result: dict[str, str] = self._call("POST", f"orders/{order_id}/status", {"status": status})
        return result

    def set_outpost_contract(self, outpost_id: str, end_date: str | float | None = None,
                             payment_term: str | None = None, payment_option: str | None = None) -> dict[str, Any]:
        """Set the Outpost's contract (its ORIGINAL subscription): ``end_date`` as ``YYYY-MM-DD`` (midnight UTC),
        an ISO 8601 time or epoch seconds; the arguments left ``None`` stay. Returns the contract."""
        body = {k: v for k, v in {"end_date": end_date, "payment_term": payment_term,
                                  "payment_option": payment_option}.items() if v is not None}
        contract: dict[str, Any] = self._call("POST", f"outposts/{outpost_id}/contract", body)
        return contract

    def set_renewal_pricing(self, outpost_id: str, available: bool) -> dict[str, Any]:
        """Make GetRenewalPricing of the Outpost PRICED (``available``) or UNABLE_TO_PRICE; returns the contract."""
        pricing = "PRICED" if available else "UNABLE_TO_PRICE"
        contract: dict[str, Any] = self._call("POST", f"outposts/{outpost_id}/contract", {"renewal_pricing": pricing})
        return contract

    def billing(self, outpost_id: str) -> list[dict[str, Any]]:
        """The Outpost's stored subscriptions, of every account (``AccountId``; ``None`` for the ORIGINAL), each
        with its status and dates (epoch seconds) now."""
        subscriptions: list[dict[str, Any]] = self._call("GET", f"outposts/{outpost_id}/billing")["Subscriptions"]
        return subscriptions

    def expire_lwa_tokens(self) -> None:
        """Expire every Login with Amazon access token issued so far (as an hour passing would)."""
        self._call("POST", "amazon-business/tokens/expire")

    def usage_plan(self) -> dict[str, float]:
        """The Amazon Business usage plan in force: ``rate`` (requests/s), ``burst``, ``speedup``."""
        plan: dict[str, float] = self._call("GET", "amazon-business/usage-plan")
        return plan

    def amazon_business_products(self) -> list[dict[str, Any]]:
        """The Amazon Business products (ASIN, buying option, price, availability)."""
        products: list[dict[str, Any]] = self._call("GET", "amazon-business/products")
        return products

    def set_amazon_business_product(self, asin: str, **fields: float) -> dict[str, Any]:
        """Change a product's ``price`` or ``available`` quantity."""
        product: dict[str, Any] = self._call("POST", f"amazon-business/products/{asin}", fields)
        return product

    def set_usage_plan(self, speedup: float) -> dict[str, float]:
        """Multiply the Amazon Business usage plan's rate by ``speedup``."""
        plan: dict[str, float] = self._call("PUT", "amazon-business/usage-plan", {"speedup": speedup})
        return plan

    def amazon_business_orders(self) -> list[dict[str, Any]]:
        """The Amazon Business orders placed, each with ``wallPlacedAt`` (epoch seconds, wall clock)."""
        orders: list[dict[str, Any]] = self._call("GET", "amazon-business/orders")
        return orders

    def set_amazon_business_package_status(self, tracking_id: str, status: str | None) -> dict[str, Any]:
        """Set the Package Tracking status of the package with carrier tracking ID ``tracking_id`` (e.g.
        ``DELAYED``; ``None``: the emulator clock's again); returns the package."""
        package: dict[str, Any] = self._call("PUT", f"amazon-business/packages/{tracking_id}", {"status": status})
        return package

    def require_amazon_business_approval(self, threshold: float | None) -> None:
        """Orders whose accepted subtotal reaches ``threshold`` wait for approval (``None``: none does)."""
        self._call("PUT", "amazon-business/approval-policy", {"threshold": threshold})

    def decide_amazon_business_approval(self, external_id: str, decision: str = "APPROVED",
                                        approver: str = "approver@example.com") -> dict[str, Any]:
        """The approver's decision (APPROVED or REJECTED) on the order ``external_id`` waiting for approval."""
        order: dict[str, Any] = self._call("POST", f"amazon-business/orders/{external_id}/approval",
                                           {"decision": decision, "approver": approver})
        return order

    def cancel_amazon_business_order(self, external_id: str, by: str = "AMAZON",
                                     order_id: str | None = None) -> dict[str, Any]:
        """Cancel the order ``external_id``'s Amazon order ``order_id`` (all of them without it), ``by`` AMAZON
        or BUYER, as long as none has shipped."""
        body: dict[str, Any] = {"by": by, **({"orderId": order_id} if order_id else {})}
        order: dict[str, Any] = self._call("POST", f"amazon-business/orders/{external_id}/cancel", body)
        return order

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.endpoint}/_emulator/{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with _DIRECT.open(request, timeout=self._timeout) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            detail = json.loads(error.read() or b"{}").get("message", "")
            raise RuntimeError(f"admin {method} {path} failed ({error.code}): {detail}") from error


class RunningEmulator:
    """The emulator as a subprocess on a free port (a context manager).

    ``db`` defaults to a file in a fresh temporary directory; ``args`` are extra command-line
    arguments (e.g. ``["--no-seed"]``). ``restart()`` stops it and starts it again on the same
    port and database.
    """

    def __init__(self, db: str | Path | None = None, args: Sequence[str] = (), env: Mapping[str, str] | None = None,
                 startup_timeout: float = 30.0) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="outposts-emulator-")
        self.db = str(db) if db is not None else str(Path(self._tmp.name) / "emulator.db")
        self.log_path = Path(self._tmp.name) / "emulator.log"
        self._args = list(args)
        self._env = dict(env) if env is not None else None
        self._timeout = startup_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.endpoint = ""
        self.admin = AdminClient("http://127.0.0.1:0")

    def start(self) -> RunningEmulator:
        """Start the subprocess and wait for its listening line."""
        if self._process is not None:
            raise RuntimeError("the emulator is already running")
        command = [sys.executable, "-m", "pulumi_outposts_orders.cli", "emulator", "--host", "127.0.0.1",
                   "--port", str(self.port), "--db", self.db, *self._args]
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=self._env)
        deadline = time.monotonic() + self._timeout
        while time.monotonic() < deadline:
            printed = self.log_text()[offset:]
            found = _LISTENING.search(printed)
            if found and _BANNER_END in printed:
                self.endpoint, self.port = found[1], int(found[2])
                self.admin = AdminClient(self.endpoint)
                return self
            if self._process.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"the emulator did not start:\n{self.log_text()[offset:]}")

    def stop(self) -> int | None:
        """Stop the subprocess (SIGTERM, then SIGKILL after 10 s); returns its exit code."""
        process, self._process = self._process, None
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                return process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        return process.wait()

    def restart(self) -> RunningEmulator:
        """Stop, then start again on the same port and database."""
        self.stop()
        return self.start()

    def log_text(self) -> str:
        """Everything the subprocess printed so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def __enter__(self) -> RunningEmulator:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()
        self._tmp.cleanup()
