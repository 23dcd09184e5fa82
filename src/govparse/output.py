"""Writing outputs safely: atomic replace, never over an input, never outside the target folder."""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputError

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def safe_stem(name: str) -> str:
    """A file name stem made only from an input's base name: no folders, no '..',
    no control or shell-special characters."""
    base = os.path.basename(name.replace("\\", "/")) or "plan"
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    stem = _UNSAFE.sub("_", stem).strip(" .") or "plan"
    return stem[:120]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class InputFiles:
    """The inputs of a run, which no output may replace: each one's identity (device and
    inode, as os.path.samefile compares) and resolved path, found once.  A batch writes
    one output per input; checking each output against every input path again would be
    quadratic in system calls (200 plans: 40,000 checks)."""

    def __init__(self, paths: Iterable[str] = ()):
        self.ids: set[tuple[int, int]] = set()
        self.resolved: set[Path] = set()
        for p in paths:
            if p == "-":
                continue
            path = Path(p)
            try:
                st = path.stat()
                self.ids.add((st.st_dev, st.st_ino))
            except OSError:
                pass
            self.resolved.add(path.resolve())

    def holds(self, target: Path) -> bool:
        """Is ``target`` one of the inputs (the same file, or the same resolved path)?"""
        try:
            st = target.stat()
            if (st.st_dev, st.st_ino) in self.ids:
                return True
        except OSError:
            pass
        return bool(self.resolved) and target.resolve() in self.resolved


def write_atomic(target: str | os.PathLike, data: str | bytes, *, inputs: Iterable[str] | InputFiles = (),
                 within: str | os.PathLike | None = None) -> Path:
    """Write ``data`` to ``target`` through a temporary file and a rename.

    Refuses to replace any of ``inputs`` (paths, or an ``InputFiles`` made once for a
    batch) and, with ``within``, to write anywhere but inside that folder (a symlink
    pointing out of it is refused too).
    """
    target = Path(target)
    if not isinstance(inputs, InputFiles):
        inputs = InputFiles(inputs)
    if inputs.holds(target):
        raise OutputError(f"{target}: refusing to overwrite an input file")
    if within is not None:
        root = Path(within).resolve()
        if target.is_symlink() or not str(target.resolve()).startswith(str(root) + os.sep):
            raise OutputError(f"{target}: refusing to write outside {within}")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{target}: folder {parent} does not exist")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".govparse-", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give what a plain open() would
        os.replace(tmp, target)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise OutputError(f"{target}: cannot write: {e.strerror or e}") from None
    return target
