"""`booklet --version` and `booklet explain`: the editor can look a code up."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import pytest

from booklet.errors import CODES, Problem
from booklet.explain import EXPLANATIONS, explanation, main as explain_main
from conftest import run_booklet

ROOT = Path(__file__).resolve().parent.parent


def test_version(tmp_path):
    result = run_booklet(tmp_path, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"booklet {version('booklet')}\n"
    assert re.fullmatch(r"booklet \d+\.\d+\.\d+\n", result.stdout)


def test_every_code_has_an_explanation():
    assert list(EXPLANATIONS) == list(CODES)  # the same codes, in the same order
    for code in CODES:
        text = explanation(code)
        lines = text.split("\n")
        assert lines[0] == f"{code}: {CODES[code]}"  # the one-liner, as it is
        assert lines[1] == ""
        assert 2 <= len(lines) - 2 <= 6, (code, text)
        assert all(len(line) <= 88 for line in lines[2:]), (code, text)
        assert "For example:" in " ".join(text.split()) and "\nRead more: " in text, code


@pytest.mark.parametrize("code", list(CODES))
def test_read_more_names_a_real_section(code):
    more = EXPLANATIONS[code][3]
    readme = "content/README.md" if more.startswith("content/README.md") else "README.md"
    assert more.startswith(readme), more
    if not (ROOT / readme).is_file():  # an editor may have replaced content/ whole
        pytest.skip(f"{readme} is not in this project")
    text = (ROOT / readme).read_text(encoding="utf-8")
    headings = [line.lstrip("#").strip().strip("`") for line in text.split("\n")
                if line.startswith("## ")]
    named = re.findall(r'"([^"]+)"', more)
    assert named, more
    for name in named:
        assert name in headings or name in text, f"{readme} has no {name!r}"


def test_explain_a_code(tmp_path):
    result = run_booklet(tmp_path, "explain", "B101")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("B101: malformed YAML or front matter\n")
    assert "Writing YAML" in result.stdout
    lower = run_booklet(tmp_path, "explain", "b101")  # as an editor may type it
    assert lower.returncode == 0 and lower.stdout == result.stdout


def test_explain_every_code_mentions_it(capsys):
    for code in CODES:
        assert explain_main(code) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"{code}: "), out


def test_explain_lists_the_codes(tmp_path):
    result = run_booklet(tmp_path, "explain")
    assert result.returncode == 0, result.stderr
    for code, summary in CODES.items():
        assert f"{code}  {summary}\n" in result.stdout


def test_explain_an_unknown_code(tmp_path):
    result = run_booklet(tmp_path, "explain", "B999")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "'B999' is not one of booklet's error codes" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_message_ends_with_the_explain_hint():
    for problem in (Problem("B200", "unknown citation key 'x'", Path("essay.md"), 3, 4,
                            hint="correct the key"),
                    Problem("B202", "never cited", warning=True)):
        last = str(problem).split("\n")[-1]
        assert last == f"    more: run .venv/bin/booklet explain {problem.code}"
