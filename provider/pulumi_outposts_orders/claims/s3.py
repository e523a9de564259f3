"""Claims every runner shares, kept in S3 and written only with conditional requests.

One object per claim, under ``s3://BUCKET/PREFIX/``: ``create`` writes it only if no object has the name yet
(``If-None-Match: *``), ``replace`` only if it is still the version that was read (``If-Match`` on its ETag).
A lost race is answered by reading what won, never by overwriting it: AWS S3 (since 2024) and S3-compatible
servers answer ``412 PreconditionFailed`` to the loser. Records are small JSON documents; the store never holds
credentials. Which claims the provider writes, and when, is the journal's business (``claims.journal``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlparse

import botocore.exceptions

Record = dict[str, Any]


class ClaimStoreError(Exception):
    """The store cannot be used (unreachable, no bucket, no permission): nothing may be decided from it."""


class ClaimTaken(Exception):
    """A conditional write lost: ``current`` is what the store holds now (``None``: it was deleted meanwhile)."""

    def __init__(self, name: str, current: Record | None, etag: str | None) -> None:
        super().__init__(f"claim {name} is already written")
        self.name = name
        self.current = current
        self.etag = etag


@dataclass(frozen=True)
class Location:
    """``s3://bucket/prefix``: where the claims live."""

    bucket: str
    prefix: str = ""

    @classmethod
    def parse(cls, url: str) -> Location:
        """The location of ``s3://bucket[/prefix]``; ``ValueError`` naming the value otherwise."""
        parsed = urlparse(url)
        if parsed.scheme != "s3" or not parsed.netloc or parsed.query or parsed.fragment:
            raise ValueError(f"claim store {url!r} is not an S3 location: write s3://BUCKET or s3://BUCKET/PREFIX")
        return cls(parsed.netloc, parsed.path.strip("/"))

    def key(self, name: str) -> str:
        """The object key of claim ``name``."""
        return f"{self.prefix}/{name}" if self.prefix else name

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"


class S3Claims:
    """The claims under ``location``, through ``client`` (a boto3 S3 client: endpoint, region and credentials
    are the caller's, resolved like every other AWS call of the provider)."""

    def __init__(self, location: Location, client: Any) -> None:
        self.location = location
        self._s3 = client

    def create(self, name: str, record: Mapping[str, Any]) -> str:
        """Write claim ``name`` if there is none; its ETag. :class:`ClaimTaken` with the winner's record if there is."""
        try:
            answer = self._s3.put_object(Bucket=self.location.bucket, Key=self.location.key(name),
                                         Body=_body(record), ContentType="application/json", IfNoneMatch="*")
        except botocore.exceptions.ClientError as exc:
            if _lost(exc):
                raise self._taken(name) from exc
            raise self._unusable("write", name, exc) from exc
        except botocore.exceptions.BotoCoreError as exc:
            raise self._unusable("write", name, exc) from exc
        return str(answer["ETag"])

    def replace(self, name: str, record: Mapping[str, Any], etag: str) -> str:
        """Move claim ``name`` to ``record`` if it is still the version ``etag``; its new ETag.
        :class:`ClaimTaken` with what it is now if another writer moved it first."""
        try:
            answer = self._s3.put_object(Bucket=self.location.bucket, Key=self.location.key(name),
                                         Body=_body(record), ContentType="application/json", IfMatch=etag)
        except botocore.exceptions.ClientError as exc:
            if _lost(exc) or _code(exc) in ("NoSuchKey", "404"):
                raise self._taken(name) from exc
            raise self._unusable("write", name, exc) from exc
        except botocore.exceptions.BotoCoreError as exc:
            raise self._unusable("write", name, exc) from exc
        return str(answer["ETag"])

    def delete(self, name: str, etag: str | None = None) -> None:
        """Delete claim ``name`` (only if it is still the version ``etag``, when given); gone already is fine.
        :class:`ClaimTaken` with what it is now if another writer moved it first."""
        condition = {"IfMatch": etag} if etag else {}
        try:
            self._s3.delete_object(Bucket=self.location.bucket, Key=self.location.key(name), **condition)
        except botocore.exceptions.ClientError as exc:
            if _code(exc) in ("NoSuchKey", "404"):
                return
            if _lost(exc):
                raise self._taken(name) from exc
            raise self._unusable("delete", name, exc) from exc
        except botocore.exceptions.BotoCoreError as exc:
            raise self._unusable("delete", name, exc) from exc

    def read(self, name: str) -> tuple[Record, str] | None:
        """Claim ``name`` and its ETag; ``None`` if there is none."""
        found = self.read_aged(name)
        return None if found is None else (found[0], found[1])

    def read_aged(self, name: str) -> tuple[Record, str, float | None] | None:
        """Claim ``name``, its ETag and its age in seconds by the store's own clock (its answer's ``Date`` less the
        object's ``LastModified``: no runner's clock is involved); ``None`` if there is none."""
        try:
            answer = self._s3.get_object(Bucket=self.location.bucket, Key=self.location.key(name))
            body = answer["Body"].read()
        except botocore.exceptions.ClientError as exc:
            if _code(exc) in ("NoSuchKey", "404"):
                return None
            raise self._unusable("read", name, exc) from exc
        except botocore.exceptions.BotoCoreError as exc:
            raise self._unusable("read", name, exc) from exc
        try:
            record = json.loads(body)
        except ValueError as exc:
            raise ClaimStoreError(f"claim {self.location.key(name)} in {self.location} is not JSON: a person must "
                                  "look at it before anything is decided from it") from exc
        if not isinstance(record, dict):
            raise ClaimStoreError(f"claim {self.location.key(name)} in {self.location} is not a JSON object")
        return record, str(answer["ETag"]), _age(answer)

    def names(self, under: str = "") -> Iterator[str]:
        """The name of every claim (whose name starts with ``under``: ListObjectsV2, paged)."""
        start = f"{self.location.prefix}/" if self.location.prefix else ""
        start += under
        try:
            pages = self._s3.get_paginator("list_objects_v2").paginate(Bucket=self.location.bucket, Prefix=start)
            for page in pages:
                for item in page.get("Contents", []):
                    yield under + str(item["Key"])[len(start):]
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as exc:
            raise self._unusable("list", "", exc) from exc

    def _taken(self, name: str) -> ClaimTaken:
        found = self.read(name)
        return ClaimTaken(name, *(found if found is not None else (None, None)))

    def _unusable(self, what: str, name: str, exc: BaseException) -> ClaimStoreError:
        where = f"{self.location} (claim {name})" if name else str(self.location)
        endpoint = getattr(getattr(self._s3, "meta", None), "endpoint_url", "?")
        return ClaimStoreError(f"cannot {what} the claim store {where} (endpoint {endpoint}): {_reason(exc)}. "
                               "Nothing was decided from it.")


def _age(answer: Mapping[str, Any]) -> float | None:
    date = answer.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("date")
    modified = answer.get("LastModified")
    try:
        return max(0.0, (parsedate_to_datetime(str(date)) - modified).total_seconds()) if date and modified else None
    except (TypeError, ValueError):
        return None


def _body(record: Mapping[str, Any]) -> bytes:
    return json.dumps(dict(record), sort_keys=True).encode()


def _code(exc: botocore.exceptions.ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code") or exc.response.get("ResponseMetadata", {})
               .get("HTTPStatusCode") or "")


def _lost(exc: botocore.exceptions.ClientError) -> bool:
    """A conditional write that lost (412), or an S3 conflict with a concurrent conditional write (409)."""
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return _code(exc) in ("PreconditionFailed", "ConditionalRequestConflict") or status in (409, 412)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, botocore.exceptions.ClientError):
        error = exc.response.get("Error", {})
        return f"S3 said {error.get('Code', 'Unknown')}: {error.get('Message', 'no message')}"
    return f"{type(exc).__name__}: {exc}"
