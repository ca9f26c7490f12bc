"""Regenerate docs/reliability.md: run the fault, hostile-input, load and security tests and the load
bench, and write what is promised, which tests hold each promise, and the figures they measured.

    .venv/bin/python scripts/reliability.py            # about 5-10 minutes on 2 cores
    .venv/bin/python scripts/reliability.py --quick    # the load bench with 10 clients for 10 s

It exits non-zero (and still writes the document, marking what failed) when a test fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "reliability.md"
sys.path.insert(0, str(ROOT / "bench"))


@dataclass
class Group:
    key: str
    title: str
    promises: list[str]
    targets: list[str]
    extra: list[str] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    output: str = ""
    seconds: float = 0.0
    returncode: int = 0

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for case in self.cases:
            out[case["outcome"]] += 1
        return dict(out)


GROUPS = [
    Group(
        "faults", "Faults: killed runs, a busy, read-only or full store",
        [
            "A run killed with SIGKILL at any moment of ingest or analysis leaves a store that opens, keeps every "
            "article an earlier run reported stored, holds no duplicates, and the next run completes the work.",
            "A second process writing to a store in use is refused with a message that says so.",
            "A read-only store or a full disk gives a clear error, and what was stored stays intact.",
        ],
        ["tests/test_faults.py"],
    ),
    Group(
        "hostile", "Hostile and broken input",
        [
            "Every reader (text, HTML, JSON, JSON Lines, WARC) and every parser (cleaning, dates, quantities, "
            "quotes, names) takes arbitrary input without crashing, and every offset it gives is inside the text.",
            "Decompression bombs, huge single-line files, deeply nested JSON and HTML, NUL bytes, mixed encodings, "
            "right-to-left and combining characters are handled; limits (file size, article length) are settings, "
            "and what exceeds them is reported, not dropped silently.",
        ],
        ["tests/test_hostile_input.py", "tests/test_cleaning.py", "tests/test_quantities.py", "tests/test_quotes.py",
         "tests/test_temporal.py", "tests/test_names.py"],
        ["--hypothesis-show-statistics"],
    ),
    Group(
        "load", "Load and concurrency",
        [
            "`storyline serve` answers concurrent clients mixing reads and uploads without an error, and every "
            "accepted upload ends up in the store exactly once.",
            "Concurrent `storyline analyze` runs on one store either finish or fail with a clear message; "
            "nothing is lost or stored twice.",
        ],
        ["tests/test_load.py"],
    ),
    Group(
        "security", "Security of the web app and the HTML report",
        [
            "Untrusted text (reports, titles, sources, addresses, upload names, search words, paths, headers) "
            "reaches a page only escaped: no stored or reflected XSS, in pages, error pages or the HTML report.",
            "Every state-changing request needs the CSRF header and, when it has one, this server's Origin.",
            "No path or upload name reaches outside its folder; search words and filters are bound parameters "
            "matched literally (`%`, `_`, quotes, `;--` are plain characters).",
            "With a token set, every route needs exactly that token (compared in constant time); it is never "
            "written into a page, a header or the server's output.",
            "Every response carries a Content-Security-Policy with `frame-ancestors 'none'`, `nosniff`, "
            "`no-referrer` and `X-Frame-Options: DENY`.",
        ],
        ["tests/test_security.py", "tests/test_web_api.py", "tests/test_web_units.py", "tests/test_html_report.py"],
    ),
]


def run_group(group: Group, folder: Path) -> None:
    xml = folder / f"{group.key}.xml"
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={xml}",
           "-o", "junit_family=xunit1", *group.extra, *group.targets]
    print(f"== {group.title}: {' '.join(group.targets)}", flush=True)
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    group.seconds = time.monotonic() - started
    group.output, group.returncode = proc.stdout, proc.returncode
    summary = [line for line in proc.stdout.splitlines() if re.search(r"\d+ (passed|failed|error)", line)]
    print("  ", summary[-1] if summary else proc.stdout[-500:], flush=True)
    if xml.exists():
        group.cases = parse_junit(xml)


def parse_junit(path: Path) -> list[dict[str, Any]]:
    cases = []
    for case in ET.parse(path).getroot().iter("testcase"):
        outcome, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "failed"
                message = (child.get("message") or "").splitlines()[0][:300] if child.get("message") else ""
            elif child.tag == "skipped":
                outcome = "skipped"
        props = {p.get("name"): p.get("value") for p in case.iter("property")}
        file = case.get("file") or (case.get("classname", "").replace(".", "/") + ".py")
        cases.append({"file": file, "name": case.get("name", ""), "outcome": outcome, "message": message,
                      "seconds": float(case.get("time") or 0), "properties": props})
    return cases


def hypothesis_inputs(output: str) -> dict[str, int]:
    """Examples Hypothesis ran per test, from ``--hypothesis-show-statistics``."""
    tried: dict[str, int] = defaultdict(int)
    current = None
    for line in output.splitlines():
        head = re.match(r"^(tests/\S+::\S+):$", line.strip())
        if head:
            current = head.group(1)
            continue
        found = re.search(r"(\d+) passing, (\d+) failing, and (\d+) invalid", line)
        if found and current:
            tried[current] += int(found.group(1)) + int(found.group(2))
    return dict(tried)


def test_list(group: Group, keep: set[str] | None = None) -> list[str]:
    """One line per test function (only those named ``file::name`` in ``keep``, when given; the rest
    counted): parametrised cases counted, outcome shown."""
    by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    others: list[str] = []
    for case in group.cases:
        base = case["name"].split("[", 1)[0]
        if keep is not None and f"{case['file']}::{base}" not in keep:
            others.append(case["outcome"])
            continue
        by_name[(case["file"], base)].append(case["outcome"])
    lines = []
    if others:
        lines.append(f"- and {len(others)} other tests in these files: "
                     + ", ".join(f"{others.count(o)} {o}" for o in ("passed", "failed", "skipped") if others.count(o)))
    for (file, name), outcomes in sorted(by_name.items(), reverse=True):
        n = len(outcomes)
        state = "passed" if all(o == "passed" for o in outcomes) else ", ".join(
            f"{outcomes.count(o)} {o}" for o in ("passed", "failed", "skipped") if outcomes.count(o))
        cases = f" ({n} cases)" if n > 1 else ""
        lines.append(f"- `{file}::{name}`{cases}: {state}")
    return lines[::-1]


def load_table(s: dict[str, Any]) -> list[str]:
    rows = ["| request kind | requests | errors | p50 ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|---:|"]
    kinds = [*s["kinds"].items(), ("**all**", {"requests": s["requests"], "errors": s["errors"], **s["all"]})]
    for kind, k in kinds:
        rows.append(f"| {kind} | {k['requests']} | {k['errors']} | {k['p50_ms']} | {k['p95_ms']} | {k['p99_ms']} | {k['max_ms']} |")
    return rows


def lock_figures() -> tuple[int, int]:
    lock = ROOT / "requirements.lock"
    if not lock.exists():
        return 0, 0
    text = lock.read_text()
    return len(re.findall(r"^[A-Za-z0-9_.\-]+==", text, re.M)), text.count("--hash=sha256:")


def write_doc(groups: list[Group], load: dict[str, Any] | None, load_cmd: str, started: datetime, seconds: float) -> str:
    g = {group.key: group for group in groups}
    kills = [int(c["properties"]["kills"]) for c in g["faults"].cases if "kills" in c["properties"]]
    tried = hypothesis_inputs(g["hostile"].output)
    pins, hashes = lock_figures()
    failed = [c for group in groups for c in group.cases if c["outcome"] == "failed"]
    total = sum(len(group.cases) for group in groups)
    lines = [
        "# Reliability: what Storyline promises under faults, load and hostile input",
        "",
        "<!-- Generated by `python scripts/reliability.py`; do not edit by hand: edit the script. -->",
        "",
        f"Last regenerated {started:%Y-%m-%d %H:%M} UTC by `.venv/bin/python scripts/reliability.py` "
        f"in {seconds / 60:.1f} minutes, on {os.cpu_count()} CPUs, Python {platform.python_version()} "
        f"({platform.system()} {platform.machine()}). "
        + ("**Every test below passed.**" if not failed and load and load["ok"] else
           f"**{len(failed)} test(s) failed{'' if not load or load['ok'] else ' and the load bench failed'}** (see below)."),
        "",
        "## The figures",
        "",
        "| | |",
        "|---|---|",
        f"| SIGKILLs survived (run killed mid-way, store checked after each) | {sum(kills) if kills else 'not measured'} |",
        f"| Inputs tried by Hypothesis on the parsers (property-based tests) | {sum(tried.values()):,} in {len(tried)} tests |",
    ]
    if load:
        lines += [
            f"| Load held by `storyline serve` on loopback | {load['clients']} clients for {load['duration_s']:.0f} s: "
            f"{load['requests']:,} requests ({load['requests_per_s']}/s), {load['errors']} errors, "
            f"p99 {load['all']['p99_ms']:.0f} ms |",
            f"| Uploads during the load | {load['uploads_accepted']} accepted, {load['uploads_lost']} lost, "
            f"{load['uploads_duplicated']} stored twice, {load['jobs_failed']} jobs failed |",
        ]
    lines += [
        f"| Tests run for this page | {total}: {sum(c['outcome'] == 'passed' for g2 in groups for c in g2.cases)} passed, "
        f"{len(failed)} failed, {sum(c['outcome'] == 'skipped' for g2 in groups for c in g2.cases)} skipped |",
        f"| Dependencies pinned with hashes (`requirements.lock`) | {pins} packages, {hashes} sha256 hashes |",
        "",
    ]
    for group in groups:
        lines += [f"## {group.title}", "", "Promised:", ""]
        lines += [f"- {p}" for p in group.promises]
        lines += ["", f"Tested by (`pytest {' '.join(group.targets)}`, {group.seconds:.0f} s):", ""]
        keep = None
        if group.key == "hostile":  # the property-based tests and the hostile-input file; the rest counted
            keep = {name.split("[", 1)[0] for name in tried}
            keep |= {f"{c['file']}::{c['name'].split('[', 1)[0]}" for c in group.cases
                     if c["file"].endswith("test_hostile_input.py") or c["outcome"] == "failed"}
        lines += test_list(group, keep) or ["- (no test ran: see the command's output)"]
        lines.append("")
        if group.key == "faults" and kills:
            lines += [f"The kill test interrupted {sum(kills)} runs with SIGKILL at random moments (10 runs, a fixed "
                      "seed); after each the store opened, nothing reported stored was missing and nothing was "
                      "duplicated, and a final run completed the work.", ""]
        if group.key == "hostile" and tried:
            lines += ["Inputs Hypothesis generated per property (passing + failing examples):", "",
                      "| test | inputs |", "|---|---:|"]
            lines += [f"| `{name}` | {n:,} |" for name, n in sorted(tried.items())]
            lines.append("")
        if group.key == "load" and load:
            lines += [
                f"The full load bench (`{load_cmd}`) starts a real `storyline serve` on a store of the demo corpus "
                f"and runs {load['clients']} concurrent clients for {load['duration_s']:.0f} s, each picking at random "
                "the story list (page or API), a search (page, stories or articles), a story, an article, another API "
                "list, or an upload of a small unique `.txt` report. Afterwards it waits for every upload's job and "
                "looks each report up through the API: it must be there exactly once, and the article count must "
                "have grown by the number of accepted uploads.",
                "",
                f"Requests: {load['requests']:,} in {load['elapsed_s']} s ({load['requests_per_s']}/s), "
                f"errors {load['errors']}; uploads accepted {load['uploads_accepted']}, lost {load['uploads_lost']}, "
                f"duplicated {load['uploads_duplicated']}; articles {load['articles_before']} → {load['articles_after']}; "
                f"the ingestion queue drained {load['drain_s']} s after the load ended; server tracebacks "
                f"{load['server_errors']}.",
                "",
                *load_table(load),
                "",
                "Uploads are analysed by one background worker, one job at a time, with the same code as "
                "`analyze --db`; reads share the store meanwhile, which is why reads slow down while jobs run. "
                "Latencies are measured by the clients (in the same machine, which they share with the server).",
                "",
            ]
            if load["error_samples"]:
                lines += ["Errors seen:", "", *[f"- `{e}`" for e in load["error_samples"]], ""]
    lines += [
        "## Dependency pinning",
        "",
        "`make install` installs every dependency from `requirements.lock` with `pip install --require-hashes`: "
        "exact versions, and each file checked against its sha256 hash (all the files PyPI has for that version, "
        "so any platform's wheel verifies), then the project itself with `--no-deps`. The lock covers the "
        "project's dependencies, the `dev`, `web` and `spark` extras and the build requirements (setuptools, "
        "wheel). It was resolved for Python 3.11 on linux x86_64; spaCy's English model is pinned the same way "
        "in `requirements-model.txt`.",
        "",
        "To regenerate it after changing `pyproject.toml` (current pins are kept where they still fit; add "
        "`--upgrade` to the command in the Makefile to move to the newest versions), then run the tests:",
        "",
        "```",
        "make lock",
        "rm -rf .venv && make test",
        "```",
        "",
        "## Regenerating this page",
        "",
        "```",
        ".venv/bin/python scripts/reliability.py           # or: make reliability",
        "```",
        "",
        "It runs the test files named above (with `--hypothesis-show-statistics`) and the load bench, and "
        "rewrites this file. `--quick` runs the load bench with 10 clients for 10 s instead.",
        "",
    ]
    if failed:
        lines += ["## Failures in the last run", ""]
        lines += [f"- `{c['file']}::{c['name']}`: {c['message']}".rstrip(": ") for c in failed]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a 10-client, 10-second load bench")
    parser.add_argument("--clients", type=int, default=None)
    parser.add_argument("--duration", type=float, default=None)
    parser.add_argument("--out", type=Path, default=DOC)
    args = parser.parse_args(argv)
    clients = args.clients or (10 if args.quick else 50)
    duration = args.duration or (10.0 if args.quick else 60.0)
    started, t0 = datetime.now(UTC), time.monotonic()
    with tempfile.TemporaryDirectory(prefix="storyline-reliability-") as tmp:
        folder = Path(tmp)
        for group in GROUPS:
            run_group(group, folder)
        print(f"== load bench: {clients} clients for {duration:.0f} s", flush=True)
        import load as bench_load  # bench/load.py

        try:
            load = bench_load.run_load(clients, duration).summary()
            bench_load.print_summary(load)
        except Exception as exc:  # noqa: BLE001 - reported in the document
            print("load bench failed:", exc, flush=True)
            load = None
    load_cmd = f"python bench/load.py --clients {clients} --duration {duration:.0f}"
    text = write_doc(GROUPS, load, load_cmd, started, time.monotonic() - t0)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    ok = all(g.returncode == 0 for g in GROUPS) and load is not None and load["ok"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
