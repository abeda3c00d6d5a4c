"""The EPUB container, finished: what ebooklib cannot be told, and same bytes every time.

- The OPF package gets xml:lang (Ace: epub-lang; EPUB 3.3 recommends it).
- Every entry gets the edition's timestamp and a fixed order, with `mimetype` first
  and stored uncompressed as OCF requires, so two builds of one tree are identical.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path

OPF = re.compile(r"\.opf$")


def finish_container(path: Path, language: str, timestamp: int) -> None:
    with zipfile.ZipFile(path) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    when = datetime.fromtimestamp(max(timestamp, 315532800), tz=timezone.utc).timetuple()[:6]
    for name, data in entries.items():
        if OPF.search(name):
            entries[name] = re.sub(rb"<package ", f'<package xml:lang="{language}" '.encode(),
                                   data, count=1)
    order = ["mimetype"] + sorted(n for n in entries if n != "mimetype")
    with zipfile.ZipFile(path, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, entries[name], compresslevel=9)
