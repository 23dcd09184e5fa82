"""Exceptions raised by the library; the CLI turns each into one line on stderr."""
from __future__ import annotations


class GovparseError(Exception):
    """Base class for every error govparse reports to a user."""

    exit_code = 1


class InputError(GovparseError):
    """A plan file could not be read or understood (bad data: exit code 1)."""

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UsageError(GovparseError):
    """The command was called wrongly (exit code 2)."""

    exit_code = 2


class OutputError(GovparseError):
    """An output could not be written safely (exit code 1)."""
