"""Read one file in a child interpreter that is killed when it takes too long.

The web reads uploads this way: a decompression bomb or a pathological PDF costs the child its
time, never the server's threads or memory. A fresh interpreter (about 0.3 s to start with the
readers imported) rather than a fork: the server runs threads, and forking a threaded process
can inherit a lock some other thread held.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

from taizhang.errors import ReadError
from taizhang.read.document import Document

__all__ = ["read_isolated"]


def read_isolated(path: Path, *, seconds: float, name: str | None = None) -> Document:
    """`read_document(path)` in a child process; ReadError (naming `name`, default the path)
    for an unreadable file, a read over `seconds`, or a child that dies."""
    label = name or str(path)
    try:
        done = subprocess.run([sys.executable, "-m", "taizhang.read.isolated", str(path)],
                              capture_output=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired:  # subprocess.run has killed the child
        raise ReadError(label, f"reading took longer than {seconds:g} s and was stopped") from None
    if done.returncode != 0 or not done.stdout:
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise ReadError(label, f"the reader stopped without an answer (exit code "
                        f"{done.returncode}: {last})")
    kind, payload = pickle.loads(done.stdout)  # noqa: S301 - written by our own child, above
    if kind == "error":
        raise ReadError(label, payload)
    return payload  # type: ignore[no-any-return]


def _child(path: str) -> tuple[str, object]:
    """The document, or why it cannot be read (a ReadError does not pickle through its
    constructor, so its reason goes back instead)."""
    from taizhang.read import read_document

    try:
        return "ok", read_document(path)
    except ReadError as err:
        return "error", err.reason
    except MemoryError:
        return "error", "the document needs more memory to read than there is"
    except Exception as err:  # noqa: BLE001 - a reader's bug is an unreadable file, not a 500
        return "error", f"{type(err).__name__}: {err}"


if __name__ == "__main__":
    sys.stdout.buffer.write(pickle.dumps(_child(sys.argv[1]), protocol=pickle.HIGHEST_PROTOCOL))
