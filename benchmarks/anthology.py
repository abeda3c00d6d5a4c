"""A synthetic anthology: the booklet's essays repeated N times (default 25 -> 100 essays).

Each essay folder is copied N times, in order, under a new three-digit name
(`001-holly-clarke`, `002-omar-mohamed`, ... `100-verity-clarke`), so every copy gets
its own slug and therefore its own anchors: no duplicate ids.

    python benchmarks/anthology.py SRC_PROJECT DEST_CONTENT_DIR [--times 25]
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path


def make_anthology(content: Path, dest: Path, times: int = 25) -> list[str]:
    """Write a copy of `content` to `dest` whose essays/ holds each essay `times` times."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(content, dest, ignore=shutil.ignore_patterns("essays"))
    essays = sorted(p for p in (content / "essays").iterdir() if p.is_dir())
    names = []
    number = 0
    for _ in range(times):
        for essay in essays:
            number += 1
            stem = re.sub(r"^\d+-", "", essay.name)
            name = f"{number:03d}-{stem}"
            shutil.copytree(essay, dest / "essays" / name)
            names.append(name)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("content", type=Path, help="the content/ folder to repeat")
    parser.add_argument("dest", type=Path, help="where to write the anthology's content/")
    parser.add_argument("--times", type=int, default=25)
    args = parser.parse_args()
    names = make_anthology(args.content, args.dest, args.times)
    print(f"{len(names)} essays in {args.dest}")


if __name__ == "__main__":
    main()
