"""A bounded load test of ``storyline serve`` on loopback.

It builds a store from ``examples/`` (``storyline analyze --db``), starts a real ``storyline serve``
in a subprocess, and lets N concurrent clients mix reads (story list, search, story, article, the
other API lists) with uploads of small ``.txt`` reports for D seconds. Then it waits for every
accepted upload's job to finish and checks, through the API, that each uploaded report is in the
store exactly once. It prints the requests, errors and p50/p95/p99 latency per kind of request.

    .venv/bin/python bench/load.py                       # 50 clients for 60 s
    .venv/bin/python bench/load.py --clients 10 --duration 10 --json out.json

The figures depend on the machine; nothing here asserts a latency.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CSRF = {"X-Storyline-CSRF": "1"}
KINDS = ("list", "search", "story", "article", "api", "upload")
# How often each kind of request is chosen (uploads are the expensive, state-changing ones).
WEIGHTS = {"list": 20, "search": 15, "story": 20, "article": 20, "api": 20, "upload": 5}
SEARCH_WORDS = ["port", "water", "rate", "ardent", "council", "percent", "homes", "100%", "o'brien", "a_b", "ünï"]


def _storyline() -> list[str]:
    script = Path(sys.executable).parent / "storyline"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from storyline.cli import main; main()"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_store(folder: Path) -> Path:
    """A store holding the demo corpus, analysed by the real command."""
    db = folder / "store.duckdb"
    subprocess.run(
        [*_storyline(), "analyze", str(EXAMPLES), "--db", str(db), "--out", str(folder / "out"), "--format", "json"],
        check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    return db


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    base: str
    log: Path

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        return self.log.read_text(errors="replace")


def start_server(db: Path, folder: Path, *, max_upload_mb: float = 1.0, wait: float = 120.0) -> Server:
    port = _free_port()
    log = folder / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*_storyline(), "serve", "--db", str(db), "--port", str(port), "--max-upload", str(max_upload_mb)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"storyline serve exited ({proc.returncode}): {log.read_text(errors='replace')}")
        try:
            if httpx.get(server.base + "/api/stories?limit=1", timeout=5).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError("storyline serve did not answer in time")


@dataclass
class Results:
    clients: int
    duration: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: dict[str, int] = field(default_factory=lambda: {k: 0 for k in KINDS})
    error_samples: list[str] = field(default_factory=list)
    uploads: list[tuple[str, str]] = field(default_factory=list)  # (job id, marker)
    elapsed: float = 0.0
    articles_before: int = 0
    articles_after: int = 0
    drain_seconds: float = 0.0
    jobs_failed: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)

    def error(self, kind: str, what: str) -> None:
        self.errors[kind] += 1
        if len(self.error_samples) < 20:
            self.error_samples.append(f"{kind}: {what}")

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def total_errors(self) -> int:
        return sum(self.errors.values())

    @property
    def ok(self) -> bool:
        return not (self.total_errors or self.jobs_failed or self.lost or self.duplicated or self.server_errors)

    def summary(self) -> dict[str, Any]:
        every = [x for v in self.latencies.values() for x in v]
        kinds = {
            k: {"requests": len(v), "errors": self.errors[k], **percentiles(v)}
            for k, v in self.latencies.items() if v or self.errors[k]
        }
        return {
            "clients": self.clients, "duration_s": self.duration, "elapsed_s": round(self.elapsed, 1),
            "requests": self.requests, "errors": self.total_errors,
            "requests_per_s": round(self.requests / self.elapsed, 1) if self.elapsed else 0.0,
            "all": percentiles(every), "kinds": kinds,
            "uploads_accepted": len(self.uploads), "uploads_lost": len(self.lost),
            "uploads_duplicated": len(self.duplicated), "jobs_failed": len(self.jobs_failed),
            "articles_before": self.articles_before, "articles_after": self.articles_after,
            "drain_s": round(self.drain_seconds, 1), "server_errors": len(self.server_errors),
            "error_samples": self.error_samples + self.jobs_failed[:5] + self.server_errors[:5],
            "ok": self.ok,
        }


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {"p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99), "max_ms": round(1000 * ordered[-1], 1)}


def report_text(n: int, marker: str) -> bytes:
    """A small, unique report: a made-up council statement carrying ``marker``."""
    return (
        f"Harbour Council said on Monday that {100 + n % 900} boats were inspected in Port Ardent after the storm.\n"
        f"The inspection reference is {marker}, and a further {n % 50 + 2} vessels will be checked this week.\n"
    ).encode()


async def _catalog(client: httpx.AsyncClient) -> tuple[list[str], list[str]]:
    stories = (await client.get("/api/stories", params={"limit": 200})).json()["items"]
    articles = (await client.get("/api/articles", params={"limit": 200})).json()["items"]
    return [s["story_key"] for s in stories], [a["id"] for a in articles]


async def _client(
    n: int, client: httpx.AsyncClient, stop: float, res: Results, stories: list[str], articles: list[str], run: str,
) -> None:
    rng = random.Random(n)
    kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
    count = 0
    while time.monotonic() < stop:
        kind = rng.choices(kinds, weights)[0]
        html = rng.random() < 0.5
        count += 1
        marker = ""
        if kind == "list":
            req = client.build_request("GET", "/" if html else "/api/stories", params={"offset": rng.randrange(0, 3), "limit": 25})
        elif kind == "search":
            word = rng.choice(SEARCH_WORDS)
            path = rng.choice(["/", "/api/stories", "/api/articles"])
            req = client.build_request("GET", path, params={"q": word})
        elif kind == "story":
            key = rng.choice(stories)
            req = client.build_request("GET", f"/stories/{key}" if html else f"/api/stories/{key}")
        elif kind == "article":
            aid = rng.choice(articles)
            req = client.build_request("GET", f"/articles/{aid}" if html else f"/api/articles/{aid}")
        elif kind == "api":
            path = rng.choice(["/api/entities", "/api/claims", "/api/sources", "/api/jobs", "/add"])
            req = client.build_request("GET", path)
        else:
            marker = f"lm{run}c{n:03d}n{count:05d}"
            files = {"files": (f"report-{n}-{count}.txt", report_text(count, marker), "text/plain")}
            req = client.build_request("POST", "/api/jobs", files=files, headers=CSRF)
        started = time.perf_counter()
        try:
            resp = await client.send(req)
        except httpx.HTTPError as exc:
            res.error(kind, f"{req.method} {req.url.path}: {type(exc).__name__} {exc}")
            continue
        res.latencies[kind].append(time.perf_counter() - started)
        expected = 202 if kind == "upload" else 200
        if resp.status_code != expected:
            res.error(kind, f"{req.method} {req.url.path}: HTTP {resp.status_code} {resp.text[:200]}")
        elif kind == "upload":
            res.uploads.append((resp.json()["id"], marker))


async def _drain(client: httpx.AsyncClient, res: Results, timeout: float) -> None:
    pending = {job_id for job_id, _ in res.uploads}
    deadline = time.monotonic() + timeout
    started = time.monotonic()
    while pending and time.monotonic() < deadline:
        for job_id in list(pending):
            job = (await client.get(f"/api/jobs/{job_id}")).json()
            if job["status"] in ("done", "failed"):
                pending.discard(job_id)
                if job["status"] == "failed" or job["articles_read"] != 1:
                    res.jobs_failed.append(f"job {job_id}: {job['status']} {job.get('error')} {job.get('problems')}")
        if pending:
            await asyncio.sleep(0.5)
    res.drain_seconds = time.monotonic() - started
    res.jobs_failed += [f"job {job_id}: not finished after {timeout:.0f} s" for job_id in sorted(pending)]


async def _run(base: str, clients: int, duration: float, drain_timeout: float) -> Results:
    res = Results(clients=clients, duration=duration)
    run = uuid.uuid4().hex[:6]
    # Idle connections are dropped by the client after 2 s, before uvicorn closes them (after 5 s): with
    # equal timeouts a request sent on a connection the server is closing fails (as a ReadError).
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=2.0)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        stories, articles = await _catalog(client)
        res.articles_before = (await client.get("/api/articles", params={"limit": 1})).json()["total"]
        started = time.monotonic()
        stop = started + duration
        await asyncio.gather(*(_client(n, client, stop, res, stories, articles, run) for n in range(clients)))
        res.elapsed = time.monotonic() - started
        await _drain(client, res, drain_timeout)
        for _, marker in res.uploads:
            found = (await client.get("/api/articles", params={"q": marker})).json()["total"]
            if found == 0:
                res.lost.append(marker)
            elif found > 1:
                res.duplicated.append(marker)
        res.articles_after = (await client.get("/api/articles", params={"limit": 1})).json()["total"]
        if res.articles_after != res.articles_before + len(res.uploads):
            res.lost.append(
                f"the store holds {res.articles_after} articles, expected {res.articles_before} + {len(res.uploads)}"
            )
    return res


def run_load(clients: int = 50, duration: float = 60.0, *, folder: Path | None = None, drain_timeout: float = 900.0) -> Results:
    """Build a store, serve it, load it, check it; the server's log is checked for tracebacks too."""
    own = folder is None
    folder = Path(tempfile.mkdtemp(prefix="storyline-load-")) if own else folder
    try:
        db = build_store(folder)
        server = start_server(db, folder)
        try:
            res = asyncio.run(_run(server.base, clients, duration, drain_timeout))
        finally:
            log = server.stop()
        res.server_errors = [
            line for line in log.splitlines() if "Traceback" in line or line.lstrip().startswith(("ERROR", "CRITICAL"))
        ]
        return res
    finally:
        if own:
            shutil.rmtree(folder, ignore_errors=True)


def print_summary(summary: dict[str, Any]) -> None:
    s = summary
    print(f"storyline serve on loopback: {s['clients']} clients for {s['duration_s']:.0f} s "
          f"({os.cpu_count()} CPUs)")
    print(f"  requests {s['requests']} ({s['requests_per_s']}/s), errors {s['errors']}")
    print(f"  uploads accepted {s['uploads_accepted']}, lost {s['uploads_lost']}, duplicated {s['uploads_duplicated']}, "
          f"jobs failed {s['jobs_failed']}; articles {s['articles_before']} -> {s['articles_after']}; "
          f"queue drained {s['drain_s']} s after the load")
    print(f"  {'kind':<8} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, k in [*s["kinds"].items(), ("all", {"requests": s["requests"], "errors": s["errors"], **s["all"]})]:
        print(f"  {kind:<8} {k['requests']:>8} {k['errors']:>6} {k['p50_ms']:>8} {k['p95_ms']:>8} {k['p99_ms']:>8} {k['max_ms']:>8}")
    for line in s["error_samples"]:
        print("  !", line)
    print("  OK" if s["ok"] else "  FAILED")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    summary = run_load(args.clients, args.duration).summary()
    print_summary(summary)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
