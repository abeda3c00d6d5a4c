"""Outputs appear whole or not at all: the previous good build survives a failure."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_outputs(targets: list[Path], folders: frozenset[Path] | set[Path] = frozenset()):
    """Yield a temporary path beside each target; move them into place only when all
    were written, so a failure in the last output leaves every earlier one untouched.

    A target in `folders` (the web edition, build/web/) gets a temporary folder,
    build/.web.part-XXXX/, which replaces the old folder in one step when it is whole.
    """
    temporaries: list[Path] = []
    try:
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target in folders:
                temporaries.append(Path(tempfile.mkdtemp(prefix=f".{target.name}.part-",
                                                         dir=target.parent)))
                continue
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                       dir=target.parent)
            os.close(fd)
            temporaries.append(Path(tmp))
        yield temporaries
        for tmp, target in zip(temporaries, targets):
            if target in folders:
                os.chmod(tmp, 0o755)
                _replace_folder(tmp, target)
            else:
                os.chmod(tmp, 0o644)
                os.replace(tmp, target)
    finally:
        for tmp in temporaries:
            if tmp.is_dir() and not tmp.is_symlink():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)


_RENAME_EXCHANGE = 2  # linux/fs.h


def _replace_folder(new: Path, target: Path) -> None:
    """Put the folder `new` where `target` is; the old one ends up at `new`'s name, for
    the caller to delete. os.replace cannot replace a folder that holds files, so on
    Linux the two are swapped in one step (renameat2 RENAME_EXCHANGE): a reader of
    build/web/, or an upload running meanwhile, sees the old folder or the new one,
    never neither. Elsewhere the old folder is moved aside first, for an instant."""
    if not target.exists() and not target.is_symlink():
        os.rename(new, target)
        return
    if target.is_dir() and not target.is_symlink() and _exchange(new, target):
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.rename(target, aside / target.name)
    os.rename(new, target)
    os.rename(aside, new)  # so the caller's clean-up removes the old one


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # not glibc 2.28+ on Linux
        return False
    at_fdcwd = -100
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b),
                     _RENAME_EXCHANGE) == 0
