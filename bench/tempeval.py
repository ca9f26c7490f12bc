"""Score storyline.temporal.extract_dates on TempEval-3 (TBAQ-cleaned) gold TIMEX3 annotation.

    python bench/tempeval.py            # all documents
    python bench/tempeval.py --limit 20 --show 10

Reads ../shared/data/tempeval3/TBAQ-cleaned/{TimeBank,AQUAINT}/*.tml (read only;
exits cleanly if absent). For each document the text inside <TEXT> is stripped
of its tags (gold TIMEX3 spans are kept as offsets) and the document creation
time (DCT) is the anchor. Prints, per corpus and overall:

- strict span P/R/F1 (exact offsets) and relaxed P/R/F1 (any overlap, one-to-one);
- value accuracy over relaxed matches (exact string match with the gold value,
  and "day match": the first 10 characters agree), and type accuracy.

The gold DCT itself (outside <TEXT>) is not scored. TimeML habits we do not
follow on purpose (PRESENT_REF/PAST_REF for "now"/"recently", part-of-day
suffixes such as "TNI", "XXXX" placeholders) count as value misses here.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyline.temporal import extract_dates  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "tempeval3" / "TBAQ-cleaned"
_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class Gold:
    start: int
    end: int
    text: str
    type: str
    value: str


def parse_tml(raw: str) -> tuple[str, str | None, list[Gold]]:
    """(plain text of <TEXT>, DCT date, gold TIMEX3s with offsets into the plain text)."""
    dct_m = re.search(r"<DCT>.*?value=\"([^\"]+)\"", raw, re.S)
    dct = dct_m.group(1)[:10] if dct_m else None
    body_m = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    body = body_m.group(1) if body_m else ""
    out: list[str] = []
    length = 0
    golds: list[Gold] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    pos = 0
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[pos : m.start()])
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, name, attrs = m.group(1), m.group(2), m.group(3)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(attrs)))
        elif open_timex is not None:
            start, a = open_timex
            golds.append(Gold(start, length, "", a.get("type", ""), a.get("value", "")))
            open_timex = None
    chunk = html.unescape(body[pos:])
    out.append(chunk)
    text = "".join(out)
    for g in golds:
        g.text = text[g.start : g.end]
    return text, dct, golds


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=0, help="score only the first N documents per corpus")
    ap.add_argument("--show", type=int, default=0, help="print N value errors")
    ap.add_argument("--missed", type=int, default=0, help="print N gold expressions nothing was found for")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"{DATA} not found; nothing to score.")
        return 0
    totals: dict[str, list[int]] = {}
    errors: list[str] = []
    missed: list[str] = []
    elapsed = 0.0
    chars = 0
    for corpus in ("TimeBank", "AQUAINT"):
        files = sorted((DATA / corpus).glob("*.tml"))
        if args.limit:
            files = files[: args.limit]
        t = totals.setdefault(corpus, [0] * 7)  # n_pred, n_gold, strict, relaxed, value, day, type
        for f in files:
            text, dct, golds = parse_tml(f.read_text(encoding="utf-8"))
            t0 = time.perf_counter()
            pred = extract_dates(text, f.stem, dct)
            elapsed += time.perf_counter() - t0
            chars += len(text)
            t[0] += len(pred)
            t[1] += len(golds)
            spans = {(g.start, g.end) for g in golds}
            t[2] += sum((p.start, p.end) in spans for p in pred)
            used: set[int] = set()
            for g in golds:
                if len(missed) < args.missed and not any(p.start < g.end and g.start < p.end for p in pred):
                    missed.append(f"{f.stem}: {g.text!r} = {g.value} ({g.type}) in ...{text[max(0, g.start - 40):g.end + 30]!r}")
            for p in pred:
                for k, g in enumerate(golds):
                    if k in used or not (p.start < g.end and g.start < p.end):
                        continue
                    used.add(k)
                    t[3] += 1
                    if p.value == g.value:
                        t[4] += 1
                    elif len(errors) < args.show:
                        errors.append(f"{f.stem}: {p.text!r} -> {p.value} (gold {g.text!r} = {g.value}, DCT {dct})")
                    if p.value and g.value and p.value[:10] == g.value[:10]:
                        t[5] += 1
                    if p.kind == g.type:
                        t[6] += 1
                    break
    grand = [sum(v[i] for v in totals.values()) for i in range(7)]
    print(
        f"{'corpus':10} {'pred':>5} {'gold':>5}  strict P/R/F1        relaxed P/R/F1       value  day   type"
        "   value P/R/F1 (TempEval-3: right value on a relaxed match)"
    )
    for name, v in list(totals.items()) + [("all", grand)]:
        sp, sr, sf = _prf(v[2], v[0], v[1])
        rp, rr, rf = _prf(v[3], v[0], v[1])
        acc = v[4] / v[3] if v[3] else 0.0
        day = v[5] / v[3] if v[3] else 0.0
        typ = v[6] / v[3] if v[3] else 0.0
        vp, vr, vf = _prf(v[4], v[0], v[1])
        print(
            f"{name:10} {v[0]:5d} {v[1]:5d}  {sp:.3f}/{sr:.3f}/{sf:.3f}  {rp:.3f}/{rr:.3f}/{rf:.3f}  "
            f"{acc:.3f}  {day:.3f} {typ:.3f}  {vp:.3f}/{vr:.3f}/{vf:.3f}"
        )
    if chars:
        print(f"speed: {chars / max(elapsed, 1e-9) / 1000:.0f} k chars/s")
    for e in errors:
        print("  ", e)
    if missed:
        print("missed:")
    for e in missed:
        print("  ", e)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
