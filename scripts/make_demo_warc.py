"""Rebuild examples/rate-hike-2022.warc.gz, the WARC input of the demo corpus.

The page below is invented (see docs/demo-corpus.md): one Harlow Valley Courier
report from April 2022, stored as a single HTTP ``response`` record.  Running
this script again writes the same records (fixed record ids and dates), so the
committed .warc.gz can always be regenerated:

    python scripts/make_demo_warc.py
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

TARGET_URI = "https://courier.example/2022/04/rates"
WARC_DATE = "2022-04-14T15:02:11Z"
RECORD_ID = "<urn:uuid:6f1c2a9e-3b7d-4e52-9a0c-2d8f4b1e7a35>"
OUT = Path(__file__).resolve().parents[1] / "examples" / "rate-hike-2022.warc.gz"

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Water authority board approves 9% rate increase over ratepayers’ objections | Harlow Valley Courier</title>
  <meta name="date" content="2022-04-14">
  <meta name="author" content="Colm Fairweather">
  <meta property="og:type" content="article">
  <meta property="og:site_name" content="Harlow Valley Courier">
  <meta property="og:title" content="Water authority board approves 9% rate increase over ratepayers’ objections">
  <meta property="og:url" content="https://courier.example/2022/04/rates">
  <meta property="article:published_time" content="2022-04-14T07:30:00-07:00">
  <link rel="canonical" href="https://courier.example/2022/04/rates">
</head>
<body>
  <header class="site-header">
    <a class="logo" href="/">Harlow Valley Courier</a>
    <nav class="main-nav">
      <ul>
        <li><a href="/">Home</a></li>
        <li><a href="/local">Local News</a></li>
        <li><a href="/business">Business</a></li>
        <li><a href="/sports">Sports</a></li>
        <li><a href="/opinion">Opinion</a></li>
        <li><a href="/subscribe">Subscribe</a></li>
      </ul>
    </nav>
  </header>

  <main>
    <article class="story">
      <header>
        <h1>Water authority board approves 9% rate increase over ratepayers’ objections</h1>
        <p class="byline">By <a href="/staff/colm-fairweather">Colm Fairweather</a>, Courier staff writer</p>
        <time datetime="2022-04-14T07:30:00-07:00">April 14, 2022</time>
      </header>

      <p>The Harlow Valley Water Authority’s board voted Wednesday to raise water rates by 9% starting July 1, rejecting pleas from ratepayers who said the increase would fall hardest on retirees and other households living on fixed incomes.</p>

      <p>The increase is expected to bring in $3.1 million in extra yearly revenue, which the authority says it needs to replace aging water mains and to keep up with rising electricity and treatment-chemical costs. Authority staff estimated that the monthly bill for a typical household would go up by about $4.</p>

      <p>“Nobody on this board likes raising rates, but some of the pipes under this valley were laid when our grandparents were young,” board chair Delphine Arkwright said before the vote. “Putting this off only makes the bill bigger.”</p>

      <p>Two board members voted against the plan, arguing that the increase should have been phased in over several years.</p>

      <p>The Harlow Valley Water Users Association, a ratepayers’ group that organized opposition to the increase, said the authority had not shown how the extra money would be spent. Lorraine Tibbets, the association’s president, told the board that members would press for a public hearing before the new rates take effect.</p>

      <p>“Ratepayers are being asked to sign a blank check,” Tibbets said. “We want to see the list of projects first.”</p>

      <p>Several residents who spoke during the public comment period said they understood the need for repairs but questioned whether the authority had done enough to cut its own costs. One Port Ardent resident asked why the authority had not sought state or federal infrastructure grants before turning to customers.</p>

      <p>Arkwright said the authority had applied for several grants and would use any money it receives to reduce future increases. The authority last raised rates three years ago.</p>
    </article>

    <aside class="most-read">
      <h2>Most Read</h2>
      <ol>
        <li><a href="/2022/04/13/spring-cleanup-day">Volunteers wanted for spring cleanup day along the river</a></li>
        <li><a href="/2022/04/12/ferry-schedule">Ferry schedule changes take effect next month</a></li>
      </ol>
    </aside>
  </main>

  <footer class="site-footer">
    <p>© 2022 Harlow Valley Courier. All rights reserved.</p>
    <p><a href="/about">About us</a> · <a href="/contact">Contact</a> · <a href="/privacy">Privacy Policy</a></p>
  </footer>
</body>
</html>
"""


def main() -> None:
    body = PAGE.encode("utf-8")
    http_headers = StatusAndHeaders(
        "200 OK",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Date", "Thu, 14 Apr 2022 15:02:11 GMT"),
        ],
        protocol="HTTP/1.1",
    )
    with OUT.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        record = writer.create_warc_record(
            TARGET_URI,
            "response",
            payload=BytesIO(body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": WARC_DATE, "WARC-Record-ID": RECORD_ID},
        )
        writer.write_record(record)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
