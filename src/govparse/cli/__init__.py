"""The command line: parse arguments, call the library, print; nothing else.

Each group of commands lives in its own module and registers on the one typer app
of ``common``; this package only gathers them and maps escaped errors to exit codes.
"""
from __future__ import annotations

import copy
import sys

# commands register in import order, which is the order --help lists them
# isort: off
from ..errors import GovparseError
from .common import _err, app
from . import extract, lists, drafting, corpus, comparing  # noqa: F401  (register the commands)
# isort: on

__all__ = ["app", "main"]


def _app_for(argv: list[str]):
    """The app with only the command ``argv`` names, when it names one.

    typer turns every registered command into a click command (inspecting each
    signature) before it looks at the arguments; for one ``govparse extract`` that is a
    fifth of the start-up.  Commands stay registered on the one ``app``; this only
    hands typer the one it will run.  Anything else (no command, an option first, a
    misspelt name) gets the whole app, so help and "No such command" are unchanged.
    """
    name = argv[0] if argv else ""
    for info in app.registered_commands:
        if (info.name or info.callback.__name__.replace("_", "-")) == name:
            one = copy.copy(app)  # same settings and callback (--version)
            one.registered_commands = [info]
            return one
    return app


def main() -> None:
    try:
        _app_for(sys.argv[1:])()
    except GovparseError as e:  # library errors that escaped a command
        _err(str(e))
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("govparse: interrupted\n")
        sys.exit(130)
