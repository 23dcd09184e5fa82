"""The command line: parse arguments, call the library, print; nothing else.

Each group of commands lives in its own module and registers on the one typer app
of ``common``; this package only gathers them and maps escaped errors to exit codes.
"""
from __future__ import annotations

import sys

from ..errors import GovparseError
from .common import _err, app
from . import extract, lists, drafting, corpus, comparing  # noqa: E402,F401  (register the commands)

__all__ = ["app", "main"]


def main() -> None:
    try:
        app()
    except GovparseError as e:  # library errors that escaped a command
        _err(str(e))
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("govparse: interrupted\n")
        sys.exit(130)
