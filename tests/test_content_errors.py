"""Bad content stops the build with a message naming the file and the line."""

from __future__ import annotations

from conftest import read_output, run_booklet


def _first_essay(project):
    return sorted((project / "content" / "essays").iterdir())[0] / "essay.md"


def test_unknown_citation_key_fails_naming_file_and_line(project):
    essay = _first_essay(project)
    lines = essay.read_text(encoding="utf-8").split("\n")
    n = next(i for i, line in enumerate(lines) if "](cite:" in line)
    lines[n] = lines[n].replace("](cite:", "](cite:nosuchwork1999,", 1)
    essay.write_text("\n".join(lines), encoding="utf-8")

    result = run_booklet(project, "build")

    assert result.returncode == 1
    rel = essay.relative_to(project)
    column = lines[n].index("nosuchwork1999") + 1
    assert (f"{rel}:{n + 1}:{column}: error B200: unknown citation key 'nosuchwork1999'"
            in result.stderr)
    assert "Traceback" not in result.stderr
    assert not (project / "build" / "booklet.pdf").exists()
    assert not (project / "build" / "booklet.epub").exists()


def test_failed_build_leaves_previous_outputs_untouched(built, tmp_path):
    import shutil

    root = tmp_path / "p"
    shutil.copytree(built, root)
    before = {path.name: read_output(path) for path in (root / "build").iterdir()}
    assert {"booklet.pdf", "booklet.epub"} <= set(before)
    essay = _first_essay(root)
    essay.write_text(essay.read_text(encoding="utf-8").replace("](cite:", "](cite:zz-missing,", 1),
                     encoding="utf-8")
    result = run_booklet(root, "build")
    assert result.returncode == 1
    for name, data in before.items():
        assert read_output(root / "build" / name) == data
    assert sorted(p.name for p in (root / "build").iterdir()) == sorted(before)
