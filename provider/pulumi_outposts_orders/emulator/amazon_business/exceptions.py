"""The Amazon Business Ordering API's errors (the ``{"errors": [...]}`` answers of ``responses``)."""

from __future__ import annotations


class AbError(Exception):
    """An Ordering API error: status, code, message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
