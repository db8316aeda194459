"""The project's error hierarchy; the CLI maps it to messages and exit codes, the web to 4xx."""


class TaizhangError(Exception):
    """Base class: a problem the user can act on, with a message that says how."""


class ReadError(TaizhangError):
    """A document could not be read (missing, undecodable, empty, no text layer…)."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class LedgerError(TaizhangError):
    """The ledger refused an operation (bad reference, invalid value, conflicting state)."""


class NotFound(LedgerError):
    """A target, document, unit or user that does not exist."""


class ImportFormatError(LedgerError):
    """A spreadsheet or CSV whose rows are invalid; `row_errors` lists (row number, message)."""

    def __init__(self, message: str, row_errors: list[tuple[int, str]] | None = None) -> None:
        self.row_errors = row_errors or []
        super().__init__(message)
