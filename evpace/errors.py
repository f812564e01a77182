"""A small catalogue of typed, named errors with message templates (after frictionless).

Every error names where it happened (file, line, field) when that is known, so that a user can
fix the input. Batch operations collect these and go on; they never half-write.
"""

from __future__ import annotations

from typing import Any


class EvpaceError(Exception):
    """Base class. Subclasses set ``code`` and ``template``; fields are filled from kwargs."""

    code = "evpace-error"
    template = "{message}"

    def __init__(self, **fields: Any) -> None:
        self.fields = fields
        try:
            message = self.template.format(**fields)
        except (KeyError, IndexError):
            message = f"{self.code}: {fields}"
        super().__init__(message)

    @property
    def message(self) -> str:
        return str(self)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **{k: str(v) for k, v in self.fields.items()}}


class UnknownEntityError(EvpaceError, LookupError):
    code = "unknown-entity"
    template = "unknown entity {name!r}; close matches: {suggestions}"


class InvalidRowError(EvpaceError, ValueError):
    code = "invalid-row"
    template = "{path}:{line}: field {field!r}: {reason}"


class InvalidFileError(EvpaceError, ValueError):
    code = "invalid-file"
    template = "{path}: {reason}"


class InvalidArgumentError(EvpaceError, ValueError):
    code = "invalid-argument"
    template = "{name}: {reason}"


class StoreError(EvpaceError, RuntimeError):
    code = "store-error"
    template = "database {url}: {reason}"


class SchemaVersionError(StoreError):
    code = "schema-version"
    template = "database {url} has schema version {found}, newer than this evpace knows ({known}); upgrade evpace"


class NoDataError(EvpaceError, LookupError):
    code = "no-data"
    template = "no data for {what}"


class InvalidDocumentError(EvpaceError, ValueError):
    code = "invalid-document"
    template = "{path}: {reason}"


class FetchError(EvpaceError, RuntimeError):
    """A feed, page or robots.txt that could not be fetched over HTTP (network error, HTTP status...)."""

    code = "fetch-error"
    template = "{url}: {reason}"


class FetchTimeoutError(FetchError):
    code = "fetch-timeout"


class HttpStatusError(FetchError):
    code = "http-status"


class ResponseTooLargeError(FetchError):
    code = "response-too-large"


class RedirectError(FetchError):
    code = "redirect-error"


class RobotsDisallowedError(FetchError):
    code = "robots-disallowed"


class UnknownFeedError(EvpaceError, LookupError):
    code = "unknown-feed"
    template = "no feed named or at {name!r}; feeds: {known}"


class WatchRuleError(InvalidArgumentError):
    """A watch rule that cannot be added or evaluated (evpace.watch)."""

    code = "watch-rule"
    template = "watch rule {rule}: {reason}"


class UnknownRuleError(EvpaceError, LookupError):
    code = "unknown-watch-rule"
    template = "no watch rule {rule!r} (see `evpace watch list`)"


class ChannelError(InvalidArgumentError):
    """A delivery channel configured wrongly (bad URL, address, port...)."""

    code = "watch-channel"
    template = "channel {channel}: {reason}"


class DeliveryError(EvpaceError, RuntimeError):
    """One attempt to deliver an alert failed; the delivery stays pending and is tried again."""

    code = "delivery-failed"
    template = "{channel}: {reason}"


class StorageFullError(StoreError):
    """The database ran out of space (disk full, file size limit, SQLite max_page_count)."""

    code = "storage-full"
    template = ("database {url} is out of space: {reason}. The write in progress was rolled back and nothing was "
                "half-written; what was committed before is intact. Free space, then run the command again.")


class DatabaseUnavailableError(StoreError):
    """The database went away while in use (connection lost, server shut down, file deleted or moved)."""

    code = "database-unavailable"
    template = ("database {url} became unavailable: {reason}. The write in progress was rolled back; what was "
                "committed before is intact. Run the command again once the database is back.")


class ClusterError(EvpaceError, RuntimeError):
    """A Dask cluster that cannot be reached or started (distributed ingest)."""

    code = "cluster-error"
    template = "dask scheduler {scheduler}: {reason}"


class ExtractionTimeoutError(EvpaceError, RuntimeError):
    """A document whose extraction ran past the per-document time limit (pathological text): skipped whole."""

    code = "extraction-timeout"
    template = "{path}: extraction stopped after {limit:g} s (the per-document limit); document skipped"
