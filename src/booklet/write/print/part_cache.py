"""Laid-out parts kept in build/parts/ between builds, each under a digest of what it
was made from, so that an edit to one essay lays out that essay alone.

An entry is two files, <digest>.pdf (the part as written) and <digest>.json (its page
facts, write/print/parts.py), each written whole and then renamed into place. New entries are
kept in memory until the build has written its outputs (`commit`): a build that is
refused or fails leaves build/ as it was, the cache included. An entry that cannot be
read back, or whose PDF is not the one its facts were written with, is ignored and laid
out again. build/parts/index.json names the entries each edition used last; the others
are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from booklet.write.print.parts import PageFacts, PartJob, PartLayout

FORMAT = 1  # bump when what an entry holds changes
INDEX = "index.json"


def part_digest(kind: str, html: str, stylesheet: str, inputs: str) -> str:
    """The key of a part: its HTML, its edition's stylesheet, and `inputs` (a digest of
    the styles, fonts, code and libraries every part is made with, and of the content
    files its HTML names: see write/print/layout.py: layout_inputs)."""
    digest = hashlib.sha256(f"{FORMAT}\n{kind}\n{stylesheet}\n{inputs}\n".encode())
    digest.update(html.encode())
    return digest.hexdigest()


class PartCache:
    def __init__(self, folder: Path):
        self.folder = folder
        self.used: dict[str, set[str]] = {}  # edition -> the digests it used
        self.pending: dict[str, tuple[PartJob, PartLayout]] = {}
        self.counts: dict[str, dict] = {}  # edition -> what its index entry says

    def start(self, edition: str) -> None:
        self.used[edition] = set()

    # The edition is named at each call: several editions are laid out at once.
    def get(self, job: PartJob, edition: str) -> PartLayout | None:
        self.used[edition].add(job.digest)
        if job.digest in self.pending:
            return self.pending[job.digest][1]
        try:
            pdf = (self.folder / f"{job.digest}.pdf").read_bytes()
            facts = json.loads((self.folder / f"{job.digest}.json").read_text("utf-8"))
            if facts.get("format") != FORMAT or facts.get("pdf") != _sha(pdf):
                return None
            return PartLayout(
                pdf, tuple(PageFacts(**page) for page in facts["pages"]),
                tuple((int(a), str(b), int(c)) for a, b, c in facts["starts"]),
                tuple((anchor, float(over)) for anchor, over in facts["wide_tables"]),
                tuple(facts["stand_ins"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, job: PartJob, layout: PartLayout, edition: str) -> None:
        self.used[edition].add(job.digest)
        self.pending[job.digest] = (job, layout)

    def _write(self, job: PartJob, layout: PartLayout) -> None:
        facts = {"format": FORMAT, "kind": job.kind, "pdf": _sha(layout.pdf),
                 "pages": [asdict(page) for page in layout.pages],
                 "starts": [list(start) for start in layout.starts],
                 "wide_tables": [list(table) for table in layout.wide_tables],
                 "stand_ins": list(layout.stand_ins)}
        # The PDF first: facts without their PDF are never read as an entry.
        _write_atomic(self.folder / f"{job.digest}.pdf", layout.pdf)
        _write_atomic(self.folder / f"{job.digest}.json",
                      json.dumps(facts, sort_keys=True).encode())

    def _index(self) -> dict:
        try:
            index = json.loads((self.folder / INDEX).read_text("utf-8"))
            if isinstance(index, dict) and isinstance(index.get("editions"), dict):
                return index
        except (OSError, ValueError):
            pass
        return {"editions": {}}

    def front_pages(self, edition: str) -> int | None:
        """How many pages the front matter had in the edition's last build: the best
        guess of its count now, which the contents' page numbers need."""
        count = (self._index()["editions"].get(edition) or {}).get("front_pages")
        return count if isinstance(count, int) and count > 0 else None

    def laid_out_with(self, edition: str) -> str | None:
        """The digest of the styles, fonts, code and libraries (write/print/layout.py:
        layout_inputs) the edition's last build laid out its parts with."""
        inputs = (self._index()["editions"].get(edition) or {}).get("inputs")
        return inputs if isinstance(inputs, str) else None

    def finish(self, edition: str, laid_out: int, reused: int, front_pages: int,
               inputs: str) -> None:
        """What `edition` used and did, for its index entry."""
        self.counts[edition] = {"laid_out": laid_out, "reused": reused,
                                "front_pages": front_pages, "inputs": inputs}

    def commit(self) -> None:
        """After a build that wrote its outputs: keep its new parts, record what each
        edition used, and remove what no edition used last."""
        if not self.used:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for job, layout in self.pending.values():
            self._write(job, layout)
        self.pending.clear()
        index_path = self.folder / INDEX
        index = self._index()
        for edition, used in self.used.items():
            index["editions"][edition] = {"parts": sorted(used), **self.counts.get(edition, {})}
        _write_atomic(index_path, json.dumps(index, indent=1, sort_keys=True).encode())
        kept = {digest for entry in index["editions"].values() if isinstance(entry, dict)
                for digest in entry.get("parts", ())}
        for path in self.folder.iterdir():
            if path.suffix in (".pdf", ".json") and path.name != INDEX \
                    and path.stem not in kept:
                path.unlink(missing_ok=True)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
