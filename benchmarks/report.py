"""The speed targets and the printed table, computed from bench.json's numbers.

Pure functions of the results dict, so that they can be checked without a build
(tests/test_bench.py). A ratio against the peer, or of an edit to a cold build, is the
median of the per-run ratios of runs taken side by side, not a ratio of two medians:
this machine's speed drifts by a third over minutes, and a pair shares its minute.
"""

from __future__ import annotations

import statistics

# name: (what, limit, stretch, strict); limit None: reported for information, no target.
# A value meets its target when it is <= limit (< limit when strict).
TARGETS = {
    "cold_standard_vs_peer": ("cold standard edition (PDF + EPUB) ÷ peer", 1.0, 0.7, False),
    "cold_all_vs_peer": ("cold build of every edition ÷ peer", None, None, False),
    "cold_standard_vs_peer_a5": ("cold standard edition ÷ peer with print.css (A5, same "
                                 "typeface)", None, None, False),
    "edit_standard_vs_cold": ("one-essay edit ÷ cold build, standard edition", 0.5, None, False),
    "edit_all_vs_cold": ("one-essay edit ÷ cold build, every edition", None, None, False),
    "watch_standard_edit_s": ("`booklet watch pdf epub`: one-essay edit, write → rebuilt (s)",
                              1.0, None, False),
    "watch_all_edit_s": ("`booklet watch` (every edition): one-essay edit (s)",
                         None, None, False),
    "noop_make_s": ("no-op make, median (s)", 0.15, None, False),
    "anthology_time_per_page_ratio": ("anthology s/page ÷ small booklet s/page (standard "
                                      "edition, cold)", 1.0, None, False),
    "anthology_peak_rss_gib": ("anthology peak RSS of the process tree (GiB)", 1.5, None, True),
    "anthology_edit_s": ("anthology: one-essay edit, `booklet build pdf epub` (s)",
                         5.0, None, False),
    "anthology_watch_edit_s": ("anthology: one-essay edit in `booklet watch pdf epub` (s)",
                               None, None, False),
    "cores_cold_standard": ("CPU ÷ wall, cold standard edition (2.0 = both cores busy)",
                            None, None, False),
    "cores_cold_all": ("CPU ÷ wall, cold build of every edition", None, None, False),
    "cores_anthology": ("CPU ÷ wall, anthology cold build", None, None, False),
}


def stats(values: list[float]) -> dict:
    return {"min": min(values), "median": statistics.median(values), "max": max(values),
            "runs": len(values)}


def paired_ratio(numerators: list[float], denominators: list[float]) -> float:
    """The median of run-by-run ratios (the i-th numerator was timed next to the i-th
    denominator)."""
    if len(numerators) != len(denominators) or not numerators:
        raise ValueError("a paired ratio needs as many numerators as denominators, at least one")
    return statistics.median(n / d for n, d in zip(numerators, denominators))


def summarise(runs: list[dict]) -> dict:
    """Wall, CPU and memory of a series of runs of one command (measure.timed results)."""
    walls = [r["wall_s"] for r in runs]
    return {"wall_s": stats(walls),
            "cpu_s": statistics.median(r["cpu_s"] for r in runs),
            "cpu_per_wall": statistics.median(r["cpu_s"] / r["wall_s"] for r in runs),
            "others_cores": statistics.median(r.get("others_cores", 0.0) for r in runs),
            "peak_rss_mib": max(r["peak_rss_kib"] for r in runs) / 1024,
            "largest_process_mib": max(r["maxrss_kib"] for r in runs) / 1024,
            "walls": [round(w, 3) for w in walls]}


def verdict(value: float | None, limit: float | None, stretch: float | None = None,
            strict: bool = False) -> dict:
    """{met, stretch_met}: True/False against the limit, None if there is none (or no value)."""
    def meets(bound):
        if bound is None or value is None:
            return None
        return value < bound if strict else value <= bound
    return {"met": meets(limit), "stretch_met": meets(stretch)}


def target_values(results: dict) -> dict[str, float]:
    """Each target's measured value, for those the run measured."""
    values: dict[str, float] = {}
    paired = results.get("paired")
    if paired:
        walls = lambda series: [r["wall_s"] for r in series]  # noqa: E731
        peer = walls(paired["peer"]["pdf_and_epub"])
        peer_a5 = walls(paired["peer"]["pdf_a5_and_epub"])
        for edition in ("standard", "all"):
            cold, edit = walls(paired[edition]["cold"]), walls(paired[edition]["edit"])
            values[f"cold_{edition}_vs_peer"] = paired_ratio(cold, peer)
            values[f"edit_{edition}_vs_cold"] = paired_ratio(edit, cold)
            values[f"cores_cold_{edition}"] = statistics.median(
                r["cpu_s"] / r["wall_s"] for r in paired[edition]["cold"])
        values["cold_standard_vs_peer_a5"] = paired_ratio(walls(paired["standard"]["cold"]),
                                                          peer_a5)
    for edition in ("standard", "all"):
        watch = results.get("watch", {}).get(edition)
        if watch and watch.get("edits"):
            values[f"watch_{edition}_edit_s"] = statistics.median(
                e["latency_s"] for e in watch["edits"])
    if "make" in results:
        values["noop_make_s"] = results["make"]["noop"]["median"]
    big = results.get("anthology")
    if big:
        if paired:
            small = (statistics.median(walls(paired["standard"]["cold"]))
                     / paired["pages"]["standard"])
            values["anthology_time_per_page_ratio"] = (
                big["cold"]["wall_s"]["median"] / big["pages"]) / small
        values["anthology_peak_rss_gib"] = max(big["cold"]["peak_rss_mib"],
                                               big["edit"]["peak_rss_mib"]) / 1024
        values["anthology_edit_s"] = big["edit"]["wall_s"]["median"]
        values["cores_anthology"] = big["cold"]["cpu_per_wall"]
        if big.get("watch", {}).get("edits"):
            values["anthology_watch_edit_s"] = statistics.median(
                e["latency_s"] for e in big["watch"]["edits"])
    return values


def check_targets(results: dict) -> dict:
    targets = {}
    values = target_values(results)
    for name in (n for n in TARGETS if n in values):  # in TARGETS' order
        value = values[name]
        what, limit, stretch, strict = TARGETS[name]
        targets[name] = {"what": what, "value": round(value, 3), "limit": limit,
                         "stretch": stretch, "strict": strict,
                         **verdict(value, limit, stretch, strict)}
    for label, rebuild in results.get("make", {}).get("rebuilds", {}).items():
        targets[f"rebuild: {label}"] = {
            "what": f"make after '{label}' rewrites only what depends on it",
            "value": rebuild["rebuilt"], "limit": rebuild["expected"],
            "met": rebuild["rebuilt"] == rebuild["expected"], "stretch_met": None}
    return targets


def background_load(results: dict) -> float | None:
    """Median cores kept busy by other work during the paired runs, ours and the peer's."""
    paired = results.get("paired")
    if not paired:
        return None
    runs = [r for edition in ("standard", "all") for kind in ("cold", "edit")
            for r in paired[edition][kind]]
    runs += [r for series in paired["peer"]["runs"].values() for r in series]
    return statistics.median(r.get("others_cores", 0.0) for r in runs)


def target_line(target: dict) -> str:
    mark = {True: "met", False: "MISSED", None: "info"}[target["met"]]
    bound = ""
    if isinstance(target["limit"], list):
        bound = f" (expected {target['limit']})"
    elif target["limit"] is not None:
        sign = "<" if target.get("strict") else "≤"
        bound = f" (target {sign} {target['limit']}"
        if target.get("stretch") is not None:
            stretch = "met" if target["stretch_met"] else "missed"
            bound += f"; stretch ≤ {target['stretch']}: {stretch}"
        bound += ")"
    return f"  [{mark:>6}] {target['what']}: {target['value']}{bound}"


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def measurement_rows(results: dict) -> list[tuple[str, ...]]:
    def row(label: str, summary: dict, note: str = "") -> tuple[str, ...]:
        wall = summary["wall_s"]
        return (label, f"{wall['min']:.2f}", f"{wall['median']:.2f}",
                f"{summary['cpu_per_wall']:.2f}", f"{summary.get('others_cores', 0.0):.2f}",
                f"{summary['peak_rss_mib']:.0f}", note)

    rows = [("measurement", "min s", "median s", "cpu/wall", "others", "peak MiB", "note")]
    paired = results.get("paired")
    if paired:
        pages, peer = paired["pages"], paired["peer"]
        rows += [
            row("cold `booklet build pdf epub` (standard)", paired["summary"]["standard_cold"],
                f"{pages['standard']} pages, "
                f"{paired['summary']['standard_cold']['wall_s']['median'] / pages['standard']:.3f}"
                " s/page"),
            row("  then one-essay edit, rebuild", paired["summary"]["standard_edit"]),
            row("cold `booklet build` (every edition)", paired["summary"]["all_cold"],
                f"{len(paired['outputs'])} outputs"),
            row("  then one-essay edit, rebuild", paired["summary"]["all_edit"]),
            row("peer: pandoc EPUB", peer["summary"]["epub"], peer["pandoc"]),
            row("peer: pandoc HTML", peer["summary"]["html"]),
            row("peer: WeasyPrint HTML → PDF/UA-1", peer["summary"]["weasyprint_pdf_ua"],
                f"{pages['peer']} pages A4"),
            ("peer: PDF/UA-1 + EPUB (the divisor)", f"{peer['pdf_and_epub_stats']['min']:.2f}",
             f"{peer['pdf_and_epub_stats']['median']:.2f}", "", "", "", "sum of the three above"),
            ("peer with print.css: PDF/UA-1 + EPUB", f"{peer['pdf_a5_and_epub_stats']['min']:.2f}",
             f"{peer['pdf_a5_and_epub_stats']['median']:.2f}", "", "", "",
             f"{pages['peer_a5']} pages A5, like for like"),
        ]
    if "make" in results:
        noop = results["make"]["noop"]
        rows.append(("no-op `make`", f"{noop['min']:.3f}", f"{noop['median']:.3f}", "", "", "",
                     f"x{noop['runs']}"))
        for label, rebuild in results["make"]["rebuilds"].items():
            rows.append(row(f"`make` after: {label}", rebuild,
                            "rebuilt: " + (", ".join(rebuild["rebuilt"]) or "nothing")))
    for edition, label in (("standard", "`booklet watch pdf epub`"),
                           ("all", "`booklet watch` (every edition)")):
        watch = results.get("watch", {}).get(edition)
        if watch:
            rows.append(watch_row(label, watch))
    big = results.get("anthology")
    if big:
        rows += [row(f"anthology ({big['essays']} essays): cold `booklet build pdf epub`",
                     big["cold"], f"{big['pages']} pages, "
                     f"{big['cold']['wall_s']['median'] / big['pages']:.3f} s/page"),
                 row("  then one-essay edit, rebuild", big["edit"])]
        if big.get("watch"):
            rows.append(watch_row("  in `booklet watch pdf epub`", big["watch"]))
    return rows


def watch_row(label: str, watch: dict) -> tuple[str, ...]:
    edits = watch["edits"]
    if not edits:
        return (f"{label}: one-essay edit", "", "", "", "", "",
                watch.get("error", "no edit timed"))
    latency = [e["latency_s"] for e in edits]
    cores = statistics.median(e["cpu_s"] / e["latency_s"] for e in edits)
    others = statistics.median(e.get("others_cores", 0.0) for e in edits)
    reported = statistics.median(e["reported_s"] for e in edits)
    return (f"{label}: one-essay edit", f"{min(latency):.2f}",
            f"{statistics.median(latency):.2f}", f"{cores:.2f}", f"{others:.2f}",
            f"{watch['peak_rss_mib']:.0f}",
            f"write → 'rebuilt' line; watch's own count {reported:.2f} s; "
            f"first build {watch['first_build_s']:.2f} s")


def render(results: dict) -> str:
    parts = [table(measurement_rows(results)), "",
             "cpu/wall: CPU seconds of the whole process tree ÷ wall seconds (2.00 = both "
             "cores busy all along); others: cores kept busy meanwhile by other work on the "
             "machine; peak: summed RSS of the tree"]
    load = background_load(results)
    if load is not None and load > 0.25:
        parts += [f"WARNING: other work kept {load:.2f} of {results['machine']['cpus']} cores "
                  "busy during the paired runs (median): times are slower than on an idle "
                  "machine, the paired ratios less so."]
    parts += ["", "targets:"]
    parts += [target_line(t) for t in results["targets"].values()]
    if "profile" in results:
        parts += ["", f"where a cold standard build's time goes ({results['profile']['report']},"
                  " the main process only):"]
        parts += [f"  {seconds:6.2f} s  {stage}"
                  for stage, seconds in results["profile"]["stages_s"].items()]
    parts += ["", f"bench took {results['bench_s']:.0f} s"]
    return "\n".join(parts)
