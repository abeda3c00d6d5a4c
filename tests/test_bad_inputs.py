"""Bad input never yields a broken or unsafe booklet.

Every case of tests/bad_inputs/cases.yaml breaks a copy of a project that already holds a
good build, runs the real command on it, and checks that the command says what is wrong
(code, file:line:column), exits as it should, shows no traceback and no secret, and
leaves the previous booklet byte for byte as it was, with no stray temporary files.

The same edited tree goes through `make` too, as the editor builds it, for a sample of
the cases that holds every kind of case (MAKE_SAMPLE: each command, refused and
accepted, with each family of codes). Each case is a test of its own,
so that pytest-xdist spreads them over the cores.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import MADE_EPOCH, OUTPUTS, copy_fixture, read_output, run_make, with_make

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
EPOCH = MADE_EPOCH  # a fixed edition time, so that two builds of one tree are identical
STAMPS = ".stamps.json"  # what each output was made from (booklet.freshness)
PARTS = "parts"  # the laid-out parts kept between builds (booklet.write.print.part_cache)
REFERENCES = ".references.json"  # the formatted entries kept between builds (pipeline)
WARNINGS = ("B202", "B205")  # codes that warn and let the build go on
SECRET = "TOP-SECRET-7f3a9c: this must never appear in an output or a message"


def _kind(case: dict) -> tuple[str, int, str]:
    """What sort of case: the command it runs, refused or accepted, and the family of its
    code (B1 the content, B2 the references and citations, B3 the layout and figures)."""
    return case.get("command", "validate"), case["exit"], (case.get("code") or "")[:2]


# `make` on every case ran a build per case (two minutes of CPU for 126 cases), where the
# direct command proves each refusal already. make passes booklet's exit status and
# messages through whatever the code, so what can differ through make is the command,
# refused or accepted, and the stage that refuses (the family of codes): the first case
# of each such kind in cases.yaml goes through make (8 kinds today). A kind added to
# cases.yaml is sampled by itself.
MAKE_SAMPLE = list({_kind(case): case for case in reversed(CASES)}.values())[::-1]


def test_corpus_is_large_and_well_formed():
    names = [case["name"] for case in CASES]
    assert len(names) >= 30
    assert len(names) == len(set(names)), "case names must be unique"
    for case in CASES:
        assert case.get("command", "validate") in ("validate", "build"), case["name"]
        assert case["exit"] in (0, 1), case["name"]
        assert case["edits"], case["name"]
        if case["exit"] == 1:
            assert re.fullmatch(r"B\d{3}", case["code"]), case["name"]


def test_the_make_sample_holds_every_kind_of_case():
    assert {_kind(case) for case in MAKE_SAMPLE} == {_kind(case) for case in CASES}
    assert len(MAKE_SAMPLE) == len({_kind(case) for case in CASES})
    assert {(c.get("command", "validate"), c["exit"]) for c in MAKE_SAMPLE} == {
        ("validate", 0), ("validate", 1), ("build", 0), ("build", 1)}


# --- running cases -------------------------------------------------------------------


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run([sys.executable, "-m", "booklet", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=300, cwd=root, env=env)


@pytest.fixture(scope="session")
def base_build(made) -> Path:
    """A copy of the project with a good build in build/: the booklet made once per test
    run (conftest.made, at the edition time EPOCH). Each case breaks a copy of it."""
    assert sorted(p.name for p in (made / "build").iterdir()) == sorted([*OUTPUTS, STAMPS, PARTS, REFERENCES])
    return made


@functools.cache
def _before(base: Path) -> dict[str, bytes]:
    """What the good build holds: every case must leave it so."""
    return {name: read_output(base / "build" / name) for name in [*OUTPUTS, STAMPS, PARTS, REFERENCES]}


def _broken_copy(case: dict, base: Path, work: Path) -> Path:
    """A copy of the good project at work/project with the case's edits made; beside it,
    work/outside/ holds the secrets an edit may point at."""
    root = work / "project"
    shutil.copytree(base, root, symlinks=True)
    outside = work / "outside"
    outside.mkdir()
    (outside / "secret").write_text(SECRET + "\n", encoding="utf-8")
    shutil.copy(CORPUS / "files" / "svg-onload.svg", outside / "secret.svg")
    (outside / "secret.svg").write_text(
        (outside / "secret.svg").read_text(encoding="utf-8").replace("alert(1)", SECRET),
        encoding="utf-8")
    shutil.copy(CORPUS / "files" / "png-not-an-image.png", outside / "secret.png")
    _essay_folders(root)  # named before the edits change them
    for edit in case["edits"]:
        _apply(edit, root, outside)
    return root


def _make_targets(case: dict) -> list[str]:
    """`make` for every sampled case; `make pdf` and `make epub` too for a refused case
    that edits a stylesheet (one may concern one edition only) and for the first refused
    content case."""
    refused = [c for c in MAKE_SAMPLE if c["exit"] == 1]
    stylesheet = any(edit["file"].startswith("styles/") for edit in case["edits"])
    if case["exit"] == 1 and (stylesheet or case is refused[0]):
        return ["all", "pdf", "epub"]
    return ["all"]


@functools.cache
def _essay_folders(root: Path) -> dict[str, str]:
    """{E1}: the first essay's folder; {EF}: the first with a figure (before any edit)."""
    folders = sorted(p for p in (root / "content" / "essays").iterdir() if p.is_dir())
    with_figure = next(p for p in folders if any(p.glob("*.svg")))
    return {"{E1}": str(folders[0].relative_to(root)), "{EF}": str(with_figure.relative_to(root))}


def _expand(text: str, root: Path, outside: Path) -> str:
    for placeholder, value in _essay_folders(root).items():
        text = text.replace(placeholder, value)
    return text.replace("{outside}", str(outside))


def _apply(edit: dict, root: Path, outside: Path) -> None:
    pattern = _expand(edit["file"], root, outside)
    paths = sorted(root.glob(pattern)) if "*" in pattern else [root / pattern]
    assert paths, f"no file matches {pattern}"
    for path in paths:
        _apply_one(edit, path, root, outside)


def _apply_one(edit: dict, path: Path, root: Path, outside: Path) -> None:  # noqa: C901
    def text(key):
        return _expand(edit[key], root, outside)

    if "copy" in edit or "write" in edit:
        path.parent.mkdir(parents=True, exist_ok=True)  # a new folder, e.g. a stray one
    if "copy" in edit:
        path.unlink(missing_ok=True)
        shutil.copy(CORPUS / edit["copy"], path)
    if "symlink" in edit:
        target = text("symlink")
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(target)
    if edit.get("delete"):
        path.unlink()
    if "write" in edit:
        path.write_bytes(text("write").encode())
    if "write_repeat" in edit:
        unit, count = edit["write_repeat"]
        path.write_bytes(unit.encode() * count)
    data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    if "replace" in edit:
        old, new = (_expand(t, root, outside).encode() for t in edit["replace"])
        assert old in data, f"{old!r} is not in {path}"
        data = data.replace(old, new, 1)
    if "replace_line_starting" in edit:
        start, new = (_expand(t, root, outside) for t in edit["replace_line_starting"])
        lines = data.decode().split("\n")
        n = next(i for i, line in enumerate(lines) if line.startswith(start))
        lines[n] = new
        data = "\n".join(lines).encode()
    if "replace_bytes" in edit:
        old, new = edit["replace_bytes"]
        assert old.encode() in data, f"{old!r} is not in {path}"
        data = data.replace(old.encode(), bytes.fromhex(new), 1)
    if "prepend" in edit:
        data = text("prepend").encode() + data
    if "append" in edit:
        data = data + text("append").encode()
    if "append_repeat" in edit:
        unit, count = edit["append_repeat"]
        data = data + unit.encode() * count
    if "reencode" in edit:
        data = data.decode().encode(edit["reencode"])
    if edit.get("crlf"):
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if edit.get("bom"):
        data = b"\xef\xbb\xbf" + data
    if data is not None and data != path.read_bytes():
        path.write_bytes(data)


def _where(case: dict, root: Path) -> str:
    where = _expand(case["where"], root, Path("/nonexistent"))
    file = where.split(":", 1)[0]

    def position(match):
        kind, needle = match.group(1), match.group(2)
        lines = (root / file).read_text(encoding="utf-8", errors="replace").split("\n")
        n = next(i for i, line in enumerate(lines) if needle in line)
        return str(n + 1) if kind == "line_of" else str(lines[n].index(needle) + 1)

    return re.sub(r"\{(line_of|col_of):(.+?)\}", position, where)


# --- the test ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input(case, base_build, tmp_path):
    root = _broken_copy(case, base_build, tmp_path)
    result = _run(root, case.get("command", "validate"))
    shown = f"\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr[-3000:]}"

    assert result.returncode == case["exit"], shown
    assert "Traceback" not in result.stderr, shown
    assert SECRET not in result.stderr + result.stdout, "a secret leaked into a message"
    if case.get("code"):
        kind = "warning" if case["code"] in WARNINGS else "error"
        assert f"{kind} {case['code']}:" in result.stderr, shown
        if case.get("where"):
            where = _where(case, root)
            pattern = re.escape(where) + rf"(:\d+)*: {kind} {case['code']}:"
            assert re.search(pattern, result.stderr), f"expected at {where}" + shown
        for line in result.stderr.splitlines():
            if code := re.search(r"(?:error|warning) (B\d{3}):", line):
                from booklet.errors import CODES
                assert code.group(1) in CODES, line
    if case["exit"] == 1:
        assert "nothing in build/ was replaced" in result.stderr, shown

    # The previous booklet is untouched: same bytes, and nothing else left beside it.
    # (A successful build of input that is only normalised must give the same bytes too.)
    build = root / "build"
    assert sorted(p.name for p in build.iterdir()) == sorted([*OUTPUTS, STAMPS, PARTS, REFERENCES]), \
        "stray files in build/"
    for name, data in _before(base_build).items():
        if name in (STAMPS, PARTS, REFERENCES) and case["exit"] == 0:
            # New input bytes (a BOM dropped …) are recorded, and the parts' index says
            # what this build laid out (the formatted entries, which it used); the
            # outputs are not new.
            continue
        assert read_output(build / name) == data, f"build/{name} changed"
        assert SECRET.encode() not in data


@pytest.mark.parametrize("case", MAKE_SAMPLE, ids=[c["name"] for c in MAKE_SAMPLE])
def test_bad_input_through_make(case, base_build, tmp_path):
    """The editor runs make, not booklet: the same refusal, and a refused build leaves
    build/ as it was (make once deleted the EPUB of every refused build)."""
    edited = _broken_copy(case, base_build, tmp_path)
    make_root = with_make(tmp_path / "via-make")
    for part in ("content", "styles", "build"):
        shutil.copytree(edited / part, make_root / part, symlinks=True)
    build = make_root / "build"
    for target in _make_targets(case):
        result = run_make(make_root, *([target] if target != "all" else []),
                          env={"SOURCE_DATE_EPOCH": EPOCH})
        shown = f"\n--- make {target}\n{result.stdout[-2000:]}\n--- stderr\n{result.stderr[-3000:]}"
        assert "Traceback" not in result.stderr, shown
        assert SECRET not in result.stderr + result.stdout, "a secret leaked into a message"
        if case["exit"] == 1:
            assert result.returncode == 2, shown  # make's own code for a failed recipe
            assert f"error {case['code']}:" in result.stderr, shown
            assert "nothing in build/ was replaced" in result.stderr, shown
        else:
            assert result.returncode == 0, shown
    assert sorted(p.name for p in build.iterdir()) == sorted([*OUTPUTS, STAMPS, PARTS, REFERENCES]), \
        "make left stray files in build/ or deleted an output"
    if case["exit"] == 1:
        for name, data in _before(base_build).items():
            assert read_output(build / name) == data, f"make changed build/{name}"


# --- the model and the fetcher, in-process ---------------------------------------------


def test_inline_html_whitelist_reaches_the_model(tmp_path):
    from booklet.content import load_booklet
    from booklet.content.body import plain_text

    root = copy_fixture(tmp_path)
    essay = sorted((root / "content" / "essays").iterdir())[0] / "essay.md"
    essay.write_text(essay.read_text(encoding="utf-8") + (
        "\nThe <abbr title=\"World Health Organization\">WHO</abbr> said "
        "<span lang=\"fr\">c’est <i>la</i> vie</span>, <b>note</b>, H<sub>2</sub>O, "
        "10<sup>th</sup><br/>and <em>so</em> <strong>on</strong>.\n"), encoding="utf-8")
    booklet = load_booklet(root / "content")
    last = booklet.essays[0].blocks[-1]
    assert last.kind == "paragraph"
    assert plain_text(last.children) == ("The WHO said c’est la vie, note, H2O, 10th and so on.")
    kinds = [node.kind for node in last.children]
    assert kinds.count("em") == 1 and kinds.count("strong") == 2 and "break" in kinds
    # <span lang="fr"> keeps its language, and the <i> inside it
    (french,) = [n for n in last.children if n.kind == "lang"]
    assert french.lang == "fr" and french.direction == ""
    assert plain_text(french.children) == "c’est la vie"
    span_em = [n for n in french.children if n.kind == "em"]
    assert plain_text(span_em[0].children) == "la"


def test_fetcher_refuses_everything_outside_the_roots(tmp_path):
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError, fetch

    from booklet.engine.fetcher import SandboxedFetcher
    from booklet.write.sandbox import ResourceRefused

    allowed = tmp_path / "styles"
    allowed.mkdir()
    (allowed / "ok.css").write_text("p {}", encoding="utf-8")
    (allowed / "link.css").symlink_to("/etc/passwd")
    (tmp_path / "secret").write_text(SECRET, encoding="utf-8")
    fetcher = SandboxedFetcher([allowed])
    with fetch(fetcher, (allowed / "ok.css").as_uri()) as response:
        assert response.read() == b"p {}"
    refused = ["file:///etc/passwd", (allowed / "link.css").as_uri(),
               (allowed / ".." / "secret").as_uri(), f"file://{allowed}/../secret",
               f"file://{allowed}/%2e%2e/secret", "http://127.0.0.1/", "https://example.org/x.css",
               "ftp://127.0.0.1/x", "data:text/css,p{}", f"file://otherhost{allowed}/ok.css",
               f"file://{allowed}/nul%00byte", f"file://{allowed}/missing.css"]
    for url in refused:
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)
        with pytest.raises(FatalURLFetchingError):  # what WeasyPrint sees: the build stops
            with fetch(fetcher, url):
                pass
    assert len(fetcher.refused) == 2 * len(refused)
    assert all(r.startswith("refused to read") for r in fetcher.refused)
    # GHSA-35jj-wx47-4w8r: attachments are fetched through the same door, and refused.
    for markup in ('<link rel="attachment" href="file:///etc/passwd">',
                   '<p><a rel="attachment" href="../secret">the secret</a></p>'):
        document = HTML(string=f"<html><head>{markup}</head><body><p>x</p></body></html>",
                        base_url=allowed.as_uri() + "/", url_fetcher=fetcher)
        with pytest.raises(FatalURLFetchingError):
            document.write_pdf()


def test_a_small_png_figure_is_accepted(tmp_path):
    from PIL import Image

    from booklet.content.figure_files import check_figure_file

    path = tmp_path / "figure.png"
    Image.new("RGB", (40, 30), "white").save(path)
    assert check_figure_file(path) == []
    jpeg = tmp_path / "figure.jpg"
    Image.new("RGB", (40, 30), "white").save(jpeg, "JPEG")
    assert check_figure_file(jpeg) == []
    misnamed = tmp_path / "photo.jpg"
    shutil.copy(path, misnamed)
    assert [p.code for p in check_figure_file(misnamed)] == ["B222"]


def test_every_code_has_an_explanation():
    from booklet.errors import CODES

    source = "\n".join(p.read_text(encoding="utf-8")
                       for p in (HERE.parent / "src" / "booklet").rglob("*.py"))
    used = set(re.findall(r"\"(B\d{3})\"", source))
    assert used <= set(CODES), used - set(CODES)
