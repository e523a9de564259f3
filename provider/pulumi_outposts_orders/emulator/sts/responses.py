"""The STS query API on the emulator's port: GetCallerIdentity and AssumeRole.

A request is STS's when its SigV4 credential scope names ``sts``, or, unsigned or malformed, when
it is sent to ``/`` (no Outposts operation lives there). Wire: the "query" protocol as botocore's
STS service model describes it (form-encoded ``Action=...&Version=2011-06-15``; members such as
``Tags.member.1.Key``), XML responses, and errors as ``<ErrorResponse><Error><Type>``, ``<Code>``,
``<Message>``. Pipeline, as for Outposts: action -> count -> SigV4 -> implemented? -> faults (by
name only: ``"*"`` covers Outposts operations) -> parse -> validate (the model; its patterns must
match whole values) -> run -> serialise.

Front-door errors take STS's names: MissingAuthenticationToken, IncompleteSignature,
SignatureDoesNotMatch, InvalidClientTokenId (unknown temporary key, wrong session token),
ExpiredToken (403), Throttling (400), InternalFailure (500); validation errors are
ValidationError (400); an unknown Action is InvalidAction (400). The operations themselves: ``models``.
"""

from __future__ import annotations

import copy
import datetime
import logging
import uuid
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

import botocore.session
from botocore.model import ListShape, OperationModel, ServiceModel, Shape, StructureShape
from werkzeug.wrappers import Request, Response

from pulumi_outposts_orders.aws.model import validate_shape
from pulumi_outposts_orders.emulator.auth import Authenticator, Caller, ReceivedRequest, scope_service
from pulumi_outposts_orders.emulator.calls import CallCounter
from pulumi_outposts_orders.emulator.domain import Params, Service
from pulumi_outposts_orders.emulator.errors import ApiError
from pulumi_outposts_orders.emulator.faults import Decision, Faults, apply
from pulumi_outposts_orders.emulator.sts import models

log = logging.getLogger(__name__)

SIGNING_NAME = "sts"
VERSION = "2011-06-15"
XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/"

STATUS = {
    "AccessDenied": 403, "ExpiredToken": 403, "InvalidClientTokenId": 403, "MissingAuthenticationToken": 403,
    "SignatureDoesNotMatch": 403, "IncompleteSignature": 400, "InvalidAction": 400, "MalformedPolicyDocument": 400,
    "Throttling": 400, "ValidationError": 400, "InternalFailure": 500, "NotImplementedException": 501,
}
"""HTTP status of each error code the STS front answers with."""
_STS_CODES = {
    "MissingAuthenticationTokenException": "MissingAuthenticationToken",
    "IncompleteSignatureException": "IncompleteSignature",
    "InvalidSignatureException": "SignatureDoesNotMatch",
    "UnrecognizedClientException": "InvalidClientTokenId",
    "ExpiredTokenException": "ExpiredToken",
    "ValidationException": "ValidationError",
    "ThrottlingException": "Throttling",
    "InternalServerException": "InternalFailure",
}
"""The shared authenticator's and faults' (Outposts-style) error codes, as STS names them."""

_PATTERN_FIXES = {
    r"\p{L}": r"A-Za-z\u00AA\u00B5\u00BA\u00C0-\u00D6\u00D8-\u00F6\u00F8-\U0010FFFF",
    r"\p{Z}": r" \u00A0",
    r"\p{N}": r"0-9\u00B2\u00B3\u00B9\u00BC-\u00BE",
    r"\u10000-\u10FFFF": r"\U00010000-\U0010FFFF",
}
"""Java regex escapes of the model, in Python (beyond Latin-1 every character counts as a letter)."""
_MODEL_PATTERNS: dict[str, str] = {}
"""Each rewritten pattern -> the model's own, to name the latter in messages."""

Handler = Callable[[Caller, Params], Params]
OPERATIONS = ("GetCallerIdentity", "AssumeRole")
"""The STS operations served (others of the model: 501 NotImplementedException)."""


def addressed(request: Request) -> bool:
    """Whether ``request`` is for STS (its credential scope, or, unsigned, the path ``/``)."""
    service = scope_service({k.lower(): v for k, v in request.headers.items()})
    return service == SIGNING_NAME or (service is None and request.path == "/")


@cache
def model() -> ServiceModel:
    """botocore's STS model, its patterns anchored and translated to Python's regular expressions."""
    data = copy.deepcopy(botocore.session.get_session().get_service_data("sts"))
    for shape in data["shapes"].values():
        if "pattern" in shape:
            pattern = shape_pattern = shape["pattern"]
            for java, python in _PATTERN_FIXES.items():
                pattern = pattern.replace(java, python)
            shape["pattern"] = f"^(?:{pattern})$"
            _MODEL_PATTERNS[shape["pattern"]] = shape_pattern
    return ServiceModel(data, "sts")


class StsFront:
    """Serves STS requests with the emulator's service, authenticator, faults and call counter."""

    def __init__(self, service: Service, authenticator: Authenticator, faults: Faults, calls: CallCounter) -> None:
        self._service = service
        self._auth = authenticator
        self._faults = faults
        self._calls = calls
        self._handlers: dict[str, Handler] = {
            "GetCallerIdentity": lambda caller, _: models.get_caller_identity(caller.identity),
            "AssumeRole": self._assume_role,
        }

    def handle(self, request: Request) -> tuple[Response, Decision]:
        """The response to an STS request (errors included), and the faults applied to it."""
        request_id = str(uuid.uuid4())
        decision = Decision()
        try:
            response, decision = self._answer(request, request_id)
        except ApiError as error:
            response = error_response(error, request_id)
        except Exception:
            log.exception("internal error in STS %s %s", request.method, request.path)
            response = error_response(ApiError("InternalFailure", "An internal error occurred in the emulator"),
                                      request_id)
        response.headers["x-amzn-RequestId"] = request_id
        return response, decision

    def _answer(self, request: Request, request_id: str) -> tuple[Response, Decision]:
        raw_uri: str = request.environ.get("RAW_URI") or request.full_path
        body = request.get_data()
        form = {k: v[-1] for k, v in parse_qs(body.decode(errors="replace"), keep_blank_values=True).items()}
        form.update({k: request.args.getlist(k)[-1] for k in request.args})
        action, version = form.get("Action", ""), form.get("Version", "")
        if action not in model().operation_names or version != VERSION or request.path != "/":
            raise ApiError("InvalidAction", f"Could not find operation {action or '(no Action)'} for version "
                           f"{version or '(no Version)'}")
        self._calls.count(action)
        headers = {k.lower(): v for k, v in request.headers.items()}
        caller = self._auth.check(ReceivedRequest(request.method, request.host, raw_uri, headers, body), SIGNING_NAME)
        if action not in self._handlers:
            raise ApiError("NotImplementedException", f"Operation {action} is not implemented by the emulator")
        decision = self._faults.decide(action)
        apply(decision)
        operation = model().operation_model(action)
        params = parse_query(operation.input_shape, form, "") if operation.input_shape else {}
        violations = validate_shape(operation.input_shape, params, "") if operation.input_shape else []
        if violations:
            count = f"{len(violations)} validation error{'s' if len(violations) > 1 else ''} detected"
            message = f"{count}: " + "; ".join(f"{v.message} [{v.rule}]" for v in violations)
            for rewritten, pattern in _MODEL_PATTERNS.items():
                message = message.replace(rewritten, pattern)
            raise ApiError("ValidationError", message)
        result = self._handlers[action](caller, params)
        return Response(result_xml(operation, result, request_id), status=200, content_type="text/xml"), decision

    def _assume_role(self, caller: Caller, params: Params) -> Params:
        return self._service.run(lambda ctx, p: models.assume_role(ctx, caller.identity, p), params,
                                 caller.region, caller.account)


def parse_query(shape: Shape, form: Mapping[str, str], prefix: str) -> Any:
    """The value of ``shape`` at ``prefix`` of a query-protocol form (None when absent)."""
    if isinstance(shape, StructureShape):
        members = {}
        for name, member in shape.members.items():
            wire = member.serialization.get("name", name)
            value = parse_query(member, form, f"{prefix}.{wire}" if prefix else wire)
            if value is not None:
                members[name] = value
        return members if members or not prefix else None
    if isinstance(shape, ListShape):
        if form.get(prefix) == "":
            return []
        entry = shape.member.serialization.get("name", "member")
        items: list[Any] = []
        while (item := parse_query(shape.member, form, f"{prefix}.{entry}.{len(items) + 1}")) is not None:
            items.append(item)
        return items or None
    text = form.get(prefix)
    if text is None:
        return None
    if shape.type_name in ("integer", "long"):
        return int(text) if text.lstrip("-").isdigit() else text
    if shape.type_name == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def result_xml(operation: OperationModel, result: Params, request_id: str) -> bytes:
    """The XML body of a successful response: ``<{Op}Response><{Op}Result>...`` and the request ID."""
    shape = operation.output_shape
    wrapper = shape.serialization.get("resultWrapper", f"{operation.name}Result") if shape else None
    inner = _xml(shape, result, wrapper) if shape and wrapper else ""
    return (f'<{operation.name}Response xmlns="{XMLNS}">{inner}<ResponseMetadata><RequestId>{request_id}'
            f"</RequestId></ResponseMetadata></{operation.name}Response>").encode()


def error_response(error: ApiError, request_id: str) -> Response:
    """An STS error: status, and the ErrorResponse XML with Type, Code and Message."""
    code = _STS_CODES.get(error.code, error.code)
    status = STATUS.get(code, 400)
    kind = "Receiver" if status >= 500 else "Sender"
    body = (f'<ErrorResponse xmlns="{XMLNS}"><Error><Type>{kind}</Type><Code>{escape(code)}</Code>'
            f"<Message>{escape(error.message)}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>")
    return Response(body.encode(), status=status, content_type="text/xml")


def _xml(shape: Shape, value: Any, name: str) -> str:
    if isinstance(shape, StructureShape):
        inner = "".join(_xml(member, value[key], member.serialization.get("name", key))
                        for key, member in shape.members.items() if value.get(key) is not None)
    elif isinstance(shape, ListShape):
        entry = shape.member.serialization.get("name", "member")
        inner = "".join(_xml(shape.member, item, entry) for item in value)
    elif shape.type_name == "timestamp":
        inner = datetime.datetime.fromtimestamp(float(value), datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    elif shape.type_name == "boolean":
        inner = "true" if value else "false"
    else:
        inner = escape(str(value))
    return f"<{name}>{inner}</{name}>"
