"""The service's error types, with their HTTP status codes.

Modelled errors (ValidationException, NotFoundException, ...) take their status code from the
service model; the few that AWS's front door produces (throttling, authentication, unknown or
unimplemented operations) are listed here.
"""

from __future__ import annotations

from pulumi_outposts_orders.aws.model import service_model

FRONT_DOOR_STATUS = {
    "ThrottlingException": 429,
    "MissingAuthenticationTokenException": 403,
    "IncompleteSignatureException": 403,
    "InvalidSignatureException": 403,
    "UnrecognizedClientException": 403,
    "ExpiredTokenException": 403,
    "UnknownOperationException": 404,
    "NotImplementedException": 501,
}


class ApiError(Exception):
    """An error the emulator answers with: ``code`` (the x-amzn-ErrorType), message, extra fields."""

    def __init__(self, code: str, message: str, **fields: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields

    @property
    def status(self) -> int:
        """The HTTP status code of this error type."""
        if self.code in FRONT_DOOR_STATUS:
            return FRONT_DOOR_STATUS[self.code]
        status: int = service_model().shape_for(self.code).metadata["error"]["httpStatusCode"]
        return status


def validation(message: str) -> ApiError:
    """A ValidationException (400)."""
    return ApiError("ValidationException", message)


def not_found(message: str) -> ApiError:
    """A NotFoundException (404)."""
    return ApiError("NotFoundException", message)


def conflict(message: str, resource_id: str, resource_type: str | None = None) -> ApiError:
    """A ConflictException (409) naming the resource in its ResourceId/ResourceType members."""
    fields = {"ResourceId": resource_id}
    if resource_type:
        fields["ResourceType"] = resource_type
    return ApiError("ConflictException", message, **fields)
