"""Word recall: how much of a source text survives, in order, in an output."""

from __future__ import annotations

from difflib import SequenceMatcher


def recall(source: list[str], output: list[str]) -> float:
    """The share of `source` words found in `output` in the same order."""
    matcher = SequenceMatcher(None, source, output, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    return kept / len(source)
