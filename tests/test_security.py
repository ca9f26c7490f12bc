"""Security review of the web app and the HTML report, as regression tests.

Stored and reflected XSS, CSRF on every state-changing route, path traversal, SQL injection and
wildcards in search and filters, token handling and the security headers on every kind of response.
Everything runs against a real store served by a real uvicorn server on loopback.
"""

from __future__ import annotations

import inspect
import json
import os
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest

pytest.importorskip("fastapi", reason="the 'web' extra is not installed")
httpx = pytest.importorskip("httpx", reason="httpx is not installed")

from storyline.pipeline import AnalyzeOptions, run_analysis
from storyline.web.app import Settings, create_app
from storyline.web.guard import Guard
from storyline.web.server import background_server, free_port

ROOT = Path(__file__).resolve().parents[1]
CSRF = {"X-Storyline-CSRF": "1"}
PAYLOAD = "\"'><script>alert(1)</script><img src=x onerror=alert(2)><svg onload=alert(3)>"
TOKEN = "s3cret-Token-0123456789"

# Reports whose every field is hostile, plus words that are SQL or LIKE syntax.
HOSTILE = [
    {
        "id": "../../add", "title": f"Dam report {PAYLOAD}", "source": f"Gazette {PAYLOAD}",
        "url": "javascript:alert(4)", "published_at": "2024-03-01",
        "text": (
            "Harlow Valley officials said on Monday that the dam was 100% full and 300 homes were evacuated. "
            f"Engineer Siobhan O'Brien said the spillway held. {PAYLOAD} The council will meet on Friday."
        ),
    },
    {
        "id": "b?x=1#frag", "title": "Dam follow-up", "source": "Valley Courier",
        "url": 'https://example.org/a"onmouseover="alert(5)', "published_at": "2024-03-02",
        "text": (
            "Harlow Valley officials said on Tuesday that the dam was 90 percent full and 280 homes were evacuated. "
            "The gauge x_y read high; residents of Ünïonville returned home. The council will meet on Friday."
        ),
    },
    {
        "id": "plain-3", "title": "Dam reopening", "source": "Ledger",
        "url": "http://example.org/3", "published_at": "2024-03-03",
        "text": (
            "Harlow Valley officials said on Wednesday that 1000 sandbags and the xzy pump kept the dam safe. "
            "The council will meet on Friday; the road; -- closures end."
        ),
    },
]


class _Elements(HTMLParser):
    """Every element with its attributes, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "script" and not dict(attrs).get("src"):
            self.inline_scripts += 1


def assert_inert(html: str, *, inline_scripts: int = 0) -> None:
    """No element the page did not mean to have: no event handlers, no javascript: links, no foreign
    script, image or svg; only the app's own script (or the report's one inline script)."""
    parsed = _Elements()
    parsed.feed(html)
    for tag, attrs in parsed.elements:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action", "formaction"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:text", "vbscript:")), (tag, attrs)
        if tag == "script" and attrs.get("src"):
            assert attrs["src"].startswith("/static/"), attrs
        assert tag not in ("iframe", "object", "embed", "base"), tag
        if tag == "img":
            assert (attrs.get("src") or "").startswith(("/static/", "data:image/")), attrs
    assert parsed.inline_scripts <= inline_scripts
    assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html


def _wait(client, job_id: str) -> dict:
    deadline = time.monotonic() + 300  # a guard against hanging, not a performance assertion
    while True:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.3)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("security")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "hostile.json").write_text(json.dumps(HOSTILE), encoding="utf-8")
    path = root / "store.duckdb"
    result = run_analysis([str(corpus)], AnalyzeOptions(db=str(path)))
    assert result.new_articles == len(HOSTILE)
    return path


@pytest.fixture(scope="module")
def client(db: Path):
    with (
        background_server(Settings(db=str(db), max_upload_bytes=200_000)) as base,
        httpx.Client(base_url=base, timeout=60) as c,
    ):
        yield c


def _articles(client) -> list[dict]:
    items = client.get("/api/articles", params={"limit": 200}).json()["items"]
    return [client.get("/api/articles/" + quote(a["id"], safe="")).json() for a in items]


# --- XSS ---------------------------------------------------------------------------------------


def test_stored_xss_is_inert_on_every_page(client):
    articles = _articles(client)
    assert {a["id"] for a in articles} >= {h["id"] for h in HOSTILE}
    assert any(PAYLOAD in a["text"] for a in articles)  # stored as written ...
    stories = client.get("/api/stories").json()["items"]
    pages = ["/", "/?q=dam", "/add", "/docs"]
    pages += [f"/stories/{s['story_key']}" for s in stories]
    pages += ["/articles/" + quote(a["id"], safe="") for a in articles]
    pages += ["/articles/" + quote(a["id"], safe="") + "?cite=summary-0" for a in articles]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_inert(response.text)  # ... and shown only as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get("/articles/" + quote("../../add", safe="")).text


def test_the_html_report_of_a_hostile_story_is_inert(client):
    pytest.importorskip("storyline.html_report", reason="the HTML report is not part of this version")
    for story in client.get("/api/stories").json()["items"]:
        response = client.get(f"/stories/{story['story_key']}/report.html")
        assert response.status_code == 200
        assert_inert(response.text, inline_scripts=1)
        assert "script-src 'sha256-" in response.headers["content-security-policy"]


@pytest.mark.parametrize(
    "path, params",
    [
        ("/", {"q": PAYLOAD}),
        ("/", {"source": PAYLOAD}),
        ("/", {"date_from": PAYLOAD}),
        ("/", {"limit": PAYLOAD}),
        ("/stories/" + quote(PAYLOAD, safe=""), {}),
        ("/stories/" + quote(PAYLOAD, safe="") + "/report.html", {}),
        ("/articles/" + quote(PAYLOAD, safe=""), {}),
        ("/articles/plain-3", {"claim": PAYLOAD}),
        ("/articles/plain-3", {"hl": PAYLOAD}),
        ("/articles/plain-3", {"cite": PAYLOAD}),
        ("/no/such/" + quote(PAYLOAD, safe=""), {}),
        ("/static/" + quote(PAYLOAD, safe=""), {}),
    ],
)
def test_reflected_input_is_escaped_in_pages_and_error_pages(client, path, params):
    response = client.get(path, params=params)
    assert response.status_code in (200, 404, 422), response.status_code
    assert response.headers["content-type"].startswith("text/html")
    assert_inert(response.text)


@pytest.mark.parametrize(
    "path", ["/api/stories?q=" + quote(PAYLOAD), "/api/stories/" + quote(PAYLOAD, safe=""), "/api/jobs/" + quote(PAYLOAD, safe="")]
)
def test_reflected_input_in_the_api_is_json_never_html(client, path):
    response = client.get(path)
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    json.loads(response.text)


def test_guard_error_pages_escape_the_host_header(client):
    response = client.get("/", headers={"Host": "<script>alert(1)</script>"})
    assert response.status_code == 421
    assert "&lt;script&gt;" in response.text
    assert_inert(response.text)


def test_hostile_upload_file_names_are_inert_everywhere(client):
    name = f"{PAYLOAD}.txt"
    text = b"Harlow Valley officials said on Thursday that 12 pumps ran all night at the dam.\n" * 2
    response = client.post("/api/jobs", headers=CSRF, files={"files": (name, text, "text/plain")})
    assert response.status_code == 202
    job = _wait(client, response.json()["id"])
    assert job["status"] == "done"
    assert all("<" not in f and ">" not in f and "/" not in f for f in job["files"])
    assert_inert(client.get("/add").text)
    refused = client.post("/api/jobs", headers=CSRF, files={"files": (f"{PAYLOAD}.exe", b"MZ", "x/y")})
    assert refused.status_code == 400 and refused.headers["content-type"].startswith("application/json")


# --- CSRF ----------------------------------------------------------------------------------------


def _state_changing_routes(db: Path) -> list[tuple[str, str]]:
    app = create_app(Settings(db=str(db) + ".copy.duckdb"))
    routes = []
    for route in app.routes:
        for method in sorted(getattr(route, "methods", None) or ()):
            if method not in ("GET", "HEAD", "OPTIONS"):
                routes.append((method, route.path))
    app.state.jobs.close()
    app.state.store.close()
    return routes


def test_every_state_changing_route_refuses_cross_site_requests(client, db):
    routes = _state_changing_routes(db)
    assert ("POST", "/api/jobs") in routes and ("POST", "/login") in routes
    jobs_before = len(client.get("/api/jobs", params={"limit": 200}).json()["items"])
    form = {"text": "Harlow Valley officials said the dam was safe.", "token": "x"}
    for method, path in routes:
        # a cross-site form: no custom header, a foreign (or opaque) Origin
        for origin in ("https://attacker.example", "null", "http://127.0.0.1.attacker.example"):
            refused = client.request(method, path, data=form, headers={**CSRF, "Origin": origin})
            assert refused.status_code == 403, (method, path, origin)
        if path != "/login":  # signing in needs no header (it needs the token); everything else does
            refused = client.request(method, path, data=form)
            assert refused.status_code == 403 and "X-Storyline-CSRF" in refused.text, (method, path)
    # other methods on the API are refused the same way, before reaching any route
    for method in ("PUT", "DELETE", "PATCH"):
        assert client.request(method, "/api/jobs", data=form).status_code == 403
    assert len(client.get("/api/jobs", params={"limit": 200}).json()["items"]) == jobs_before


def _raw(client, head: str) -> tuple[int, dict[str, str], str]:
    """Send a hand-written request head (httpx will not send a body shorter than its Content-Length)."""
    url = urlsplit(str(client.base_url))
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head_bytes, _, body = data.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body.decode(errors="replace")


BIG_UPLOAD = (
    "POST /api/jobs HTTP/1.1\nHost: 127.0.0.1\nX-Storyline-CSRF: 1\nContent-Type: text/plain\n"
    "Content-Length: 1000000000\nConnection: close\n"
)


def test_request_bodies_need_a_declared_length_within_the_limit(client):
    status, headers, body = _raw(client, BIG_UPLOAD)
    assert status == 413 and "limit" in body
    assert "frame-ancestors 'none'" in headers["content-security-policy"]

    def chunks():
        yield b"text=hello"

    chunked = client.post("/api/jobs", headers={**CSRF, "Content-Type": "application/x-www-form-urlencoded"}, content=chunks())
    assert chunked.status_code == 411


# --- path traversal --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/..%5capp.py",
     "/static/%2e%2e%2f%2e%2e%2fstore.py", "/static//etc/passwd", "/static/%00app.js"],
)
def test_static_files_cannot_reach_outside_their_folder(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404), path
    assert "import" not in response.text and "root:" not in response.text


def test_upload_names_stay_inside_the_job_folder(client, db):
    uploads = db.with_name(db.name + ".uploads")
    names = ["../../../escape.txt", "..\\..\\win.txt", "/etc/passwd.txt", "..\uff0f..\uff0fwide.txt",
             "a\x00b.txt", ".hidden.txt", "CON.txt"]
    files = [
        ("files", (name, f"Harlow Valley officials said on Friday that pump {n} was checked.\n".encode() * 2, "text/plain"))
        for n, name in enumerate(names)
    ]
    before = {p for p in db.parent.rglob("*")}
    response = client.post("/api/jobs", headers=CSRF, files=files)
    assert response.status_code == 202, response.text
    job = _wait(client, response.json()["id"])
    assert job["status"] == "done" and len(job["files"]) == len(names) == len(set(job["files"]))
    folder = uploads / job["id"]
    created = {p for p in db.parent.rglob("*")} - before
    files_created = {p for p in created if p.is_file() and p.parent == folder}
    assert {p.name for p in files_created} == set(job["files"])
    # nothing else appeared anywhere but the job folder (and the store's own files)
    stray = [p for p in created if p.is_file() and folder not in p.parents and not p.name.startswith(db.name)]
    assert stray == []
    assert all(not name.startswith(".") and "/" not in name and "\\" not in name for name in job["files"])


def test_upload_names_never_overwrite_one_another(client, db):
    """Regression: a third 'a.txt' used to be saved as '2-a.txt', over an uploaded '2-a.txt', and an
    uploaded 'pasted-1.json' was overwritten by the pasted text: reports were lost."""
    def report(n: int) -> bytes:
        return f"Harlow Valley officials said on Saturday that {n} extra pumps {n * 7} litres were moved.\n".encode() * 2

    pasted_file = json.dumps({"title": "uploaded json", "text": report(4).decode()}).encode()
    files = [
        ("files", ("a.txt", report(1), "text/plain")),
        ("files", ("2-a.txt", report(2), "text/plain")),
        ("files", ("a.txt", report(3), "text/plain")),
        ("files", ("pasted-1.json", pasted_file, "application/json")),
    ]
    pasted = report(5).decode()
    response = client.post("/api/jobs", headers=CSRF, files=files, data={"text": pasted})
    assert response.status_code == 202, response.text
    job = _wait(client, response.json()["id"])
    assert job["status"] == "done", job
    assert len(job["files"]) == len(set(job["files"])) == 5
    folder = db.with_name(db.name + ".uploads") / job["id"]
    saved = [p.read_bytes() for p in folder.iterdir()]
    assert len(saved) == 5
    assert all(content in saved for content in (report(1), report(2), report(3), pasted_file))
    assert any(json.loads(content).get("text") == pasted for content in saved if content.startswith(b"{"))
    assert job["articles_read"] == 5 and job["new_articles"] == 5


def test_ids_that_look_like_paths_link_to_their_own_article(client):
    """Regression: links used to keep '/' in ids, so an id like '../../add' sent the reader (whose
    browser resolves dot segments) to another page instead of that article."""
    for story in client.get("/api/stories").json()["items"]:
        page = client.get(f"/stories/{story['story_key']}")
        parsed = _Elements()
        parsed.feed(page.text)
        for tag, attrs in parsed.elements:
            href = attrs.get("href") or ""
            if tag == "a" and "/articles/" in href:
                resolved = urljoin(str(page.url), href)  # as a browser resolves it
                assert urlsplit(resolved).path.startswith("/articles/"), href
    hostile = "/articles/" + quote("../../add", safe="")
    response = client.get(hostile)
    assert response.status_code == 200 and "Dam report" in response.text


# --- SQL injection and wildcards ---------------------------------------------------------------------


SEARCHES = ["%", "_", "100%", "0%", "x_y", "x%y", "'", "O'Brien", "o''brien", "\"", ";", ";--", "; --",
            "' OR '1'='1", "1; DROP TABLE articles; --", "\\", "[x]", "*", "Ünïonville", "ünï", "dam", "DAM",
            "\u202e", "\u0000", "%%", "__"]


@pytest.mark.parametrize("q", SEARCHES)
def test_search_is_literal_and_cannot_inject(client, q):
    articles = _articles(client)
    expected = {a["id"] for a in articles if q.lower() in (a["title"] or "").lower() or q.lower() in a["text"].lower()}
    found = client.get("/api/articles", params={"q": q, "limit": 200})
    assert found.status_code == 200, found.text
    assert {a["id"] for a in found.json()["items"]} == expected, q
    stories = client.get("/api/stories", params={"q": q})
    assert stories.status_code == 200
    if not expected:
        assert stories.json()["total"] == 0
    assert client.get("/", params={"q": q}).status_code == 200
    assert len(_articles(client)) == len(articles)  # nothing was dropped or changed


@pytest.mark.parametrize("value", ["' OR '1'='1", "%", "_", "Ledger'; --", "Ledger%", "ledger"])
def test_filters_match_exactly(client, value):
    sources = {a["source"] for a in _articles(client)}
    expected = 1 if value in sources else 0
    assert len(client.get("/api/articles", params={"source": value}).json()["items"]) == expected
    assert client.get("/api/stories", params={"source": value}).json()["total"] == expected
    assert client.get("/api/articles", params={"story": value}).json()["total"] == 0
    assert client.get("/api/claims", params={"story": value, "kind": value[:20]}).json()["total"] == 0
    assert client.get("/api/entities", params={"story": value, "type": value[:20]}).json()["total"] == 0
    assert client.get("/", params={"source": value}).status_code == 200


# --- tokens --------------------------------------------------------------------------------------------


def test_token_is_checked_on_every_route_and_only_the_exact_token_passes(db):
    with (
        background_server(Settings(db=str(db), token=TOKEN)) as base,
        httpx.Client(base_url=base, timeout=60) as c,
    ):
        wrong = ["x", TOKEN[:-1], TOKEN + "x", TOKEN.upper(), TOKEN[:-1] + "!", "x" + TOKEN, TOKEN.encode().hex()]
        for path in ("/", "/api/stories", "/api/articles/plain-3", "/articles/plain-3", "/add", "/docs",
                     "/static/app.js", "/openapi.json", "/no/such/page"):
            assert c.get(path).status_code == 401, path
            for bad in wrong:
                assert c.get(path, headers={"Authorization": f"Bearer {bad}"}).status_code == 401, (path, bad)
                assert c.get(path, headers={"X-Storyline-Token": bad}).status_code == 401, (path, bad)
                assert c.get(path, headers={"Cookie": f"storyline_token={bad}"}).status_code == 401, (path, bad)
        # the right token, in any of its three places
        assert c.get("/api/stories", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        assert c.get("/api/stories", headers={"authorization": f"bearer {TOKEN}"}).status_code == 200
        assert c.get("/api/stories", headers={"X-Storyline-Token": TOKEN}).status_code == 200
        # a wrong token next to ... only the right one passes; a right one anywhere is enough
        assert c.get("/api/stories", headers={"Authorization": "Bearer nope-nope", "X-Storyline-Token": TOKEN}).status_code == 200
        # a state change still needs the CSRF header, token or not
        assert c.post("/api/jobs", data={"text": "x"}, headers={"X-Storyline-Token": TOKEN}).status_code == 403
        # signing in: a wrong token is not echoed back; the right one sets a strict, script-proof cookie
        failed = c.post("/login", data={"token": TOKEN[:-1] + "Q"})
        assert failed.status_code == 401 and TOKEN[:-1] not in failed.text
        signed = c.post("/login", data={"token": TOKEN})
        assert signed.status_code == 303
        cookie = signed.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
        for path in ("/", "/add", "/docs", "/login", "/articles/plain-3", "/api/stories", "/openapi.json"):
            response = c.get(path)  # with the cookie
            assert response.status_code == 200, path
            assert TOKEN not in response.text, path  # never written into a page
            assert all(TOKEN not in v for k, v in response.headers.items() if k != "set-cookie")


def test_token_comparison_is_constant_time():
    # Timing is not measurable reliably in a test; what makes it constant-time is hmac.compare_digest.
    source = inspect.getsource(Guard._token_ok)
    assert "hmac.compare_digest" in source and "== self.token" not in source


def test_token_never_reaches_the_server_output(db, tmp_path):
    port = free_port()
    copy = tmp_path / "store.duckdb"
    copy.write_bytes(db.read_bytes())
    env = {**os.environ, "STORYLINE_TOKEN": TOKEN}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from storyline.cli import main; main()", "serve", "--db", str(copy), "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(base + "/api/stories", headers={"X-Storyline-Token": TOKEN}, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None, "serve did not start"
                time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=30) as c:
            c.get("/", headers={"Authorization": f"Bearer {TOKEN}"})
            c.get("/", headers={"Authorization": f"Bearer {TOKEN}x"})
            c.post("/login", data={"token": TOKEN})
            c.post("/login", data={"token": TOKEN + "x"})
            c.get("/no/such/page", headers={"X-Storyline-Token": TOKEN})
            c.post("/api/jobs", headers={"X-Storyline-Token": TOKEN}, data={"text": "x"})
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=60)
    assert "Serving" in output
    assert TOKEN not in output


# --- headers -----------------------------------------------------------------------------------------------


def _check_headers(response) -> None:
    h = response.headers
    csp = h["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp, (response.url, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "no-referrer"
    assert h["x-frame-options"] == "DENY"
    assert "server" not in h


def test_security_headers_on_every_kind_of_response(client, db):
    story = client.get("/api/stories").json()["items"][0]["story_key"]
    responses = [
        client.get("/"), client.get("/api/stories"), client.get(f"/stories/{story}"), client.get("/articles/plain-3"),
        client.get("/add"), client.get("/docs"), client.get("/openapi.json"), client.get("/login"),
        client.get("/static/app.js"), client.get("/static/app.css"), client.get("/favicon.ico"),
        client.get("/no/such/page"), client.get("/api/stories/nope"), client.get("/", params={"limit": "x"}),
        client.get("/", headers={"Host": "evil.example"}), client.post("/api/jobs"), client.request("PUT", "/api/stories"),
        client.head("/"),
    ]
    # the report sets its own hash-pinned policy: it must still forbid framing (regression)
    responses.append(client.get(f"/stories/{story}/report.html"))
    with background_server(Settings(db=str(db), token=TOKEN)) as base:
        responses.append(httpx.get(base + "/api/stories", timeout=30))
    statuses = set()
    for response in responses:
        _check_headers(response)
        statuses.add(response.status_code)
    assert {200, 204, 401, 403, 404, 421, 422} <= statuses
    assert client.get("/static/app.js").headers["content-type"].startswith(("text/javascript", "application/javascript"))


# --- dependency pinning ------------------------------------------------------------------------------------


def test_the_lock_pins_every_dependency_with_hashes():
    """requirements.lock (what `make install` installs, with --require-hashes) covers pyproject.toml:
    every dependency of the project and of every extra, at a version the project accepts."""
    import re
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    lock = (ROOT / "requirements.lock").read_text()
    pins: dict[str, str] = {}
    for entry in re.split(r"\n(?=[A-Za-z0-9])", lock):
        head = re.match(r"([A-Za-z0-9_.\-]+)==([^\s\\;]+)", entry)
        if head:
            assert "--hash=sha256:" in entry, f"{head.group(1)} is pinned without a hash"
            pins[canonicalize_name(head.group(1))] = head.group(2)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = list(project["project"]["dependencies"]) + list(project["build-system"]["requires"])
    for extra in project["project"].get("optional-dependencies", {}).values():
        wanted += extra
    for text in wanted:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in requirements.lock: run `make lock`"
        assert req.specifier.contains(pins[name], prereleases=True), f"{req.name}=={pins[name]} does not satisfy {text}"
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes" in makefile and "-r requirements.lock" in makefile
