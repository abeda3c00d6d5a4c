"""Outputs appear whole or not at all: the previous good build survives a failure."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_outputs(targets: list[Path]):
    """Yield a temporary path beside each target; move them into place only when all
    were written, so a failure in the last output leaves every earlier one untouched."""
    temporaries: list[Path] = []
    try:
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                       dir=target.parent)
            os.close(fd)
            temporaries.append(Path(tmp))
        yield temporaries
        for tmp, target in zip(temporaries, targets):
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
    finally:
        for tmp in temporaries:
            tmp.unlink(missing_ok=True)
