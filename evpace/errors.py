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
