"""What the editor sees and types: stage lines, a new edition in one step, reasons for
uncited entries kept in the content."""

from __future__ import annotations

import re
import shutil

import yaml

from conftest import OUTPUTS, build_output, copy_fixture, run_booklet
from edition import built_from


@built_from("fixture")  # the stages a build goes through, whatever booklet
def test_a_build_prints_a_line_per_stage_and_q_silences_them(built, tmp_path):
    out = build_output(built).stdout  # what the session's cold build printed
    stages = [line.split()[0] for line in out.splitlines() if re.match(r"\w+ +\d+\.\d\d s", line)]
    # The editions are made side by side, so after the content their lines come
    # in the order they finish; each stage is there once per piece of work.
    assert stages[0] == "content", out
    assert sorted(stages[1:]) == sorted(["layout", "epub", "pdf", "pdf", "shop", "home",
                                         "web"]), out
    # A cold build lays out every part (the cache in build/parts/ is empty), those
    # of all the print editions at once.
    for edition in ("standard A5 edition", "large print A4 edition", "print shop edition"):
        assert re.search(rf"^layout +\d+\.\d\d s  .*{edition}: \d+ pages, "
                         r"[1-9]\d* parts laid out, 0 kept", out, re.M), out
    assert re.search(r"^web +\d+\.\d\d s  \d+ pages, \d+ print page numbers$", out, re.M), out
    # -q on a copy with an essay edited: every stage has work to do, and says nothing.
    root = tmp_path / "p"
    shutil.copytree(built, root, symlinks=True)
    essay = sorted((root / "content" / "essays").glob("*/essay.md"))[-1]
    essay.write_text(essay.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                     encoding="utf-8")
    inodes = {name: (root / "build" / name).stat().st_ino for name in OUTPUTS}
    quiet = run_booklet(root, "build", "-q")
    assert quiet.returncode == 0 and not re.search(r"\d\.\d\d s", quiet.stdout), quiet.stdout
    assert all((root / "build" / name).stat().st_ino != ino for name, ino in inodes.items())


def test_new_edition_writes_a_new_identifier_and_year_and_keeps_comments(tmp_path):
    root = copy_fixture(tmp_path)
    meta = root / "content" / "booklet.yaml"
    before = meta.read_text(encoding="utf-8")
    result = run_booklet(root, "new-edition", "2031")
    assert result.returncode == 0, result.stderr
    after = meta.read_text(encoding="utf-8")
    old, new = yaml.safe_load(before), yaml.safe_load(after)
    assert new["year"] == "2031" and new["identifier"] != old["identifier"]
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", new["identifier"])
    assert {k: v for k, v in new.items() if k not in ("year", "identifier")} == \
           {k: v for k, v in old.items() if k not in ("year", "identifier")}
    assert [l for l in before.splitlines() if l.startswith("#")] == \
           [l for l in after.splitlines() if l.startswith("#")]
    assert run_booklet(root, "validate").returncode == 0


def test_new_edition_refuses_a_year_it_cannot_read(tmp_path):
    root = copy_fixture(tmp_path)
    before = (root / "content" / "booklet.yaml").read_bytes()
    result = run_booklet(root, "new-edition", "27")
    assert result.returncode == 1 and "error B103" in result.stderr
    assert (root / "content" / "booklet.yaml").read_bytes() == before


def test_an_uncited_entry_with_a_reason_does_not_warn_and_is_listed(tmp_path):
    root = copy_fixture(tmp_path)
    refs = next((root / "content" / "essays").glob("*/references.yaml"))
    refs.write_text(refs.read_text(encoding="utf-8") + (
        '\n- id: kept2001\n  type: book\n  author: [{family: Kept, given: A.}]\n  issued: 2001\n'
        '  title: A work listed\n'
        '  uncited: "In the author’s list; not cited, kept as listed."\n'), encoding="utf-8")
    result = run_booklet(root, "validate")
    assert result.returncode == 0 and "B202" not in result.stderr, result.stderr
    assert "kept uncited:" in result.stdout and "kept2001" in result.stdout
    # Without the reason the same entry warns.
    refs.write_text(refs.read_text(encoding="utf-8").replace("  uncited:", "  # uncited:"),
                    encoding="utf-8")
    assert "warning B202" in run_booklet(root, "validate").stderr
