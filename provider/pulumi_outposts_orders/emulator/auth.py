"""SigV4 on the way in: every request must be signed; strict mode also verifies the signature.

The caller's region (used in ARNs) comes from the signature's credential scope, the account from
the access key (``identity``). In strict mode the signature is recomputed with botocore's own
signer over the request as received, and any long-term access key other than the configured one
is refused. Temporary credentials (from AssumeRole) need their session token and a valid
signature in every mode.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from pulumi_outposts_orders.aws.model import service_model
from pulumi_outposts_orders.emulator.errors import ApiError
from pulumi_outposts_orders.emulator.identity import Identities, Identity, long_term

_AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/\s,]+)/(?P<date>\d{8})/(?P<region>[a-z0-9-]+)/(?P<service>[^/\s,]+)"
    r"/aws4_request,\s*SignedHeaders=(?P<headers>[a-z0-9;-]+),\s*Signature=(?P<signature>[0-9a-f]{64})"
)


@dataclass(frozen=True)
class Caller:
    """Who signed the request, and for which region."""

    access_key: str
    region: str
    identity: Identity

    @property
    def account(self) -> str:
        """The account the caller acts for."""
        return self.identity.account


@dataclass(frozen=True)
class ReceivedRequest:
    """A request as it arrived: method, host, raw path and query, headers (lower-case names), body."""

    method: str
    host: str
    raw_uri: str
    headers: Mapping[str, str]
    body: bytes


class Authenticator:
    """Checks SigV4 signatures; ``credentials`` (access key ID, secret) turns on strict mode.

    Without ``identities`` no temporary credentials are known.
    """

    def __init__(self, credentials: tuple[str, str] | None = None, identities: Identities | None = None) -> None:
        self._credentials = credentials
        self._identities = identities

    def check(self, request: ReceivedRequest, signing_name: str | None = None) -> Caller:
        """The caller, or an AWS-style 403 ApiError; the scope must name ``signing_name`` (default: Outposts)."""
        header = request.headers.get("authorization")
        if not header:
            raise ApiError("MissingAuthenticationTokenException", "Missing Authentication Token")
        found = _AUTHORIZATION.fullmatch(header.strip())
        date = request.headers.get("x-amz-date", "")
        if not found or not date.startswith(found["date"]):
            raise ApiError("IncompleteSignatureException",
                           "Authorization header requires a SigV4 Credential, SignedHeaders and Signature,"
                           " and a matching X-Amz-Date header")
        signing_name = signing_name or service_model().signing_name
        if found["service"] != signing_name:
            raise ApiError("InvalidSignatureException", f"Credential should be scoped to correct service: "
                           f"'{signing_name}'")
        token = request.headers.get("x-amz-security-token")
        temporary = self._identities.temporary(found["key"], token) if self._identities else None
        if temporary is not None:
            self._verify(request, found, date, temporary.secret or "")
            return Caller(found["key"], found["region"], temporary)
        if token is not None or (self._credentials and found["key"] != self._credentials[0]):
            raise ApiError("UnrecognizedClientException", "The security token included in the request is invalid.")
        if self._credentials:
            self._verify(request, found, date, self._credentials[1])
        return Caller(found["key"], found["region"], long_term(found["key"]))

    @staticmethod
    def _verify(request: ReceivedRequest, found: re.Match[str], date: str, secret: str) -> None:
        access_key = found["key"]
        names = found["headers"].split(";")
        signed = AWSRequest(method=request.method, url=f"http://{request.host}{request.raw_uri}",
                            headers={n: request.headers.get(n, "") for n in names}, data=request.body)
        signed.context["timestamp"] = date
        signer = SigV4Auth(Credentials(access_key, secret), found["service"], found["region"])
        expected = signer.signature(signer.string_to_sign(signed, signer.canonical_request(signed)), signed)
        if not hmac.compare_digest(expected, found["signature"]):
            raise ApiError("InvalidSignatureException", "The request signature we calculated does not match the"
                           " signature you provided. Check your AWS Secret Access Key and signing method.")


def scope_service(headers: Mapping[str, str]) -> str | None:
    """The service named by the SigV4 credential scope of ``headers`` (lower-case names), if any."""
    found = _AUTHORIZATION.fullmatch(headers.get("authorization", "").strip())
    return found["service"] if found else None
