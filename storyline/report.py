"""The report: report.json (CONTRACT section 2), its schema check, report.md and (via html_report) report.html."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import StorylineError
from .model import SCHEMA_VERSION

FORMATS = ("json", "md", "html")


@functools.lru_cache(maxsize=1)
def report_schema() -> dict[str, Any]:
    """The packaged JSON Schema of report.json."""
    text = resources.files("storyline").joinpath("schema/report.schema.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


class ReportInvalid(StorylineError):
    """A report broke the contract (a bug in Storyline, not in the input)."""


def validate_report(report: Mapping[str, Any]) -> None:
    """Check the schema, offsets and id uniqueness; raise ReportInvalid with every problem found."""
    import jsonschema

    problems = [
        f"{'/'.join(str(p) for p in err.absolute_path)}: {err.message}"
        for err in jsonschema.Draft202012Validator(report_schema()).iter_errors(report)
    ]
    if problems:  # the offset checks below rely on the shape the schema guarantees
        raise ReportInvalid("report does not meet the contract:\n" + "\n".join(problems[:20]))
    texts = {a["id"]: a["text"] for a in report.get("articles", [])}
    ids: list[str] = list(texts)
    for a in report.get("articles", []):
        for d in a["dates"]:
            problems += _span_problems(texts, a["id"], d, "date")
    for s in report.get("stories", []):
        ids.append(s["id"])
        for m in (m for e in s["entities"] for m in e["mentions"]):
            problems += _span_problems(texts, m["article_id"], m, "mention")
        for c in s["claims"]:
            ids.append(c["id"])
            for v in c["values"]:
                problems += _span_problems(texts, v["article_id"], v, "claim value")
        for q in s["quotes"]:
            ids.append(q["id"])
            for v in q["versions"]:
                problems += _span_problems(texts, v["article_id"], v, "quote")
        for aid in s["article_ids"]:
            if aid not in texts:
                problems.append(f"story {s['id']} names unknown article {aid}")
    entity_ids = {e["id"] for s in report.get("stories", []) for e in s["entities"]}
    ids += sorted(entity_ids)
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        problems.append(f"ids used twice: {sorted(dupes)}")
    if problems:
        raise ReportInvalid("report does not meet the contract:\n" + "\n".join(problems[:20]))


def _span_problems(texts: Mapping[str, str], article_id: str, span: Mapping[str, Any], what: str) -> list[str]:
    text = texts.get(article_id)
    if text is None:
        return [f"{what} points to unknown article {article_id}"]
    start, end = span["start"], span["end"]
    if not (0 <= start <= end <= len(text)):
        return [f"{what} {start}:{end} outside article {article_id}"]
    if "text" in span and text[start:end] != span["text"]:
        return [f"{what} {start}:{end} in {article_id} reads {text[start:end]!r}, not {span['text']!r}"]
    return []


def _sources(report: Mapping[str, Any]) -> dict[str, str]:
    """How a report is named in a table: its outlet, else its title (cut at a word), else its id."""
    return {a["id"]: (a.get("source") or _label(a.get("title") or "") or a["id"]) for a in report["articles"]}


def _label(text: str, n: int = 48) -> str:
    if len(text) <= n:
        return text
    cut = text[: n - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:-") + "…"


_NUMBER_WORDS = frozenset(
    "a an one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand "
    "million billion dozen dozens hundreds thousands millions half nearly about almost more less over "
    "under some roughly around at least".split()
)


def _as_value(text: str) -> str:
    """A figure as written, minus the capital it had only for starting its sentence ("Two" -> "two")."""
    first, _, rest = text.partition(" ")
    if first[:1].isupper() and (first[1:].islower() or len(first) == 1) and first.casefold() in _NUMBER_WORDS:
        return first.casefold() + (" " + rest if rest else "")
    return text


def render_markdown(report: Mapping[str, Any]) -> str:
    """A report a person can read: per story, the account, the figures, the people, the sources."""
    arts = {a["id"]: a for a in report["articles"]}
    src = _sources(report)
    lines = ["# Storyline report", ""]
    lines.append(f"{len(report['articles'])} reports, {len(report['stories'])} stories.")
    lines.append("")
    for s in report["stories"]:
        names = {e["id"]: e["name"] for e in s["entities"]}
        lines += [f"## {s['id']}: {s['title']}", ""]
        lines.append(f"Reports: {', '.join(f'{a} ({src[a]})' for a in s['article_ids'])}")
        lines.append("")
        if s["summary"]:
            lines += ["### Account", ""]
            for sent in s["summary"]:
                cite = ", ".join(sent["supported_by"])
                contra = f"; contradicted by {', '.join(sent['contradicted_by'])}" if sent["contradicted_by"] else ""
                lines.append(f"- {sent['text']} [{cite}{contra}]")
            lines.append("")
        if s["claims"]:
            lines += ["### Figures", "", "| status | what | values |", "|---|---|---|"]
            for c in s["claims"]:
                vals = "; ".join(
                    f"{_as_value(v['text'])} ({src[v['article_id']]}{', as of ' + v['as_of'] if v['as_of'] else ''})"
                    for v in c["values"]
                )
                lines.append(f"| {c['status']} | {_cell(c['description'])} | {_cell(vals)} |")
            lines.append("")
        if s["timeline"]:
            lines += ["### Timeline", ""]
            for ev in s["timeline"]:
                lines.append(f"- **{ev['date']}** {ev['description']} [{', '.join(ev['article_ids'])}]")
            lines.append("")
        if s["quotes"]:
            lines += ["### Quotes", ""]
            for q in s["quotes"][:12]:
                who = names.get(q["speaker"] or "", "unattributed")
                lines.append(f"- {who} ({q['status']}, {len(q['versions'])} version(s)): \u201c{_short(q['versions'][0]['text'])}\u201d")
            lines.append("")
        people = [e for e in s["entities"] if e["type"] in ("PERSON", "ORG") and (e["aliases"] or len(e["mentions"]) > 1)]
        if people:
            lines += ["### People and organisations", ""]
            for e in people[:25]:
                alias = f" (also: {', '.join(e['aliases'])})" if e["aliases"] else ""
                lines.append(f"- {e['name']} [{e['type']}]{alias}: {len(e['mentions'])} mentions")
            lines.append("")
        lines += ["### Sources", ""]
        if "independent_sources" in s:
            lines += [f"Independent sources: {s['independent_sources']} (copies, rewrites and translations count once).", ""]
        lines += ["| report | source | published | relation | garble |", "|---|---|---|---|---|"]
        prov = {p["article_id"]: p for p in s["provenance"]}
        for aid in s["article_ids"]:
            p = prov.get(aid)
            rel = p["relation"] + (f" of {p['derived_from']}" if p and p["derived_from"] else "") if p else ""
            a = arts[aid]
            lines.append(
                f"| {aid} | {_cell(src[aid])} | {a['published_at'] or 'unknown'} | {rel} | {a['quality']['garble']:.2f} |"
            )
        lines.append("")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _short(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _write(path: Path, text: str) -> None:
    """Write whole or not at all: a crash or a full disk never leaves half a report behind."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_outputs(report: Mapping[str, Any], out_dir: str | Path, formats: Iterable[str] = ("json", "md")) -> list[Path]:
    """Write report.json and the other requested formats; returns the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    fmts: Sequence[str] = list(dict.fromkeys(["json", *formats]))
    for fmt in fmts:
        if fmt == "json":
            path = out / "report.json"
            _write(path, json.dumps(report, ensure_ascii=False, indent=1))
        elif fmt == "md":
            path = out / "report.md"
            _write(path, render_markdown(report))
        elif fmt == "html":
            from .html_report import render_html

            path = out / "report.html"
            _write(path, render_html(report))
        else:
            raise StorylineError(f"unknown report format {fmt!r} (available: {', '.join(FORMATS)})")
        written.append(path)
    return written


def empty_report() -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "articles": [], "stories": []}
