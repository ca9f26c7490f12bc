"""The JSON API and pages of ``storyline serve``, over a real store, through a real uvicorn server."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the 'web' extra is not installed")
httpx = pytest.importorskip("httpx", reason="httpx is not installed")

from storyline.pipeline import AnalyzeOptions, run_analysis
from storyline.web.app import Settings
from storyline.web.server import background_server

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CSRF = {"X-Storyline-CSRF": "1"}
EVIL_TEXT = (
    "Port Ardent officials said on Monday that <script>alert(1)</script> the water plant had reopened. "
    'A link <a href="javascript:alert(3)">click</a> and <img src=x onerror=alert(2)> were in the report. '
    "The mayor said 300 homes were affected by the outage and more checks would follow this week."
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "store.duckdb"
    run_analysis([str(EXAMPLES)], AnalyzeOptions(db=str(path)))
    return path


@pytest.fixture(scope="module")
def client(db: Path):
    with (
        background_server(Settings(db=str(db), max_upload_bytes=300_000)) as base,
        httpx.Client(base_url=base, timeout=60) as c,
    ):
        yield c


def _wait(client, job_id: str) -> dict:
    deadline = time.monotonic() + 300  # a guard against hanging, not a performance assertion
    while True:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.3)


def test_story_list_counts_every_article_once(client):
    body = client.get("/api/stories").json()
    assert body["total"] == len(body["items"]) >= 1
    assert sum(s["n_articles"] for s in body["items"]) == client.get("/api/articles").json()["total"] == 8
    for s in body["items"]:
        assert s["n_sources"] == len(s["sources"])
        assert s["has_conflicts"] == (s["n_conflicts"] > 0)


def test_pagination_is_capped_and_stable(client):
    everything = client.get("/api/stories").json()
    first = client.get("/api/stories", params={"limit": 1, "offset": 0}).json()
    second = client.get("/api/stories", params={"limit": 1, "offset": 1}).json()
    assert first["total"] == second["total"] == everything["total"]
    assert [s["story_key"] for s in first["items"] + second["items"]] == [
        s["story_key"] for s in everything["items"][:2]
    ]
    too_many = client.get("/api/stories", params={"limit": 1000})
    assert too_many.status_code == 422
    assert "limit" in too_many.json()["detail"] and "200" in too_many.json()["detail"]
    assert client.get("/api/articles", params={"offset": -1}).status_code == 422


def test_filters_narrow_the_list(client):
    conflicted = client.get("/api/stories", params={"has_conflicts": True}).json()["items"]
    assert conflicted and all(s["n_conflicts"] > 0 for s in conflicted)
    herald = client.get("/api/stories", params={"source": "Coastline Herald"}).json()["items"]
    assert herald and all("Coastline Herald" in s["sources"] for s in herald)
    old = client.get("/api/stories", params={"date_to": "2022-12-31"}).json()["items"]
    new = client.get("/api/stories", params={"date_from": "2025-01-01"}).json()["items"]
    assert old and new and not {s["story_key"] for s in old} & {s["story_key"] for s in new}
    assert all(s["first_date"] <= "2022-12-31" for s in old)
    bad = client.get("/api/stories", params={"date_from": "June 9"})
    assert bad.status_code == 422 and "date_from" in bad.json()["detail"]


def test_search_is_literal_and_parameterised(client):
    boil = client.get("/api/stories", params={"q": "boil-water"}).json()["items"]
    assert boil and any("boil" in (s["title"] or "").lower() or s["n_articles"] > 1 for s in boil)
    assert client.get("/api/stories", params={"q": "' OR 1=1 --"}).json()["total"] == 0
    assert client.get("/api/stories", params={"q": "%' OR '%'='"}).json()["total"] == 0
    percent = client.get("/api/articles", params={"q": "%"}).json()["items"]
    everything = client.get("/api/articles").json()["items"]
    assert 0 < len(percent) < len(everything)  # only the reports that contain a literal "%"
    for item in percent:
        assert "%" in client.get(f"/api/articles/{item['id']}").json()["text"]


def test_story_detail_has_conflicting_values_side_by_side(client):
    key = client.get("/api/stories", params={"has_conflicts": True}).json()["items"][0]["story_key"]
    story = client.get(f"/api/stories/{key}").json()
    conflict = next(c for c in story["story"]["claims"] if c["status"] == "conflict")
    assert len({v["value"] for v in conflict["values"]}) >= 2
    assert {a["id"] for a in story["articles"]} == set(story["story"]["article_ids"])
    claims = client.get("/api/claims", params={"status": "conflict", "story": key}).json()["items"]
    assert conflict["id"] in {c["claim_id"] for c in claims}
    page = client.get(f"/stories/{key}")
    assert page.status_code == 200 and f'id="claim-{conflict["id"]}"' in page.text
    missing = client.get("/api/stories/nope")
    assert missing.status_code == 404 and "nope" in missing.json()["detail"]


def test_articles_and_entities(client):
    listing = client.get("/api/articles", params={"limit": 3}).json()
    assert listing["total"] == 8 and len(listing["items"]) == 3
    assert all("text" not in a for a in listing["items"])
    article = client.get("/api/articles/herald-0610").json()
    assert article["story_key"] and article["mentions"] and article["dates"]
    for m in article["mentions"]:
        assert article["text"][m["start"] : m["end"]] == m["text"]
    for v in article["claim_values"]:
        assert article["text"][v["start"] : v["end"]] == v["text"]
    page = client.get("/articles/herald-0610", params={"hl": "0-9"})
    assert 'id="hl"' in page.text and "m-mention" in page.text
    assert client.get("/api/articles/no-such-report").status_code == 404
    entities = client.get("/api/entities", params={"q": "HVWA"}).json()["items"]
    assert entities and all(
        "hvwa" in (e["name"] + " " + " ".join(e["aliases"])).lower() for e in entities
    )


def test_security_headers_on_every_response(client):
    for path in ("/", "/api/stories", "/static/app.css", "/nope", "/api/stories?limit=0", "/docs", "/openapi.json"):
        response = client.get(path)
        csp = response.headers.get("content-security-policy", "")
        assert "default-src 'none'" in csp and "script-src 'self'" in csp, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_offline_docs_and_openapi(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/articles", "/api/entities", "/api/claims", "/api/jobs"} <= set(spec["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/stories/{story_key}" in docs.text
    assert "cdn" not in docs.text.lower()


def test_foreign_host_header_is_refused(client):
    response = client.get("/api/stories", headers={"Host": "attacker.example"})
    assert response.status_code == 421 and "Host" in response.json()["detail"]


def test_state_changes_need_the_csrf_header_and_same_origin(client):
    files = {"files": ("a.txt", b"Some text of a report.", "text/plain")}
    no_header = client.post("/api/jobs", files=files)
    assert no_header.status_code == 403 and "X-Storyline-CSRF" in no_header.json()["detail"]
    foreign = client.post("/api/jobs", files=files, headers={**CSRF, "Origin": "https://attacker.example"})
    assert foreign.status_code == 403 and "attacker.example" in foreign.json()["detail"]


def test_uploads_are_checked_before_anything_runs(client):
    wrong_type = client.post("/api/jobs", headers=CSRF, files={"files": ("report.exe", b"MZ\x90\x00", "x/y")})
    assert wrong_type.status_code == 400 and "report.exe" in wrong_type.json()["detail"]
    bad_json = client.post("/api/jobs", headers=CSRF, files={"files": ("a.json", b"{not json", "application/json")})
    assert bad_json.status_code == 400 and "a.json" in bad_json.json()["detail"] and "not JSON" in bad_json.json()["detail"]
    binary = client.post("/api/jobs", headers=CSRF, files={"files": ("a.txt", b"\x00\x01\x02" * 10, "text/plain")})
    assert binary.status_code == 400 and "binary" in binary.json()["detail"]
    fake_warc = client.post("/api/jobs", headers=CSRF, files={"files": ("a.warc.gz", b"plain text", "x/y")})
    assert fake_warc.status_code == 400 and "gzip" in fake_warc.json()["detail"]
    big = client.post("/api/jobs", headers=CSRF, files={"files": ("big.txt", b"word " * 70_000, "text/plain")})
    assert big.status_code == 413 and "big.txt" in big.json()["detail"]
    huge = client.post("/api/jobs", headers=CSRF, files={"files": ("huge.txt", b"word " * 300_000, "text/plain")})
    assert huge.status_code == 413 and "limit" in huge.json()["detail"]
    empty = client.post("/api/jobs", headers=CSRF, data={"text": "   "})
    assert empty.status_code == 400 and "nothing to add" in empty.json()["detail"]


def test_upload_names_cannot_escape_the_job_folder(client, db):
    text = (EXAMPLES / "repost-ardent-daily.txt").read_bytes()
    response = client.post("/api/jobs", headers=CSRF, files={"files": ("../../../escape.txt", text, "text/plain")})
    assert response.status_code == 202
    job = _wait(client, response.json()["id"])
    assert job["status"] == "done" and job["files"] == ["escape.txt"]
    uploads = db.with_name(db.name + ".uploads")
    assert (uploads / job["id"] / "escape.txt").is_file()
    assert not (uploads.parent / "escape.txt").exists() and not (db.parent.parent / "escape.txt").exists()


def test_pasted_report_runs_through_the_pipeline_and_renders_as_text(client):
    before = client.get("/api/articles").json()["total"]
    response = client.post(
        "/api/jobs", headers=CSRF,
        data={"text": EVIL_TEXT, "title": "<script>alert(4)</script> Plant reopens", "source": "Evil Gazette",
              "url": "javascript:alert(5)", "published_at": "2025-07-01"},
    )
    assert response.status_code == 202, response.text
    job = _wait(client, response.json()["id"])
    assert job["status"] == "done", job
    assert job["new_articles"] == 1 and job["stories"]
    assert client.get("/api/articles").json()["total"] == before + 1
    found = client.get("/api/articles", params={"source": "Evil Gazette"}).json()["items"]
    assert len(found) == 1
    article = client.get(f"/api/articles/{found[0]['id']}").json()
    assert "<script>alert(1)</script>" in article["text"]
    page = client.get(f"/articles/{found[0]['id']}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert 'href="javascript:' not in page and "<img" not in page
    story = client.get(f"/stories/{job['stories'][0]['story_key']}").text
    assert "<script>alert" not in story
    listing = client.get("/", params={"q": "Plant reopens"}).text
    assert "&lt;script&gt;alert(4)&lt;/script&gt; Plant reopens" in listing


def test_jobs_list_and_unknown_job(client):
    assert isinstance(client.get("/api/jobs").json()["items"], list)
    assert client.get("/api/jobs/0123456789abcdef").status_code == 404
    assert client.get("/api/jobs/../../etc").status_code in (404, 422)


def test_token_is_required_on_every_request_when_set(db):
    token = "s3cret-token-for-tests"
    with (
        background_server(Settings(db=str(db), token=token)) as base,
        httpx.Client(base_url=base, timeout=60) as c,
    ):
        for path in ("/", "/api/stories", "/static/app.css", "/openapi.json"):
            refused = c.get(path)
            assert refused.status_code == 401, path
            assert "content-security-policy" in refused.headers
        assert "Authorization: Bearer" in c.get("/api/stories").json()["detail"]
        assert c.get("/api/stories", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/stories", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert c.get("/api/stories", headers={"X-Storyline-Token": token}).status_code == 200
        assert c.post("/login", data={"token": "wrong"}).status_code == 401
        signed_in = c.post("/login", data={"token": token})
        assert signed_in.status_code == 303 and "httponly" in signed_in.headers["set-cookie"].lower()
        assert c.get("/api/stories").status_code == 200  # the cookie now carries the token


def test_job_ids_never_reach_the_filesystem(client):
    assert client.get("/api/jobs/..%2F..%2Fx").status_code in (404, 422)
    assert json.loads(client.get("/api/jobs/zzzz").text)["detail"]


def test_story_as_a_self_contained_html_report(client):
    pytest.importorskip("storyline.html_report", reason="the HTML report is not part of this version")
    from storyline.html_report import content_security_policy

    story = client.get("/api/stories", params={"has_conflicts": True}).json()["items"][0]
    response = client.get(f"/stories/{story['story_key']}/report.html")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == content_security_policy() + "; frame-ancestors 'none'"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert story["title"].split(":")[0] in response.text
    assert client.get("/stories/nope/report.html").status_code == 404
