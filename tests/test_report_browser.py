"""`quiz report` in a real headless Chromium: no console error, no request, charts drawn, totals shown, not blank.

Also makes the picture in docs/: `python tests/test_report_browser.py docs/report-example.png`.
"""
from __future__ import annotations

import asyncio
import base64
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import pytest
from conftest import TODAY
from test_report import several_weeks

from quiz import report
from quiz.store import Store

#: Printable height of a page with the report's 14 mm top and bottom margins, in CSS pixels (96 per
#: inch): US Letter (279.4 mm) is the shorter of the two paper sizes the page is laid out for.
LETTER_CONTENT_PX = (279.4 - 2 * 14) / 25.4 * 96
A4_CONTENT_WIDTH_PX = (210 - 2 * 13) / 25.4 * 96
CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p),
                None)

try:
    from cdp_use.client import CDPClient
except ImportError:  # pragma: no cover - the test extra installs it
    CDPClient = None

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium; "
                                                ".ci/run installs it): the browser test is skipped"),
    pytest.mark.skipif(CDPClient is None, reason="cdp-use is not installed (pip install -e '.[test]')"),
]


class Page:
    """One Chromium tab driven over the DevTools protocol, recording every request and console error."""

    def __init__(self, cdp, session_id: str) -> None:
        self.cdp, self.sid = cdp, session_id
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.loaded = asyncio.Event()
        cdp.register.Network.requestWillBeSent(lambda e, s: self.requests.append(e["request"]["url"]))
        cdp.register.Runtime.consoleAPICalled(
            lambda e, s: e["type"] in ("error", "assert") and self.errors.append(
                "console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in e["args"])))
        cdp.register.Runtime.exceptionThrown(lambda e, s: self.errors.append(f"exception: {e['exceptionDetails']}"))
        cdp.register.Log.entryAdded(
            lambda e, s: e["entry"]["level"] == "error" and self.errors.append(f"log: {e['entry']['text']}"))
        cdp.register.Page.loadEventFired(lambda e, s: self.loaded.set())

    async def send(self, method: str, params: dict | None = None) -> dict:
        return await self.cdp.send_raw(method, params or {}, session_id=self.sid)

    async def open(self, url: str) -> None:
        self.requests.clear()
        self.errors.clear()
        self.loaded.clear()
        await self.send("Page.navigate", {"url": url})
        await asyncio.wait_for(self.loaded.wait(), 20)
        await asyncio.sleep(0.2)  # late console messages and requests

    async def js(self, expression: str):
        result = await self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise AssertionError(result["exceptionDetails"])
        return result["result"].get("value")

    async def screenshot(self, width: int = 900) -> bytes:
        """The whole page as a PNG, `width` CSS pixels wide."""
        height = await self.js("Math.ceil(document.documentElement.scrollHeight)")
        await self.send("Emulation.setDeviceMetricsOverride",
                        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        shot = await self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        return base64.b64decode(shot["data"])


@asynccontextmanager
async def chromium():
    """A headless Chromium of its own (a fresh profile, no background traffic) and one attached tab."""
    with tempfile.TemporaryDirectory() as profile:
        args = [CHROMIUM, "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--remote-debugging-port=0",
                f"--user-data-dir={profile}", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to start as root with its sandbox (CI runs as root)
        with open(Path(profile) / "stderr.log", "wb") as log:
            proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=log)
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + 30
            while not (port_file.exists() and len(port_file.read_text().split()) == 2):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("Chromium did not start: "
                                       + (Path(profile) / "stderr.log").read_text(errors="replace")[-800:])
                await asyncio.sleep(0.05)
            port, path = port_file.read_text().split()
            async with CDPClient(f"ws://127.0.0.1:{port}{path}") as cdp:
                targets = await cdp.send_raw("Target.getTargets")
                target = next(t["targetId"] for t in targets["targetInfos"] if t["type"] == "page")
                attached = await cdp.send_raw("Target.attachToTarget", {"targetId": target, "flatten": True})
                page = Page(cdp, attached["sessionId"])
                for domain in ("Page", "Network", "Runtime", "Log"):
                    await page.send(f"{domain}.enable")
                yield page
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def write_example(folder: Path, *, name: str = "Alex Example") -> tuple[Path, object]:
    """A database with six weeks of answers and its report, in `folder`; returns (report path, history)."""
    with Store.open(folder / "quiz.db") as store:
        history = several_weeks(store)
        out = folder / "report.html"
        report.write(store, str(out), today=TODAY, name=name,
                     force=True)
    return out, history


def not_blank(png: bytes) -> tuple[int, float]:
    """(distinct colours, share of pixels darker than light grey) of a PNG."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    histogram = image.histogram()
    pixels = image.width * image.height
    return sum(1 for n in histogram if n), sum(histogram[:200]) / pixels


# --------------------------------------------------------------------- the tests
def test_the_report_renders_in_chromium_with_no_error_no_request_and_every_chart(tmp_path):
    out, history = write_example(tmp_path)
    url = out.resolve().as_uri()

    async def check():
        async with chromium() as page:
            # The harness itself can fail: a page that loads from outside and logs an error is caught.
            bad = tmp_path / "bad.html"
            bad.write_text('<img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>')
            await page.open(bad.resolve().as_uri())
            assert "http://127.0.0.1:9/x.png" in page.requests
            assert any("boom" in e for e in page.errors)

            await page.open(url)
            assert page.errors == []
            assert page.requests == [url]  # the file itself, nothing else
            charts = await page.js("""[...document.querySelectorAll('svg.chart')].map(svg => {
                const box = svg.getBoundingClientRect();
                return [svg.getAttribute('aria-labelledby'), Math.round(box.width), Math.round(box.height),
                        svg.querySelectorAll('rect, path').length];
            })""")
            assert [c[0].split("-")[0] for c in charts] == ["calendar", "answers", "retention", "states", "due"]
            assert all(width > 150 and height > 80 and shapes > 5 for _, width, height, shapes in charts), charts
            assert await page.js("document.scripts.length") == 0
            text = await page.js("document.body.innerText")
            assert f"{history.answers:,} answers on {len(history.study_days)} study days" in text
            assert f"{history.reviews:,} scheduled answers and {history.drills:,} re-drills" in text
            assert "Prepared for Alex Example" in text
            colours, dark = not_blank(await page.screenshot())
            assert colours > 20 and dark > 0.02, (colours, dark)

            # Printed: every figure fits within one page of the shorter paper, at the narrower width.
            await page.send("Emulation.setEmulatedMedia", {"media": "print"})
            await page.send("Emulation.setDeviceMetricsOverride",
                            {"width": round(A4_CONTENT_WIDTH_PX), "height": 1000, "deviceScaleFactor": 1,
                             "mobile": False})
            heights = await page.js("[...document.querySelectorAll('figure')].map("
                                    "f => f.getBoundingClientRect().height)")
            assert len(heights) == 5 and max(heights) < LETTER_CONTENT_PX, heights
            for width, height in ((8.27, 11.69), (8.5, 11)):  # A4 and US Letter, in inches
                pdf = await page.send("Page.printToPDF", {"paperWidth": width, "paperHeight": height,
                                                          "printBackground": True})
                assert base64.b64decode(pdf["data"]).startswith(b"%PDF")
            assert page.errors == [] and page.requests == [url]  # printing fetched nothing either

    asyncio.run(check())


def test_hostile_card_text_stays_text_in_chromium(tmp_path):
    from quiz.models import Card, CardType, Deck

    hostile = "<script>console.error('ran')</script><img src=x onerror=\"console.error('img')\">"
    deck = Deck("evil", f"Evil {hostile}", f"Teaches {hostile}", {"s": "s"},
                (Card("evil", "c1", CardType.BASIC, f"Q {hostile}", f"A {hostile}", "W", "s"),))
    out, _ = write_example(tmp_path)
    with Store.open(tmp_path / "quiz.db") as store:
        store.decks.sync(deck, today=date(2026, 2, 1))
        report.write(store, str(out), today=TODAY,
                     name=hostile, force=True)

    async def check():
        async with chromium() as page:
            await page.open(out.resolve().as_uri())
            assert page.errors == [] and page.requests == [out.resolve().as_uri()]
            assert await page.js("document.querySelectorAll('script, img').length") == 0
            text = await page.js("document.body.innerText")
            assert f"Prepared for {hostile}" in text and f"Evil {hostile}" in text
            labels = await page.js("[...document.querySelectorAll('svg.chart text')].map(t => t.textContent)")
            assert any(label.startswith("Evil <script>") for label in labels)

    asyncio.run(check())


# --------------------------------------------------------------------- the picture in docs/
def make_picture(target: Path) -> None:
    """docs/report-example.png: the example report as Chromium draws it, as a small palette PNG."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        out, _ = write_example(Path(tmp))

        async def shoot() -> bytes:
            async with chromium() as page:
                await page.open(out.resolve().as_uri())
                assert page.errors == []
                return await page.screenshot(width=820)

        png = asyncio.run(shoot())
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.quantize(colors=128, method=Image.Quantize.FASTOCTREE)
    image.save(target, optimize=True)
    print(f"{target}: {image.width}x{image.height}, {target.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    make_picture(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/report-example.png"))
