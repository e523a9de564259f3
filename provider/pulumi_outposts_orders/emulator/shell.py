"""The ``export`` lines that point a shell's AWS clients (pulumi, boto3, the AWS CLI) at the emulator.

Standard library only: the ``outposts-orders emulator`` command reads ENDPOINT_VARIABLE when it
defines its arguments, without importing the emulator's server side.
"""

from __future__ import annotations

ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_OUTPOSTS"
DUMMY_ACCESS_KEY_ID = "emulator"
DUMMY_SECRET_ACCESS_KEY = "emulator"
"""Dummy credentials: any key is accepted unless ``--credentials`` turns on strict mode."""


def shell_exports(endpoint: str, credentials: tuple[str, str] | None = None) -> list[str]:
    """The ``export`` lines that point a shell's AWS clients at the emulator at ``endpoint``."""
    key, secret = credentials or (DUMMY_ACCESS_KEY_ID, DUMMY_SECRET_ACCESS_KEY)
    return [
        f"export {ENDPOINT_VARIABLE}={endpoint}",
        f"export AWS_ENDPOINT_URL_STS={endpoint}",
        "export AWS_DEFAULT_REGION=us-east-1",
        f"export AWS_ACCESS_KEY_ID={key} AWS_SECRET_ACCESS_KEY={secret}",
    ]
