"""The ``storyline`` command: a thin shell over :func:`storyline.pipeline.run_analysis`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from .errors import StorylineError
from .ingest import IngestOptions
from .report import FORMATS, write_outputs

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Cross-check news reports.")
err = Console(stderr=True, soft_wrap=True)  # messages are never broken mid-line


@app.callback()
def _root() -> None:
    """Storyline: group reports into stories and cross-check what they say."""


def summary_paragraph(report: dict[str, Any], result: Any) -> str:
    """One paragraph for stdout: what was read and what was found."""
    stories = report["stories"]
    statuses: dict[str, int] = {}
    for s in stories:
        for c in s["claims"]:
            statuses[c["status"]] = statuses.get(c["status"], 0) + 1
    biggest = max(stories, key=lambda s: len(s["article_ids"]), default=None)
    parts = [
        f"Read {result.articles_read} report(s) ({result.new_articles} new); "
        f"the store holds {len(report['articles'])} in {len(stories)} stor{'y' if len(stories) == 1 else 'ies'}."
    ]
    if biggest:
        parts.append(f"The largest, \u201c{biggest['title']}\u201d, has {len(biggest['article_ids'])} reports.")
    if statuses:
        parts.append(
            "Figures: "
            + ", ".join(f"{statuses.get(k, 0)} {k.replace('_', ' ')}" for k in ("conflict", "updated", "agreed", "single_source"))
            + "."
        )
    if result.problems:
        parts.append(f"{len(result.problems)} input(s) could not be used (listed on stderr).")
    return " ".join(parts)


@app.command()
def analyze(
    inputs: Annotated[list[str], typer.Argument(help="Files or folders of reports (txt, html, json, jsonl, warc).")],
    out: Annotated[Path, typer.Option("--out", help="Folder for report.json and other formats.")] = Path("storyline-out"),
    db: Annotated[str | None, typer.Option("--db", help="Persistent store (DuckDB file); re-runs add incrementally.")] = None,
    format: Annotated[str, typer.Option("--format", help=f"Comma-separated formats: {','.join(FORMATS)}.")] = "json,md",
    max_file_size: Annotated[float, typer.Option("--max-file-size", help="Largest input file to read, in MB.")] = 25.0,
    engine: Annotated[
        str, typer.Option("--engine", help="Where the steps run: local (this process) or spark (pip install 'storyline[spark]').")
    ] = "local",
    master: Annotated[
        str | None, typer.Option("--master", help="Spark master URL for --engine spark (default local[2]).")
    ] = None,
    changed_only: Annotated[
        bool,
        typer.Option(
            "--changed-only",
            help="With --db: report only the stories this run changed (the store's delta); "
            "adding a few reports to a large store then reads only what those stories need.",
        ),
    ] = False,
) -> None:
    """Analyse reports and write the cross-checked report."""
    from .pipeline import AnalyzeOptions, run_analysis

    formats = [f.strip() for f in format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        err.print(f"storyline: unknown format(s) {', '.join(unknown)} (available: {', '.join(FORMATS)})")
        raise typer.Exit(2)
    if engine not in ("local", "spark"):
        err.print(f"storyline: unknown engine {engine} (available: local, spark)", markup=False)
        raise typer.Exit(2)
    if master and engine != "spark":
        err.print("storyline: --master needs --engine spark", markup=False)
        raise typer.Exit(2)
    if changed_only and not db:
        err.print("storyline: --changed-only needs --db (it reports what a run changed in the store)", markup=False)
        raise typer.Exit(2)
    options = AnalyzeOptions(
        db=db, ingest=IngestOptions(max_file_bytes=int(max_file_size * 1_000_000)), engine=engine, master=master,
        changed_only=changed_only,
    )
    try:
        if sys.stderr.isatty():
            with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err) as bar:
                task = bar.add_task("starting", total=None)

                def tick(stage: str, done: int, total: int) -> None:
                    bar.update(task, description=stage, completed=done, total=total or None)

                result = run_analysis(inputs, options, progress=tick)
        else:
            result = run_analysis(inputs, options)
    except StorylineError as exc:
        err.print(f"storyline: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    for problem in result.problems:
        err.print(f"skipped {problem}", markup=False, highlight=False)
    if result.articles_read == 0:
        err.print("storyline: nothing usable was read from the inputs", markup=False)
        if not result.report["articles"]:
            raise typer.Exit(1)
    try:
        write_outputs(result.report, out, formats)
    except OSError as exc:
        where = exc.filename or out
        err.print(f"storyline: cannot write the report to {where}: {exc.strerror or exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    typer.echo(summary_paragraph(result.report, result))
    if result.articles_read == 0:
        raise typer.Exit(1)


@app.command()
def serve(
    db: Annotated[str, typer.Option("--db", help="The store (DuckDB file) that `analyze --db` writes.")],
    host: Annotated[str, typer.Option("--host", help="Address to bind; anything but loopback needs --token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None, typer.Option("--token", envvar="STORYLINE_TOKEN", help="Token every request must carry.")
    ] = None,
    max_upload: Annotated[float, typer.Option("--max-upload", min=0.001, help="Largest upload, in MB.")] = 20.0,
) -> None:
    """Serve the web app and JSON API over a store (http://127.0.0.1:8000 by default)."""
    try:
        import uvicorn

        from .web.app import Settings, create_app
    except ImportError as exc:
        err.print(f"storyline: serve needs the 'web' extra ({exc.name} is missing): pip install 'storyline[web]'")
        raise typer.Exit(2) from None
    if token is not None and len(token) < 8:
        err.print("storyline: --token must be at least 8 characters", markup=False)
        raise typer.Exit(2)
    if token is not None and not (token.isascii() and token.isprintable() and " " not in token):
        # HTTP headers carry Latin-1: a token outside printable ASCII could never be sent back.
        err.print("storyline: --token must be printable ASCII without spaces", markup=False)
        raise typer.Exit(2)
    settings = Settings(db=db, host=host, token=token, max_upload_bytes=int(max_upload * 1_000_000))
    try:
        web = create_app(settings)
    except StorylineError as exc:
        err.print(f"storyline: {exc}", markup=False, highlight=False)
        raise typer.Exit(2 if "token" in str(exc) else 1) from None
    shown = f"[{host}]" if ":" in host else host
    err.print(f"Serving {db} on http://{shown}:{port} (Ctrl+C stops)", markup=False, highlight=False)
    try:
        uvicorn.run(web, host=host, port=port, log_level="warning", proxy_headers=False, server_header=False)
    except OSError as exc:
        err.print(f"storyline: cannot listen on {host}:{port}: {exc.strerror or exc}", markup=False)
        raise typer.Exit(1) from None


def main() -> None:
    app()
