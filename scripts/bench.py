"""Prints speed figures for the app and a naive baseline, at several data sizes, and their ratios.

For the bundled data and synthetic datasets (30, 1,000 and 10,000 sites by default) it measures
load and snapshot times, the time to build the briefing deck (up to 1,000 sites; --deck-only
runs just that), script reruns after a slider change (AppTest), bytes sent to the map
component, key press to new map in Chromium, map iframe remounts, and server memory with ten
sessions open. Every figure is measured for app.py and for scripts/naive_app.py in the same run.
Not a test: it prints plain lines (see BENCHMARKS.md for a run and the targets of issue 7).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from components.dataset import DATA_DIR, load_dataset  # noqa: E402
from components.synthetic import write_synthetic_dataset  # noqa: E402
from components.timeline import record_span, snapshot  # noqa: E402

APPS = {"ours": REPO / "app.py", "naive": REPO / "scripts" / "naive_app.py"}
# The floor for first paint: a Streamlit page with a title and nothing else.
PAGES = {**APPS, "bare": REPO / "scripts" / "bare_app.py"}
FIRST_PAINT_RUNS = 5
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SLIDER = '[data-testid="stSlider"] input[type="range"]'
SESSIONS = 10
# The naive map takes seconds per rerun at 10,000 sites; fewer changes keep the run short and
# still give a median (its spread is small: every rerun rebuilds the whole map).
NAIVE_CHANGES_LARGE = 3
LARGE = 5_000
START_DATE = "2014-06-01"
DECK_MAX_SITES = 1_000  # the deck section's largest synthetic size


@dataclass
class Figures:
    """Everything measured for one dataset and one app; None where it was not measured."""

    sites: int = 0
    rerun_median_ms: float | None = None
    rerun_p95_ms: float | None = None
    bytes_median: float | None = None
    bytes_per_site: float | None = None
    component_keys: int | None = None
    update_median_ms: float | None = None
    update_p95_ms: float | None = None
    # Ours draws the slider's date in the browser at once; this is when Python's layer arrives.
    server_update_median_ms: float | None = None
    server_update_p95_ms: float | None = None
    slider_delay_ms: float | None = None
    remounts: int | None = None
    rss_idle_mb: float | None = None
    rss_sessions_mb: float | None = None
    notes: list[str] = field(default_factory=list)


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock seconds of each of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def spread_dates(first: dt.date, last: dt.date, count: int) -> list[dt.date]:
    """`count` dates evenly inside the record, so reruns see early, middle and late states."""
    step = (last - first) / (count + 1)
    return [first + step * (n + 1) for n in range(count)]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile; with few values p95 is simply the largest, which is honest."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ms(seconds: float) -> float:
    return seconds * 1000


def bench_queries(label: str, directory: Path, load_repeat: int) -> None:
    """load_dataset and snapshot times, straight from Python."""
    loads = timed(lambda: load_dataset(directory), load_repeat)
    dataset = load_dataset(directory)
    dates = spread_dates(*record_span(dataset), 200)
    snapshot(dataset, dates[0])  # builds the date index once, as the app's first rerun does
    snaps = [timed(lambda d=d: snapshot(dataset, d), 1)[0] for d in dates]
    print(
        f"[{label}] data: {len(dataset.sites):,} sites, {len(dataset.site_status):,} periods, "
        f"{len(dataset.events):,} events | load_dataset median {ms(statistics.median(loads)):.0f} ms"
        f" | snapshot median {ms(statistics.median(snaps)):.2f} ms,"
        f" p95 {ms(percentile(snaps, 0.95)):.2f} ms"
    )


def bench_deck(label: str, directory: Path) -> None:
    """Time to build the briefing deck (maps drawn on the server), write it as .pptx and as PDF."""
    from components.deck import build_deck, write_pdf, write_pptx

    dataset = load_dataset(directory)
    started = time.perf_counter()
    deck = build_deck(dataset, "en")
    built = time.perf_counter()
    pptx = write_pptx(deck)
    written = time.perf_counter()
    pdf = write_pdf(deck)
    done = time.perf_counter()
    print(
        f"[{label}] deck: {len(deck.slides)} slides, {len(dataset.sites):,} sites | build "
        f"{built - started:.1f} s (maps and text), pptx {written - built:.1f} s "
        f"({len(pptx) / 1e6:.1f} MB), pdf {done - written:.1f} s ({len(pdf) / 1e6:.1f} MB) | "
        f"total {done - started:.1f} s"
    )


@contextlib.contextmanager
def measuring_component() -> Iterator[tuple[list[int], set[str]]]:
    """Records the JSON size of every call to st_folium's component and the keys it used."""
    import streamlit_folium

    sizes: list[int] = []
    keys: set[str] = set()
    original = streamlit_folium._component_func

    def wrapper(**kwargs):
        sent = {k: v for k, v in kwargs.items() if k != "on_change"}
        sizes.append(len(json.dumps(sent, default=str).encode()))
        keys.add(kwargs["key"])
        return original(**kwargs)

    streamlit_folium._component_func = wrapper
    try:
        yield sizes, keys
    finally:
        streamlit_folium._component_func = original


def bench_reruns(
    label: str,
    variant: str,
    directory: Path,
    changes: int,
    out: Figures,
    link: dict[str, str] | None = None,
) -> None:
    """Slider changes through AppTest: script time per rerun and bytes sent to the map.

    `link` opens the page with these URL values first (compare mode: {"compare": day}).
    """
    from streamlit.testing.v1 import AppTest

    dataset = load_dataset(directory)
    dates = spread_dates(*record_span(dataset), changes)
    os.environ["FOOTPRINT_DATA_DIR"] = str(directory)
    try:
        with measuring_component() as (sizes, keys):
            app = AppTest.from_file(str(APPS[variant]), default_timeout=600)
            for name, value in (link or {}).items():
                app.query_params[name] = value
            app.run()
            if app.exception:
                raise RuntimeError(f"{variant} failed: {app.exception[0].message}")
            # What the map does in a browser once painted: the page then draws everything.
            if "map_painted" in {button.key for button in app.button}:
                app.button(key="map_painted").click().run()
            first_runs = len(sizes)
            reruns, shown = [], []
            for day in dates:
                app.slider(key="date").set_value(day)
                start = time.perf_counter()
                app.run()
                reruns.append(time.perf_counter() - start)
                shown.append(len(snapshot(dataset, day).sites))
    finally:
        os.environ.pop("FOOTPRINT_DATA_DIR", None)
    changed = sizes[first_runs:]  # the page's first run (and the map's signal) are not changes
    out.sites = round(statistics.median(shown))
    out.rerun_median_ms = ms(statistics.median(reruns))
    out.rerun_p95_ms = ms(percentile(reruns, 0.95))
    out.bytes_median = statistics.median(changed)
    out.bytes_per_site = statistics.median(s / max(n, 1) for s, n in zip(changed, shown))
    out.component_keys = len(keys)
    mode = " in compare mode" if link and "compare" in link else ""
    print(
        f"[{label}] {variant}: rerun after a slider change{mode} ({changes} changes) median "
        f"{out.rerun_median_ms:.0f} ms, p95 {out.rerun_p95_ms:.0f} ms | map component payload "
        f"median {out.bytes_median:,.0f} bytes, {out.bytes_per_site:,.0f} bytes per site shown "
        f"(median {out.sites:,} sites) | distinct component keys {len(keys)}"
    )


# Compare mode's second date: the slider moves while this one stays (issue 16).
COMPARE_DATE = "2014-06-01"
RERUN_TARGET_MS = 250  # issue 7's rerun target at 10,000 sites


def bench_compare(sizes: list[int], changes: int) -> None:
    """Only compare mode: reruns after slider changes with a second date set, at each size,
    beside the same reruns without it."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-compare-"))
    for size in sizes:
        directory = write_synthetic_dataset(
            workdir / f"synthetic-{size}", size, periods_per_site=4, events=size * 10
        )
        label = f"{size:,} sites"
        # The same reruns without a second date, right before: on a shared machine the load
        # moves every figure, so what compare mode adds is read against this one.
        plain, compared = Figures(), Figures()
        bench_reruns(label, "ours", directory, changes, plain)
        bench_reruns(label, "ours", directory, changes, compared, {"compare": COMPARE_DATE})
        ok = check(compared.rerun_median_ms, RERUN_TARGET_MS)
        print(
            f"[{label}] compare mode: rerun median {compared.rerun_median_ms:.0f} ms against "
            f"{RERUN_TARGET_MS} ms: {verdict(ok)}; without compare "
            f"{plain.rerun_median_ms:.0f} ms, so compare mode adds "
            f"{compared.rerun_median_ms - plain.rerun_median_ms:.0f} ms"
        )


def slider_date(value: str | None) -> str:
    """Streamlit's date slider holds microseconds since 1970 in its range input."""
    micros = int(float(value or 0))
    return (dt.date(1970, 1, 1) + dt.timedelta(microseconds=micros)).isoformat()


# Resolves after the page's queued tasks and its next frame: a key's follow-up work is done.
AFTER_NEXT_FRAME = """(input) => new Promise((resolve) => {
  setTimeout(() => requestAnimationFrame(() => resolve(input.value)), 0);
})"""


def settled_value(slider) -> str | None:
    """The slider's value once it has stopped moving after a key press.

    Our Page keys move the thumb in two steps (components/assets/streamlit-adapter.js: one day
    short of the month, then an arrow press in the next task), so the value read at once can be
    the day before the date the map will show.
    """
    value = slider.get_attribute("value")
    for _ in range(20):
        later = slider.evaluate(AFTER_NEXT_FRAME)
        if later == value:
            break
        value = later
    return value


def process_tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (Linux only)."""
    total_kb, pending = 0, [pid]
    while pending:
        current = pending.pop()
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
    return total_kb / 1024


@contextlib.contextmanager
def app_directory(variant: str) -> Iterator[Path]:
    """A directory whose app.py is the variant, beside the repository's static/ and settings.

    test_browser's Server always runs <REPO>/app.py, and Streamlit serves static/ from beside
    the script it runs; symlinks give the naive page the same Leaflet files without copying.
    """
    if variant == "ours":
        yield REPO
        return
    with tempfile.TemporaryDirectory(prefix="naive-app-") as temporary:
        folder = Path(temporary)
        (folder / "app.py").symlink_to(PAGES[variant])
        (folder / "static").symlink_to(REPO / "static")
        (folder / ".streamlit").symlink_to(REPO / ".streamlit")
        yield folder


# Installed in the page after it loads: key press time, rerun requests sent on the websocket,
# and every load of a map iframe (a new iframe, or the same one reloaded, is a remount).
INSTRUMENT = """() => {
  window.__keyAt = 0; window.__sends = []; window.__mapLoads = 0;
  document.addEventListener('keydown', () => {
    window.__keyAt = performance.now(); window.__sends = [];
  }, true);
  document.addEventListener('load', (event) => {
    if (event.target.matches && event.target.matches(MAP_FRAME)) window.__mapLoads++;
  }, true);
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    window.__sends.push(performance.now());
    return send.call(this, data);
  };
}""".replace("MAP_FRAME", json.dumps(MAP_FRAME))

# Installed in every frame before it loads: in a map iframe, record when footprintMapDate (the
# date the map shows) and footprintServerDate (the date of the last layer Python sent) take each
# value, on the page's clock, at the next animation frame (when the new layer is painted). Polling from the test instead would add the time the page's main
# thread is busy after the map is drawn (the rest of the rerun) to every figure.
RECORD_DRAWS = """(() => {
  if (window === window.top) return;
  ['footprintMapDate', 'footprintServerDate'].forEach((name) => {
    let value;
    Object.defineProperty(window, name, {
      configurable: true,
      get() { return value; },
      set(next) {
        value = next;
        const top = window.top;
        const drawn = top.__drawnAt || (top.__drawnAt = {});
        const key = name + '|' + next;
        // Stamped at the next frame: a canvas layer is painted then, not when it is added.
        window.requestAnimationFrame(() => {
          const now = top.performance.now();
          if (!(key in drawn) || drawn[key] < (top.__keyAt || 0)) drawn[key] = now;
        });
      },
    });
  });
})();"""

# Milliseconds from the key press until `name` (see RECORD_DRAWS) took the value `wanted`,
# 0 (keep polling) until then.
MAP_SHOWS = """([name, wanted]) => {
  const at = (window.__drawnAt || {})[name + '|' + wanted];
  const key = window.__keyAt || 0;
  return at !== undefined && at >= key ? Math.max(at - key, 0.001) : 0;
}"""


# Installed in every frame before it loads, for first paint: on the page's clock (ms since the
# navigation started), when the page's title was painted and when the map's first markers were
# (the animation frame after footprint-map.js first set footprintMapDate).
RECORD_FIRST_PAINT = """(() => {
  const top = window.top;
  if (window === top) {
    window.__paint = {};
    new MutationObserver(() => {
      if (!('title' in window.__paint) && document.querySelector('h1')) {
        window.__paint.title = null;
        requestAnimationFrame(() => { window.__paint.title = performance.now(); });
      }
    }).observe(document, { subtree: true, childList: true });
    return;
  }
  let value;
  Object.defineProperty(window, 'footprintMapDate', {
    configurable: true,
    get() { return value; },
    set(next) {
      value = next;
      requestAnimationFrame(() => {
        const paint = top.__paint;
        if (paint && !paint.markers && document.querySelector('.fp-marker, canvas')) {
          paint.markers = top.performance.now();
        }
      });
    },
  });
})();"""


def first_paint(browser, url: str, wanted: str, timeout_ms: int, visits: int = 1) -> list[dict]:
    """Seconds to `wanted` (and what else was painted by then), per visit at 1920x1080, in one
    new browser context: the first visit with an empty cache (cold), later ones reloads (warm)."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.add_init_script(RECORD_FIRST_PAINT)
    page = context.new_page()
    condition = f"() => window.__paint && window.__paint.{wanted} > 0"
    found = []
    for visit in range(visits):
        if visit == 0:
            page.goto(url, wait_until="commit")
        else:
            page.reload(wait_until="commit")
        page.wait_for_function(condition, timeout=timeout_ms)
        paint = page.evaluate("() => window.__paint")
        found.append({name: value / 1000 for name, value in paint.items() if value})
    context.close()
    return found


def bench_first_paint(runs: int = FIRST_PAINT_RUNS) -> tuple[float, float]:
    """Opening the page to first markers on the bundled data, beside a bare page's first paint.

    Both servers run at once and are visited in turn, each in a fresh browser context (cold
    cache) and then reloaded (warm cache), after one visit each to warm the servers up (the first
    visitor also pays Python's imports). Returns the cold medians (bare page's title painted,
    our first markers painted), in seconds.
    """
    from playwright.sync_api import sync_playwright

    from tests import test_browser

    timeout_ms = int(os.environ.get("BENCH_TIMEOUT_MS", "120000"))
    load_before = os.getloadavg()[0]
    with contextlib.ExitStack() as stack:
        servers = {}
        for variant in ("bare", "ours"):
            folder = stack.enter_context(app_directory(variant))
            log = Path(tempfile.mkdtemp(prefix="bench-log-")) / "server.log"
            saved_repo, test_browser.REPO = test_browser.REPO, folder
            try:
                servers[variant] = test_browser.Server(DATA_DIR, log)
            finally:
                test_browser.REPO = saved_repo
            stack.callback(servers[variant].stop)
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(
            executable_path=test_browser.CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        stack.callback(browser.close)
        bare_url = servers["bare"].url + "/"
        ours_url = servers["ours"].url + f"/?date={START_DATE}"
        first_paint(browser, bare_url, "title", timeout_ms)
        first_paint(browser, ours_url, "markers", timeout_ms)
        seen: dict[str, list[float]] = {"bare cold": [], "bare warm": [], "cold": [], "warm": []}
        titles = []
        for _ in range(runs):
            bare_cold, bare_warm = first_paint(browser, bare_url, "title", timeout_ms, 2)
            ours_cold, ours_warm = first_paint(browser, ours_url, "markers", timeout_ms, 2)
            seen["bare cold"].append(bare_cold["title"])
            seen["bare warm"].append(bare_warm["title"])
            seen["cold"].append(ours_cold["markers"])
            seen["warm"].append(ours_warm["markers"])
            titles.append(ours_cold.get("title", float("nan")))
    median = {name: statistics.median(values) for name, values in seen.items()}
    for cache in ("cold", "warm"):
        gap = median[cache] - median[f"bare {cache}"]
        print(
            f"[bundled data] first paint at 1920x1080, {cache} cache ({runs} visits each, "
            f"medians): bare Streamlit page's title {median[f'bare {cache}']:.2f} s | ours: "
            f"first markers {median[cache]:.2f} s (min {min(seen[cache]):.2f}, max "
            f"{max(seen[cache]):.2f}) | first markers after the bare page's first paint: "
            f"{gap:+.2f} s (target under 0.5 s): {verdict(gap < 0.5)}"
        )
    print(f"[bundled data] ours: title painted (cold) median {statistics.median(titles):.2f} s")
    # On a shared machine the load says how far to trust the figures above.
    print(
        f"[bundled data] load average (1 min) at the start {load_before:.1f}, "
        f"at the end {os.getloadavg()[0]:.1f}"
    )
    bare_s, markers_s = median["bare cold"], median["cold"]
    return bare_s, markers_s


class ServerGone(RuntimeError):
    """The Streamlit server stopped during a measurement (something else may have killed it)."""


def wait_map(page, server, wanted: str, timeout_ms: int, name: str = "footprintMapDate") -> float:
    """Milliseconds from the last key press until the map shows `wanted` (see MAP_SHOWS).

    Waits in short slices, so a server that died is noticed at once instead of at the timeout.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        if server.process.poll() is not None:
            raise ServerGone(f"server exited:\n{server.log()[-2000:]}")
        try:
            found = page.wait_for_function(MAP_SHOWS, arg=[name, wanted], timeout=5_000)
            return found.json_value()
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise


def open_sessions(browser, server, dates: list[str], timeout_ms: int) -> list:
    """Fresh browser contexts on the page, one per date, returned once each map shows its date.

    All pages are requested before any is awaited, so the server renders them side by side
    (as with real visitors) and slow maps do not add up one after the other.
    """
    opened = []
    for date in dates:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.add_init_script(RECORD_DRAWS)
        page = context.new_page()
        page.goto(f"{server.url}/?date={date}", wait_until="commit")
        opened.append((context, page, date))
    for _, page, date in opened:
        wait_map(page, server, date, timeout_ms)
    return [(context, page) for context, page, _ in opened]


def bench_browser(
    label: str, variant: str, directory: Path, changes: int, sessions: int, out: Figures
) -> None:
    """In Chromium: key press to new map, remounts; then server memory with `sessions` open."""
    from tests import test_browser

    timeout_ms = int(os.environ.get("BENCH_TIMEOUT_MS", "600000"))
    log = Path(tempfile.mkdtemp(prefix="bench-log-")) / "server.log"
    with contextlib.ExitStack() as stack:
        # The directory must outlive the server: it is the server's working directory.
        folder = stack.enter_context(app_directory(variant))
        saved_repo, test_browser.REPO = test_browser.REPO, folder
        try:
            server = test_browser.Server(directory, log)
        finally:
            test_browser.REPO = saved_repo
        stack.callback(server.stop)
        browser_figures(label, variant, server, changes, sessions, out, timeout_ms)


def browser_figures(
    label: str, variant: str, server, changes: int, sessions: int, out: Figures, timeout_ms: int
) -> None:
    """The Chromium part of bench_browser, against a running server."""
    from playwright.sync_api import sync_playwright

    from tests import test_browser

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=test_browser.CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        [(context, page)] = open_sessions(browser, server, [START_DATE], timeout_ms)
        out.rss_idle_mb = process_tree_rss_mb(server.process.pid)
        page.evaluate(INSTRUMENT)
        slider = page.locator(SLIDER).first
        slider.focus()
        delays, server_delays, slider_delays, key = [], [], [], "PageUp"
        for _ in range(changes):
            before = slider.get_attribute("value")
            slider.press(key)
            if slider.get_attribute("value") == before:  # at the end of the record: turn back
                key = "PageDown" if key == "PageUp" else "PageUp"
                slider.press(key)
            wanted = slider_date(settled_value(slider))
            delays.append(wait_map(page, server, wanted, timeout_ms) / 1000)
            if variant == "ours":
                # The next key waits for the rerun too, so every change starts from a quiet page.
                server_delays.append(
                    wait_map(page, server, wanted, timeout_ms, "footprintServerDate") / 1000
                )
            sent = page.evaluate(
                "() => window.__sends.length ? window.__sends[0] - window.__keyAt : null"
            )
            if sent is not None:
                slider_delays.append(sent / 1000)
        out.remounts = page.evaluate("() => window.__mapLoads")
        out.update_median_ms = ms(statistics.median(delays))
        out.update_p95_ms = ms(percentile(delays, 0.95))
        out.slider_delay_ms = ms(statistics.median(slider_delays)) if slider_delays else None
        server_note = ""
        if server_delays:
            out.server_update_median_ms = ms(statistics.median(server_delays))
            out.server_update_p95_ms = ms(percentile(server_delays, 0.95))
            server_note = (
                f" | key press to Python's layer for that date median "
                f"{out.server_update_median_ms:.0f} ms, p95 {out.server_update_p95_ms:.0f} ms"
            )
        print(
            f"[{label}] {variant}: browser, key press to new map ({changes} changes) median "
            f"{out.update_median_ms:.0f} ms, p95 {out.update_p95_ms:.0f} ms{server_note} | key "
            f"press to rerun request (Streamlit's slider delay) median "
            f"{out.slider_delay_ms or float('nan'):.0f} ms | map iframe remounts {out.remounts}"
        )
        # Each further session opens on its own date, so the server holds distinct states.
        days = spread_dates(dt.date(2004, 1, 1), dt.date(2025, 1, 1), sessions - 1)
        others = open_sessions(browser, server, [d.isoformat() for d in days], timeout_ms)
        out.rss_sessions_mb = process_tree_rss_mb(server.process.pid)
        print(
            f"[{label}] {variant}: server memory (RSS, streamlit and children) "
            f"{out.rss_idle_mb:.0f} MB with 1 session, {out.rss_sessions_mb:.0f} MB with "
            f"{sessions} sessions open"
        )
        for other, _ in [(context, page), *others]:
            other.close()
        browser.close()


def ratio(naive: float | None, ours: float | None) -> str:
    if naive is None or ours is None or ours <= 0:
        return "n/a"
    return f"{naive / ours:.1f}x"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "NOT MET")


def check(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def summarise(results: dict[str, dict[str, Figures]], sizes: dict[str, int]) -> None:
    """Ratios (naive / ours: how many times smaller or faster ours is) and issue 7's targets."""
    print("\nratios, naive / ours (higher is better for ours):")
    for label, pair in results.items():
        ours, naive = pair.get("ours"), pair.get("naive")
        if not ours or not naive:
            continue
        print(
            f"[{label}] rerun median {ratio(naive.rerun_median_ms, ours.rerun_median_ms)}, "
            f"bytes per change {ratio(naive.bytes_median, ours.bytes_median)}, "
            f"browser update median {ratio(naive.update_median_ms, ours.update_median_ms)} "
            f"(to Python's layer: "
            f"{ratio(naive.update_median_ms, ours.server_update_median_ms)})"
        )
    print("\nissue 7 targets:")
    for label, pair in results.items():
        ours, naive = pair.get("ours"), pair.get("naive")
        if ours is None:
            continue
        if sizes.get(label) == 10_000:
            print(f"[{label}] rerun median <= 250 ms: {verdict(check(ours.rerun_median_ms, 250))}")
            print(f"[{label}] browser update <= 1 s: {verdict(check(ours.update_median_ms, 1000))}")
            print(
                f"[{label}]   (Python's own layer for the date <= 1 s: "
                f"{verdict(check(ours.server_update_median_ms, 1000))})"
            )
            print(f"[{label}] <= 200 bytes per site: {verdict(check(ours.bytes_per_site, 200))}")
            print(f"[{label}] zero remounts: {verdict(check(ours.remounts, 0))}")
        if sizes.get(label) == 30 and ours.update_median_ms is not None:
            extra = ours.update_median_ms - (ours.slider_delay_ms or 0)
            when = (
                f"{extra:.0f} ms after the rerun request"
                if extra >= 0
                else f"{-extra:.0f} ms before the rerun request is even sent"
            )
            print(
                f"[{label}] browser update within 100 ms of Streamlit's slider delay: "
                f"{verdict(extra <= 100)} ({when})"
            )
            if ours.server_update_median_ms is not None:
                late = ours.server_update_median_ms - (ours.slider_delay_ms or 0)
                print(
                    f"[{label}]   (Python's own layer for the date follows "
                    f"{late:.0f} ms after the rerun request)"
                )
        if ours.rss_sessions_mb is not None:
            print(
                f"[{label}] server memory with {SESSIONS} sessions < 1 GB: "
                f"{verdict(ours.rss_sessions_mb < 1024)}"
            )
        if sizes.get(label, 0) >= 1000:
            for name, a, b in (
                ("rerun", naive and naive.rerun_median_ms, ours.rerun_median_ms),
                ("bytes", naive and naive.bytes_median, ours.bytes_median),
                ("browser update", naive and naive.update_median_ms, ours.update_median_ms),
            ):
                ok = None if a is None or b is None else a / b >= 10
                print(f"[{label}] {name} at least 10x better than naive: {verdict(ok)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=None,
        help="synthetic site counts (default 30, 1,000 and 10,000; 10,000 with --compare-only)",
    )
    parser.add_argument("--changes", type=int, default=20, help="slider changes per measurement")
    parser.add_argument("--no-browser", action="store_true", help="skip Chromium and memory")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 30 and 200 sites, 4 changes"
    )
    parser.add_argument(
        "--deck-only",
        action="store_true",
        help="only the deck section: build times for the bundled data and sizes up to 1,000",
    )
    parser.add_argument(
        "--first-paint-only",
        action="store_true",
        help="only time opening the page to first markers, beside a bare Streamlit page",
    )
    parser.add_argument(
        "--compare-only",
        action="store_true",
        help="only reruns in compare mode (a second date set), at --sizes (10,000 by default)",
    )
    parser.add_argument(
        "--apps",
        nargs="+",
        choices=list(APPS),
        default=list(APPS),
        help="which pages to measure (default both; ratios need both)",
    )
    options = parser.parse_args()
    if options.quick:
        options.sizes, options.changes = [30, 200], 4
    started = time.perf_counter()
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {memory_kb / 1024**2:.1f} GB, "
        f"Python {platform.python_version()}"
    )
    print(f"command: python scripts/bench.py {' '.join(sys.argv[1:])}".rstrip())
    if options.sizes is None:
        options.sizes = [10_000] if options.compare_only else [30, 1_000, 10_000]
    if options.compare_only:
        bench_compare(options.sizes, options.changes)
        print(f"\ntotal time {time.perf_counter() - started:.0f} s")
        return
    browser_ok = not options.no_browser
    if browser_ok:
        from tests.test_browser import CHROMIUM

        if CHROMIUM is None:
            print("browser: skipped (install Debian's chromium)")
            browser_ok = False
    if options.first_paint_only or browser_ok:
        bench_first_paint()
        if options.first_paint_only:
            return
    cases = [("bundled data", DATA_DIR)]
    sizes: dict[str, int] = {}
    workdir = Path(tempfile.mkdtemp(prefix="bench-data-"))
    for size in options.sizes:
        # 10 events per site, as the issue asks (100,000 events at 10,000 sites).
        directory = write_synthetic_dataset(
            workdir / f"synthetic-{size}", size, periods_per_site=4, events=size * 10
        )
        cases.append((f"{size:,} sites", directory))
        sizes[f"{size:,} sites"] = size
    # The deck is built on demand from the page; it must stay bounded for a thousand sites.
    for label, directory in cases:
        if sizes.get(label, 0) <= DECK_MAX_SITES:
            bench_deck(label, directory)
    if options.deck_only:
        print(f"\ntotal time {time.perf_counter() - started:.0f} s")
        return
    results: dict[str, dict[str, Figures]] = {}
    for label, directory in cases:
        bench_queries(label, directory, load_repeat=1 if "10,000" in label else 3)
        results[label] = {}
        for variant in options.apps:
            figures = Figures()
            large = sizes.get(label, 0) >= LARGE
            changes = (
                min(options.changes, NAIVE_CHANGES_LARGE)
                if variant == "naive" and large
                else options.changes
            )
            bench_reruns(label, variant, directory, changes, figures)
            for attempt in (1, 2) if browser_ok else ():
                try:
                    bench_browser(label, variant, directory, changes, SESSIONS, figures)
                    break
                except ServerGone as error:
                    # Seen when another process on a shared machine stops Streamlit servers.
                    print(
                        f"[{label}] {variant}: browser attempt {attempt} lost its server: {error}"
                    )
            results[label][variant] = figures
    summarise(results, sizes)
    print(f"\ntotal time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
