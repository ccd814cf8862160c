"""The app in headless Chromium, as people use it: offline, keyboard on the slider, clicks, hostile data."""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from components.style import script_style
from tests.conftest import tiny_tables, write_tables
from tests.fixtures import wait_until_idle

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
HOSTILE = '<img src=x onerror="window.__pwned=1;alert(1)">`${window.__pwned=2}`</script>'


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


CHROMIUM = chromium_path()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="browser tests need Chromium: install Debian's package (apt-get install chromium)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A real `streamlit run app.py` on a free loopback port, with its log kept for failures."""

    def __init__(self, data_dir: Path, log_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        env = dict(os.environ, FOOTPRINT_DATA_DIR=str(data_dir))
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(REPO / "app.py"),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=REPO,
            env=env,
            stdout=log_path.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server did not become healthy in 60 s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(tmp_path_factory, name: str, tables) -> Iterator[Server]:
    data_dir = write_tables(tmp_path_factory.mktemp(name) / "data", tables)
    server = Server(data_dir, tmp_path_factory.mktemp(f"{name}-log") / "server.log")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    yield from start_server(tmp_path_factory, "tiny", tiny_tables())


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory) -> Iterator[Server]:
    tables = tiny_tables()
    for site in tables["sites"]:
        site["name_en"] = HOSTILE + site["site_id"]
        site["name_ar"] = HOSTILE
    tables["sources"][0]["publisher"] = HOSTILE
    tables["sources"][0]["title"] = HOSTILE
    tables["phases"][2]["summary"] = HOSTILE
    tables["phases"][2]["name"] = "Late <b>bold</b> $x$"
    yield from start_server(tmp_path_factory, "hostile", tables)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


class Visit:
    """A page plus everything it logged and requested, for assertions and failure reports."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    @property
    def frame(self):
        return self.page.frame_locator(MAP_FRAME)

    def markers(self, css: str = ".fp-marker"):
        return self.frame.locator(css)

    def heading(self) -> str:
        return self.page.locator("h3").filter(has_text="·").first.inner_text()


@pytest.fixture
def visit(browser, server, request) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    seen = Visit(context.new_page())
    yield seen
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / f"{request.node.name}.png"
        seen.page.screenshot(path=str(shot), full_page=True)
        print(f"\nscreenshot: {shot}\nconsole:\n" + "\n".join(seen.console))
        print(f"server log:\n{server.log()}")
    context.close()


def open_app(visit: Visit, base_url: str, query: str = "") -> None:
    visit.page.goto(f"{base_url}/{query}")
    wait_for_first_screen(visit, query)


def wait_for_first_screen(visit: Visit, query: str) -> None:
    """The map's first markers, then (in the analyst view, whose first run sends the map alone:
    components/first_screen.py) the rest of the page, which the map's first paint brings."""
    visit.page.wait_for_selector(MAP_FRAME, timeout=60_000)
    visit.markers().first.wait_for(timeout=30_000)
    if "mode=briefing" not in query:
        visit.page.locator('.st-key-date input[type="range"]').wait_for(timeout=30_000)
        wait_until_idle(visit.page)


def wait_heading(visit: Visit, text: str) -> None:
    visit.page.locator("h3", has_text=text).first.wait_for(timeout=30_000)


def test_page_loads_offline_with_no_errors_and_no_outside_requests(visit, server) -> None:
    open_app(visit, server.url, "?date=2020-01-01")
    map_frame = visit.page.locator(MAP_FRAME).element_handle().content_frame()
    # The seven country outlines are drawn from the app's own static file.
    map_frame.wait_for_function(
        "() => document.querySelectorAll('.leaflet-overlay-pane path').length >= 7", timeout=20_000
    )
    errors = [line for line in visit.console if line.startswith(("error", "pageerror"))]
    assert errors == []
    hosts = {
        urlparse(url).hostname
        for url in visit.requests
        if urlparse(url).scheme in ("http", "https", "ws", "wss")
    }
    assert hosts == {"127.0.0.1"}, hosts
    assert visit.frame.locator(".fp-legend").is_visible()


def test_one_marker_per_site_styled_by_status(visit, server) -> None:
    open_app(visit, server.url, "?date=2020-01-01")
    assert visit.markers().count() == 2
    assert visit.markers(".fp-status-active.fp-certainty-disputed").count() == 1
    assert visit.markers(".fp-status-active.fp-certainty-reported").count() == 1
    open_app(visit, server.url, "?date=2026-10-01")
    wait_heading(visit, "1 October 2026")
    visit.markers(".fp-status-closed.fp-certainty-planned").first.wait_for(timeout=20_000)
    assert visit.markers().count() == 2


def test_keyboard_on_slider_changes_markers_without_reloading_the_map(visit, server) -> None:
    open_app(visit, server.url, "?date=2011-12-29")
    frame_element = visit.page.locator(MAP_FRAME).element_handle()
    map_frame = frame_element.content_frame()
    map_frame.evaluate("() => { window.__probe = 'kept'; window.map.setZoom(8); }")
    assert visit.markers(".fp-status-active").count() == 1
    thumb = visit.page.locator('[data-testid="stSlider"] input[type="range"]').first
    thumb.focus()
    for _ in range(3):
        thumb.press("ArrowRight")
    wait_heading(visit, "1 January 2012")
    visit.markers(".fp-status-handed_over").first.wait_for(timeout=20_000)
    assert visit.markers().count() == 1
    assert frame_element.evaluate("e => e.isConnected")
    assert map_frame.evaluate("() => window.__probe") == "kept"
    assert map_frame.evaluate("() => window.map.getZoom()") == 8
    visit.page.wait_for_url(re.compile(r".*date=2012-01-01.*"), timeout=20_000)


def test_page_keys_on_the_slider_move_a_month_and_shift_a_year(visit, server) -> None:
    open_app(visit, server.url, "?date=2020-05-05")
    wait_heading(visit, "5 May 2020")
    # The page's adapter to Streamlit's markup finds everything it needs on this Streamlit.
    assert visit.page.evaluate("() => window.footprintStreamlit.check()") == []
    thumb = visit.page.locator('.st-key-date input[type="range"]')
    thumb.focus()
    map_frame = visit.page.locator(MAP_FRAME).element_handle().content_frame()
    for key, day, words in (
        ("PageUp", "2020-06-05", "5 June 2020"),
        ("Shift+PageUp", "2021-06-05", "5 June 2021"),
        ("PageDown", "2021-05-05", "5 May 2021"),
        ("Shift+PageDown", "2020-05-05", "5 May 2020"),
    ):
        thumb.press(key)
        wait_heading(visit, words)
        visit.page.wait_for_url(re.compile(rf".*date={day}.*"), timeout=20_000)
        map_frame.wait_for_function(f"() => window.footprintMapDate === '{day}'", timeout=10_000)
    errors = [line for line in visit.console if line.startswith(("error", "pageerror"))]
    assert errors == []


def test_date_link_opens_that_date_and_marker_click_opens_detail(visit, server) -> None:
    open_app(visit, server.url, "?date=2020-05-05")
    wait_heading(visit, "5 May 2020")
    visit.markers(".fp-status-active.fp-certainty-reported").first.click()
    visit.page.get_by_text("Status history").first.wait_for(timeout=30_000)
    assert visit.page.locator("h2, h3", has_text="Bravo Camp").count() >= 1
    visit.page.wait_for_url(re.compile(r".*site=bravo.*"), timeout=20_000)


def test_marker_click_works_when_the_map_runs_below_the_fold(browser, server) -> None:
    # Leaflet focuses the map on mouse-down; unpatched, that scrolls the page and the click is lost.
    # The map fits the screen from 515 px up (app.py sizes it), so the screen here is shorter.
    context = browser.new_context(viewport={"width": 1400, "height": 420})
    visit = Visit(context.new_page())
    open_app(visit, server.url, "?date=2020-05-05")
    frame_box = visit.page.locator(MAP_FRAME).bounding_box()
    assert frame_box["y"] + frame_box["height"] > 420  # the map's bottom is off screen
    marker = visit.markers(".fp-status-active.fp-certainty-reported").first
    box = marker.bounding_box()
    assert box["y"] + box["height"] < 420  # ... but the marker is on screen
    visit.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    visit.page.wait_for_url(re.compile(r".*site=bravo.*"), timeout=20_000)
    assert visit.frame.locator(".fp-popup").count() == 1
    context.close()


def test_hostile_names_run_no_script(browser, hostile_server) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    visit = Visit(context.new_page())
    open_app(visit, hostile_server.url, "?date=2020-01-01&site=alpha")
    visit.page.get_by_text("Status history").first.wait_for(timeout=30_000)
    marker = visit.markers().first
    marker.hover()
    tooltip = visit.frame.locator(".leaflet-tooltip").first
    tooltip.wait_for(timeout=10_000)
    # The names are shown as the text they are: escaped, neither run nor dropped.
    assert HOSTILE in tooltip.text_content()
    marker.click()
    popup = visit.frame.locator(".fp-popup").first
    popup.wait_for(timeout=10_000)
    assert HOSTILE in popup.text_content()
    # No element was made of the names, so no handler of theirs can ever fire.
    for document in (visit.page, visit.frame):
        assert document.locator("img[onerror], [onload]").count() == 0
    assert visit.dialogs == []
    assert visit.page.evaluate("() => window.__pwned") is None
    map_frame = visit.page.locator(MAP_FRAME).element_handle().content_frame()
    assert map_frame.evaluate("() => window.__pwned") is None
    assert visit.markers().count() == 2
    assert visit.frame.locator(".leaflet-popup img, .leaflet-tooltip img").count() == 0
    assert HOSTILE[:20] in visit.frame.locator(".fp-popup-name").first.inner_text()
    assert visit.page.locator("img[src='x']").count() == 0
    assert "Late <b>bold</b> $x$" in visit.page.locator("h3", has_text="·").first.inner_text()
    context.close()


def test_ten_pages_scrubbing_at_once_end_in_the_right_state(browser, server) -> None:
    contexts = [browser.new_context(viewport={"width": 1200, "height": 900}) for _ in range(10)]
    visits = [Visit(context.new_page()) for context in contexts]
    for visit in visits:
        visit.page.goto(f"{server.url}/?date=2011-12-20")
    for visit in visits:
        visit.page.wait_for_selector(MAP_FRAME, timeout=90_000)
        visit.markers().first.wait_for(timeout=60_000)
    for _ in range(15):
        for visit in visits:
            visit.page.locator('[data-testid="stSlider"] input[type="range"]').first.press(
                "ArrowRight"
            )
    for visit in visits:
        wait_heading(visit, "4 January 2012")
        visit.markers(".fp-status-handed_over").first.wait_for(timeout=60_000)
        assert visit.markers().count() == 1
    log = server.log()
    assert not re.search(r"Traceback|Error|Exception", log), log
    for context in contexts:
        context.close()


def test_briefing_steps_through_every_slide(visit, server) -> None:
    open_app(visit, server.url, "?mode=briefing&step=1")
    expected = ["Early", "Gap", "Late"]  # the tiny dataset's three phases
    for number, name in enumerate(expected, start=1):
        visit.page.locator("h2", has_text=name).first.wait_for(timeout=30_000)
        visit.page.get_by_text(f"Step {number} of 3").first.wait_for(timeout=30_000)
        visit.page.wait_for_url(re.compile(rf".*step={number}.*"), timeout=20_000)
        assert visit.markers().count() >= 1
        if number < len(expected):
            visit.page.get_by_role("button", name="Next", exact=True).click()
    assert visit.page.get_by_role("button", name="Next", exact=True).is_disabled()
    # Slide 2: alpha changed status since slide 1, so its marker is ringed.
    visit.page.get_by_role("button", name="Previous", exact=True).click()
    visit.page.get_by_text("Step 2 of 3").first.wait_for(timeout=30_000)
    visit.markers(".fp-changed.fp-status-handed_over").first.wait_for(timeout=20_000)


def test_briefing_offers_the_deck_as_pptx_and_pdf(visit, server) -> None:
    import io

    from pptx import Presentation

    open_app(visit, server.url, "?mode=briefing&step=2")
    with visit.page.expect_download(timeout=120_000) as pptx_download:
        visit.page.get_by_role("button", name="Slides (PowerPoint)").click()
    deck = Presentation(io.BytesIO(Path(pptx_download.value.path()).read_bytes()))
    assert len(deck.slides) == 1 + 3 + 1  # title, the tiny data's three steps, sources
    with visit.page.expect_download(timeout=120_000) as pdf_download:
        visit.page.get_by_role("button", name="Slides (PDF)").click()
    assert Path(pdf_download.value.path()).read_bytes().startswith(b"%PDF")
    assert pdf_download.value.suggested_filename == "coalition-footprint-briefing.pdf"


def test_analyst_view_saves_the_map_picture_and_the_tables(visit, server) -> None:
    import io

    from openpyxl import load_workbook
    from PIL import Image

    open_app(visit, server.url, "?date=2011-06-01")
    with visit.page.expect_download(timeout=60_000) as picture:
        visit.page.get_by_role("button", name="Save this map as PNG").click()
    image = Image.open(Path(picture.value.path()))
    assert image.size == (1920, 1080)
    assert picture.value.suggested_filename == "coalition-footprint-2011-06-01.png"
    with visit.page.expect_download(timeout=60_000) as troops:
        visit.page.get_by_role("button", name="Troop figures (CSV)").click()
    text = Path(troops.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("view_date,figure_id") and "2011-06-01,f2" in text
    with visit.page.expect_download(timeout=60_000) as events:
        visit.page.get_by_role("button", name="Events (CSV)").click()
    assert (
        Path(events.value.path()).read_text(encoding="utf-8-sig").startswith("view_date,event_id")
    )
    with visit.page.expect_download(timeout=60_000) as tables:
        visit.page.get_by_role("button", name="Figures and events (Excel)").click()
    workbook = load_workbook(io.BytesIO(Path(tables.value.path()).read_bytes()))
    assert workbook.sheetnames == ["troop_figures", "events", "sources"]


def test_arabic_page_is_right_to_left_and_the_map_is_not(visit, server) -> None:
    open_app(visit, server.url, "?lang=ar&date=2020-01-01")
    visit.page.get_by_text("انتشار قوات التحالف في العراق").first.wait_for(timeout=30_000)
    main = visit.page.locator('[data-testid="stMain"] .block-container').first
    assert main.evaluate("e => getComputedStyle(e).direction") == "rtl"
    frame = visit.page.locator(MAP_FRAME)
    assert frame.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert visit.frame.locator(".fp-legend").inner_text().startswith("الحالة")
    # Right-aligned: the title's text ends at its box's right edge and starts well inside it.
    box = visit.page.locator("h1").first.bounding_box()
    text = visit.page.locator("h1").first.evaluate(
        """e => { const r = document.createRange(); r.selectNodeContents(e);
        const b = r.getBoundingClientRect(); return {left: b.left, right: b.right}; }"""
    )
    assert abs(text["right"] - (box["x"] + box["width"])) < 40
    assert text["left"] > box["x"] + 100


def test_exported_map_opens_offline_from_a_file(browser, tmp_path) -> None:
    from components.dataset import load_dataset
    from components.export import standalone_map_html
    from components.map_view import publish_catalog, site_payload
    from components.timeline import snapshot

    tables = tiny_tables()
    tables["sites"][0]["name_en"] = HOSTILE
    dataset = load_dataset(write_tables(tmp_path / "data", tables))
    snap = snapshot(dataset, "2020-01-01")
    catalog = publish_catalog(dataset, tmp_path / "static")
    page_file = tmp_path / "map.html"
    page_file.write_text(
        standalone_map_html(dataset, snap, site_payload("2020-01-01", snap.sites, catalog)),
        encoding="utf-8",
    )
    context = browser.new_context()
    visit = Visit(context.new_page())
    visit.page.goto(page_file.as_uri())
    visit.page.locator(".fp-marker").first.wait_for(timeout=20_000)
    assert visit.page.locator(".fp-marker").count() == 2
    visit.page.wait_for_function(
        "() => document.querySelectorAll('.leaflet-overlay-pane path').length >= 7"
    )
    assert [u for u in visit.requests if not u.startswith(("file:", "data:"))] == []
    assert visit.dialogs == [] and visit.page.evaluate("() => window.__pwned") is None
    context.close()


def test_play_moves_the_date_without_reloading_the_map(visit, server) -> None:
    open_app(visit, server.url, "?mode=briefing&step=1")
    map_frame = visit.page.locator(MAP_FRAME).element_handle().content_frame()
    map_frame.wait_for_function("() => window.footprintMapDate === '2011-12-18'", timeout=20_000)
    map_frame.evaluate("() => { window.__probe = 'kept'; }")
    visit.page.get_by_role("button", name="Play", exact=True).click()
    pause = visit.page.get_by_role("button", name="Pause", exact=True)
    pause.wait_for(timeout=20_000)
    # The button's symbol is the icon font's (no glyph the text font lacks), hidden from readers.
    icon = visit.page.locator(".st-key-brief_play [data-testid='stIconMaterial']")
    assert icon.inner_text() == "pause" and icon.get_attribute("aria-hidden") == "true"
    assert visit.page.evaluate("() => document.fonts.check('16px \"Material Symbols Rounded\"')")
    # Playing starts from the slide on screen and moves a month a second; the big date follows.
    map_frame.wait_for_function(
        "() => window.footprintMapDate > '2011-12-18' && window.footprintMapDate < '2012-06-01'",
        timeout=30_000,
    )
    first_seen = map_frame.evaluate("() => window.footprintMapDate")
    map_frame.wait_for_function(f"() => window.footprintMapDate > '{first_seen}'", timeout=30_000)
    assert map_frame.evaluate("() => window.__probe") == "kept"
    assert "2012" in visit.page.locator(".fp-big-date").inner_text()
    pause.click()
    visit.page.get_by_role("button", name="Play", exact=True).wait_for(timeout=20_000)
    paused_at = map_frame.evaluate("() => window.footprintMapDate")
    # Playing moves the date every second: two and a half seconds without a move show that it
    # stopped (an absence has no event to wait for, so this one wait is a time).
    visit.page.wait_for_timeout(2_500)
    assert map_frame.evaluate("() => window.footprintMapDate") == paused_at


@pytest.fixture(scope="module")
def large_server(tmp_path_factory) -> Iterator[Server]:
    from components.synthetic import write_synthetic_dataset

    directory = write_synthetic_dataset(
        tmp_path_factory.mktemp("large") / "data", 1_500, events=500
    )
    server = Server(directory, tmp_path_factory.mktemp("large-log") / "server.log")
    yield server
    server.stop()


def test_large_datasets_draw_on_one_canvas_with_working_tooltips(browser, large_server) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    visit = Visit(context.new_page())
    visit.page.goto(f"{large_server.url}/?date=2015-06-01")
    visit.page.wait_for_selector(MAP_FRAME, timeout=60_000)
    map_frame = visit.page.locator(MAP_FRAME).element_handle().content_frame()
    map_frame.wait_for_function("() => window.footprintMapDate === '2015-06-01'", timeout=60_000)
    assert map_frame.locator(".fp-marker").count() == 0  # no DOM marker per site ...
    assert map_frame.locator(".leaflet-overlay-pane canvas").count() >= 1  # ... one canvas
    drawn = map_frame.evaluate(
        """() => { let n = 0, first = null; window.map.eachLayer(l => {
            if (l.options && l.options.shape && l.getLatLng) { n++; first = first || l; } });
            const p = window.map.latLngToContainerPoint(first.getLatLng());
            return {n: n, x: p.x, y: p.y}; }"""
    )
    assert drawn["n"] > 1_000
    frame_box = visit.page.locator(MAP_FRAME).bounding_box()
    visit.page.mouse.move(frame_box["x"] + drawn["x"], frame_box["y"] + drawn["y"])
    map_frame.wait_for_selector(".leaflet-tooltip", timeout=10_000)
    assert "Synthetic site" in map_frame.locator(".leaflet-tooltip").first.inner_text()
    context.close()


class HeldSocket:
    """Routes the page's websocket through the test, which can hold what the page sends."""

    def __init__(self) -> None:
        self.holding = False
        self.held: list = []
        self.server = None

    def route(self, socket) -> None:
        self.server = socket.connect_to_server()
        socket.on_message(self.from_page)

    def from_page(self, message) -> None:
        if self.holding:
            self.held.append(message)
        else:
            self.server.send(message)

    def release(self) -> None:
        self.holding = False
        for message in self.held:
            self.server.send(message)
        self.held.clear()


def test_map_follows_the_slider_before_the_rerun_arrives(browser, server) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    socket = HeldSocket()
    context.route_web_socket(re.compile(r".*/_stcore/stream"), socket.route)
    visit = Visit(context.new_page())
    open_app(visit, server.url, "?date=2011-12-29")
    map_frame = visit.page.locator(MAP_FRAME).element_handle().content_frame()
    map_frame.wait_for_function("() => window.footprintServerDate === '2011-12-29'")
    assert visit.markers(".fp-status-active").count() == 1
    # From here on nothing reaches the server: no rerun can happen.
    socket.holding = True
    thumb = visit.page.locator('.st-key-date input[type="range"]')
    thumb.focus()
    for _ in range(3):
        thumb.press("ArrowRight")
    map_frame.wait_for_function("() => window.footprintMapDate === '2012-01-01'", timeout=10_000)
    assert visit.markers(".fp-status-handed_over").count() == 1
    assert visit.markers().count() == 1
    assert socket.held, "the slider change was never sent"
    assert map_frame.evaluate("() => window.footprintServerDate") == "2011-12-29"
    assert "29 December 2011" in visit.heading()  # the page itself has not rerun
    visit.markers().first.evaluate("marker => marker.setAttribute('data-probe', 'drawn early')")
    # Let the rerun through: Python's layer for the same date confirms the map as drawn, so
    # the markers drawn from the slider stay (no second drawing of the same state).
    socket.release()
    map_frame.wait_for_function("() => window.footprintServerDate === '2012-01-01'")
    wait_heading(visit, "1 January 2012")
    assert visit.markers(".fp-status-handed_over").count() == 1
    assert visit.markers().count() == 1
    assert visit.markers("[data-probe='drawn early']").count() == 1
    context.close()


def map_script_page(browser):
    """A blank page with Leaflet and footprint-map.js loaded and a 600x400 #map box, no app."""
    from components.assets import leaflet_source_dir

    context = browser.new_context()
    page = context.new_page()
    page.set_content("<div id='map' style='width: 600px; height: 400px'></div>")
    page.add_script_tag(path=str(leaflet_source_dir() / "leaflet.js"))
    page.add_script_tag(path=str(REPO / "components" / "assets" / "footprint-map.js"))
    # The page sends the marker vocabulary before drawing, as the app's base map does.
    page.evaluate("style => footprintMap.setStyle(style)", script_style())
    return context, page


def test_browser_layers_match_python_on_every_boundary_of_the_bundled_data(
    browser, tmp_path
) -> None:
    """footprint-map.js draws dates by itself; on the real data it must pick what Python picks."""
    import datetime as dt

    from components.dataset import load_dataset
    from components.map_view import catalog_content, publish_catalog, site_payload
    from components.timeline import movements_between, period_day_spans, record_span, snapshot

    window = 120
    dataset = load_dataset(REPO / "data")
    content = catalog_content(dataset)
    catalog = publish_catalog(dataset, tmp_path)
    epoch = dt.date(1970, 1, 1)
    first, last = ((day - epoch).days for day in record_span(dataset))
    starts, ends = period_day_spans(dataset)
    # Every day where some period or movement window opens or closes, the days either side,
    # and one day in thirty for everything in between.
    edges = {int(d) for d in starts} | {int(d) + 1 for d in ends if d < last + 1}
    for move in content["moves"]:
        edges |= {move[0] - window, move[1] + window + 1}
    days = sorted(
        {
            d
            for edge in edges | set(range(first, last + 1, 30))
            for d in (edge - 1, edge)
            if first <= d <= last
        }
    )
    context, page = map_script_page(browser)
    in_browser = page.evaluate(
        "([days, catalog, windowDays]) => days.map("
        "day => window.footprintMap.layerOn(day, catalog, windowDays))",
        [days, content, window],
    )
    context.close()
    assert len(days) > 100
    for day, drawn in zip(days, in_browser):
        when = epoch + dt.timedelta(days=day)
        moves = movements_between(
            dataset, when - dt.timedelta(days=window), when + dt.timedelta(days=window)
        )
        sent = site_payload(when.isoformat(), snapshot(dataset, when).sites, catalog, moves)
        assert drawn["date"] == sent["date"]
        assert drawn["sites"] == sent["sites"], when
        assert drawn["moves"] == sent["moves"], when


RECORD_DRAWS = """
if (window !== window.top) {
  window.__draws = [];
  let shown;
  Object.defineProperty(window, 'footprintMapDate', {
    configurable: true,
    get() { return shown; },
    set(value) { shown = value; window.__draws.push(value); },
  });
}
"""


def test_dates_set_by_the_page_are_drawn_once(browser, server) -> None:
    # "Next event" sets the date in Python: its layer and the slider's new value reach the
    # browser separately, and the map must go straight to the new date, never redraw the old.
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    context.add_init_script(RECORD_DRAWS)
    visit = Visit(context.new_page())
    open_app(visit, server.url, "?date=2011-12-10")
    map_frame = visit.page.locator(MAP_FRAME).element_handle().content_frame()
    slider = visit.page.locator('.st-key-date input[type="range"]')

    def next_event_draws() -> list[str]:
        map_frame.evaluate("() => { window.__draws = []; }")
        visit.page.get_by_role("button", name="Next event").click()
        map_frame.wait_for_function("() => window.footprintServerDate === '2011-12-18'")
        wait_heading(visit, "18 December 2011")
        # The slider may still be loading its code (it comes after the map's first markers).
        visit.page.wait_for_function(
            """() => document.querySelector('.st-key-date input[type="range"]')
                ?.getAttribute('aria-valuetext') === '18 Dec 2011'"""
        )
        return map_frame.evaluate("() => window.__draws")

    # The map last drawn by Python's layer (the page opened on this date) ...
    map_frame.wait_for_function("() => window.footprintServerDate === '2011-12-10'")
    assert next_event_draws() == ["2011-12-18"]
    # ... and last drawn from the slider, then confirmed by Python.
    slider.focus()
    slider.press("ArrowLeft")
    map_frame.wait_for_function("() => window.footprintServerDate === '2011-12-17'")
    wait_heading(visit, "17 December 2011")
    assert next_event_draws() == ["2011-12-18"]
    context.close()


def test_a_late_catalogue_never_replaces_a_newer_layer(browser) -> None:
    # Loading another dataset sends a new layer; if the previous dataset's catalogue arrives
    # after it, it must not draw over the new one.
    context, page = map_script_page(browser)
    shown = page.evaluate(
        """async () => {
        const map = L.map('map').setView([33.3, 44.4], 6);
        footprintMap.followSlider(map, '.no-slider-here', 120);
        const place = [['s1', 33.3, 44.4, 'Site one', '']];
        const old = {sites: place, sources: [], states: [], spans: [], moves: []};
        const current = {sites: place, sources: [], states: [], spans: [], moves: []};
        let release;
        const late = {then(done) { release = () => done(old); }};  // a slow catalogue fetch
        footprintMap.addSites(L.featureGroup().addTo(map), {date: '2020-01-01', catalog: late,
            sites: [[0, 'active', 'reported', '2019', []]], moves: []});
        footprintMap.addSites(L.featureGroup().addTo(map), {date: '2020-01-01', catalog: current,
            sites: [[0, 'closed', 'reported', '2019', []]], moves: []});
        await new Promise(done => setTimeout(done, 50));
        release();
        await new Promise(done => setTimeout(done, 50));
        return [...document.querySelectorAll('.fp-marker')].map(m => m.className);
    }"""
    )
    context.close()
    assert len(shown) == 1 and "fp-status-closed" in shown[0], shown


def test_troop_chart_is_kept_and_its_date_rule_moves_on_a_date_change(visit, server) -> None:
    # The date rule's date is a dataset of its own, so a slider change swaps that dataset and
    # the browser keeps the chart (rebuilding it on every change cost the page's main thread).
    open_app(visit, server.url, "?date=2011-12-29")
    chart = visit.page.locator('[data-testid="stVegaLiteChart"] svg.marks').first
    chart.wait_for(timeout=30_000)
    # Drawn once the date's rule is on it (the rule is the chart's last layer).
    chart.locator(".mark-rule path, .mark-rule line").first.wait_for(
        state="attached", timeout=20_000
    )
    chart.evaluate(
        "svg => { svg.setAttribute('data-probe', 'kept'); window.__drawn = svg.innerHTML; }"
    )
    slider = visit.page.locator('.st-key-date input[type="range"]')
    slider.focus()
    slider.press("End")
    wait_heading(visit, "2026")
    # The rule moved: the same drawing now shows something else.
    visit.page.wait_for_function(
        """() => { const svg = document.querySelector('[data-probe="kept"]');
            return svg !== null && svg.innerHTML !== window.__drawn; }""",
        timeout=20_000,
    )
    assert visit.page.locator('[data-testid="stVegaLiteChart"] svg.marks').count() == 1


# --- uploads: the map draws from the session's private catalogue, which goes when left ------


def zipped_dir(directory: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in directory.iterdir():
            archive.write(path, path.name)
    return buffer.getvalue()


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def test_an_upload_draws_from_a_private_catalogue_that_goes_when_left(
    browser, server, tmp_path
) -> None:
    tables = tiny_tables()
    tables["sites"][1]["name_en"] = "Charlie {{ 7*7 }} Field"
    tables["movements"][0]["description"] = "{% raw %} north {#"
    upload = tmp_path / "mine.zip"
    upload.write_bytes(zipped_dir(write_tables(tmp_path / "mine", tables)))
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    visit = Visit(context.new_page())
    try:
        visit.page.goto(f"{server.url}/?date=2025-08-15")
        visit.page.wait_for_selector(MAP_FRAME, timeout=60_000)
        visit.markers().first.wait_for(timeout=30_000)
        visit.page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            str(upload)
        )
        visit.page.get_by_text("Showing your data").first.wait_for(timeout=60_000)
        private = ""
        for _ in range(100):
            private = next((u for u in visit.requests if "/app/static/session/" in u), "")
            if private:
                break
            visit.page.wait_for_timeout(200)
        assert private, visit.requests
        visit.markers().nth(1).wait_for(timeout=30_000)
        tooltips = []
        for n in range(visit.markers().count()):
            visit.markers().nth(n).hover()
            tooltip = visit.frame.locator(".leaflet-tooltip").last
            tooltip.wait_for(timeout=10_000)
            tooltips.append(tooltip.inner_text())
            visit.page.mouse.move(0, 0)
        assert any("Charlie {{ 7*7 }} Field" in text for text in tooltips), tooltips  # not 49
        assert http_status(private) == 200
        visit.page.get_by_role("button", name="Back to the bundled data").click()
        visit.page.get_by_text("Showing your data").wait_for(state="detached", timeout=60_000)
        assert http_status(private) == 404
        assert not [c for c in visit.console if c.startswith("pageerror")], visit.console
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        visit.page.screenshot(path=str(ARTIFACTS / "upload-private.png"), full_page=True)
        print(server.log())
        raise
    finally:
        context.close()
