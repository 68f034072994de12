"""The one error tree of ipnav.

* IpnavError                 -- anything a user should see as one clear line
  + UsageError               -- bad arguments or settings (CLI exit 2, HTTP 400)
  + WorkspaceError           -- the workspace folder cannot be used
    + WarehouseBusy          -- another process (an ingest) holds the warehouse (HTTP 503)
  + InputFileError           -- a whole input file cannot be read (empty, truncated, unknown type)
  + RecordError              -- one record is malformed; becomes a Reject, never stops ingest
  + RecordNotFound           -- no patent with that number (HTTP 404)

Each error carries the fields the user needs (file, record, field) and an HTTP status.
"""

from __future__ import annotations


class IpnavError(Exception):
    """Base of every error ipnav raises on purpose."""

    status: int = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(IpnavError):
    """Bad arguments or settings (CLI exit 2, HTTP 400)."""

    status = 400


class WorkspaceError(IpnavError):
    """The workspace folder or warehouse cannot be used."""

    status = 500


class WarehouseBusy(WorkspaceError):
    """The warehouse is locked by another process, typically a running ingest."""

    status = 503


class ServeError(IpnavError):
    """The web platform cannot start (a port in use): exit status 1."""


class InputFileError(IpnavError):
    """A whole file is unusable: empty, truncated, or not a format ipnav reads."""

    status = 422

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class RecordError(IpnavError):
    """One record is malformed. `field` names what is wrong (e.g. 'application_number')."""

    status = 422

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class RecordNotFound(IpnavError):
    """No record with that number or name (HTTP 404), with close suggestions."""

    status = 404

    def __init__(self, kind: str, number: str, suggestions: list[str] | None = None) -> None:
        hint = f" (did you mean: {', '.join(suggestions)})" if suggestions else ""
        super().__init__(f"no {kind} with number {number!r} in this workspace{hint}")
        self.kind = kind
        self.number = number
        self.suggestions = suggestions or []
