"""AWS failures as messages a user can act on: which order, which call, what AWS said, what to do."""

from __future__ import annotations

from typing import Any

import botocore.exceptions

from pulumi_outposts_orders.aws.settings import AwsConfigError, Target


class OutpostsError(Exception):
    """An Outposts operation failed; the message is meant for the person running ``pulumi``."""


class OrderError(OutpostsError):
    """An order operation (or its placement, journal, adoption) failed."""


class QuoteError(OutpostsError):
    """A quote operation failed: invalid inputs, a quote that can no longer change, or an AWS call."""


class RenewalError(OutpostsError):
    """A renewal operation failed: invalid inputs, a price that is not the one approved, or an AWS call."""


# What to check next, per AWS error code.
_HINTS: dict[str, str] = {
    "AccessDeniedException": "check the credentials and the IAM permissions for this call",
    "NotFoundException": "check that the identifiers exist in this account and region",
    "ValidationException": "AWS rejected a parameter; fix the input it names",
    "ConflictException": "the order's current state does not allow this call",
    "ServiceQuotaExceededException": "a quota is used up; ask for an increase or cancel unused orders",
    "ThrottlingException": "AWS is throttling requests; wait and re-run",
    "InternalServerException": "AWS had an internal error; re-run, and contact AWS Support if it persists",
}


def error_code(exc: BaseException) -> str | None:
    """The AWS error code of a botocore ``ClientError`` (``None`` for other exceptions)."""
    if isinstance(exc, botocore.exceptions.ClientError):
        code: Any = exc.response.get("Error", {}).get("Code")
        return str(code) if code else None
    return None


def explain(
    exc: BaseException, call: str, subject: str, target: Target, kind: type[OutpostsError] = OrderError
) -> OutpostsError:
    """A ``kind`` error (:class:`OrderError` unless a quote's) for ``exc`` raised by ``call`` on ``subject``
    (e.g. ``order oo-…``)."""
    where = target.where()
    if isinstance(exc, botocore.exceptions.ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code") or "Unknown")
        said = str(error.get("Message") or "no message")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        hint = _HINTS.get(code, "see the AWS message above")
        text = (
            f"{call} for {subject} failed ({where}): AWS said {code} (HTTP {status}): {said}. Next: {hint}."
        )
    elif isinstance(
        exc, botocore.exceptions.NoCredentialsError | botocore.exceptions.PartialCredentialsError
    ):
        text = (
            f"{call} for {subject} failed ({where}): no usable AWS credentials. Next: set a profile "
            "(`profile` input, `aws:profile` config or AWS_PROFILE) or the standard AWS_* environment variables."
        )
    elif isinstance(
        exc, botocore.exceptions.EndpointConnectionError | botocore.exceptions.ConnectTimeoutError
    ):
        text = (
            f"{call} for {subject} failed ({where}): could not reach the Outposts endpoint ({exc}). "
            "Next: check the network, and aws:endpoints or AWS_ENDPOINT_URL_OUTPOSTS if set."
        )
    else:
        text = f"{call} for {subject} failed ({where}): {type(exc).__name__}: {exc}"
    return kind(text)


def refused_before_placing(exc: BaseException) -> bool:
    """Whether a failed CreateOrder certainly placed nothing (AWS answered 4xx, or nothing was sent:
    credentials, including an assumed role's, are resolved before the request leaves)."""
    if isinstance(exc, AwsConfigError):
        return True
    if isinstance(exc, botocore.exceptions.ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return isinstance(status, int) and 400 <= status < 500
    return isinstance(
        exc,
        botocore.exceptions.NoCredentialsError
        | botocore.exceptions.PartialCredentialsError
        | botocore.exceptions.ParamValidationError
        | botocore.exceptions.EndpointConnectionError,
    )
