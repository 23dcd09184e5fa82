"""The console entry point (``govparse`` and ``python -m govparse``): settings that belong
to a whole process, then the command line.  Kept apart from ``govparse.cli`` so that
importing the CLI (tests, embedding the typer app) changes nothing process-wide."""
from __future__ import annotations

import gc

# Objects between two collections of the youngest GC generation (Python's default: 700).
# A run of govparse allocates hundreds of thousands of long-lived objects (modules,
# typer's commands, compiled patterns, the plan) and little cyclic garbage, so the
# default spends ~8 ms of a one-plan start in 40-odd collections that free nothing.
GC_THRESHOLD = 50_000


def main() -> None:
    gc.set_threshold(GC_THRESHOLD)  # before typer and the pipeline are imported
    from .cli import main as cli_main

    try:
        cli_main()
    finally:
        # The run is over and the process is about to exit: move what it made to the
        # GC's permanent generation, so that the interpreter's exit does not traverse it
        # all once more in a last full collection (~15 ms of a one-plan run).  Outputs
        # are already closed; nothing here waits on a collection to be finalized.
        gc.freeze()
