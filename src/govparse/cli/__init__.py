"""The command line: parse arguments, call the library, print; nothing else.

Each group of commands lives in its own module and registers on the one typer app
of ``common``; this package only gathers them and maps escaped errors to exit codes.
"""
from __future__ import annotations

import copy
import gc
import sys

# Objects between two collections of the youngest GC generation (Python's default: 700).
# A run of govparse allocates hundreds of thousands of long-lived objects (modules,
# typer's commands, compiled patterns, the plan) and little cyclic garbage, so the
# default spends ~8 ms of a one-plan start in 40-odd collections that free nothing.
# Set here, before typer is imported; the library leaves the interpreter's setting alone.
GC_THRESHOLD = 50_000
gc.set_threshold(GC_THRESHOLD)

# commands register in import order, which is the order --help lists them
# isort: off
from ..errors import GovparseError  # noqa: E402  (after the GC setting)
from .common import _err, app  # noqa: E402
from . import extract, lists, drafting, corpus, comparing  # noqa: E402,F401  (register the commands)
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
    finally:
        # The run is over and the process is about to exit: move what it made to the
        # GC's permanent generation, so that the interpreter's exit does not traverse it
        # all once more in a last full collection (~15 ms of a one-plan run).  Outputs
        # are already closed; nothing here waits on a collection to be finalized.
        gc.freeze()
