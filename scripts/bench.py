"""Prints speed figures: load and snapshot times, app rerun times, map payload, map remounts in Chromium."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from components.dataset import DATA_DIR, load_dataset  # noqa: E402
from components.synthetic import write_synthetic_dataset  # noqa: E402
from components.timeline import record_span, snapshot  # noqa: E402


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock seconds of each of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def spread_dates(first: dt.date, last: dt.date, count: int) -> list[dt.date]:
    step = (last - first) / (count + 1)
    return [first + step * (n + 1) for n in range(count)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_queries(label: str, directory: Path, load_repeat: int) -> None:
    loads = timed(lambda: load_dataset(directory), load_repeat)
    dataset = load_dataset(directory)
    dates = spread_dates(*record_span(dataset), 200)
    snapshot(dataset, dates[0])  # builds the date index once, as the app's first rerun does
    snaps = [timed(lambda d=d: snapshot(dataset, d), 1)[0] for d in dates]
    print(
        f"{label}: {len(dataset.sites):,} sites, {len(dataset.site_status):,} periods, "
        f"{len(dataset.events):,} events | load_dataset median {statistics.median(loads) * 1000:.1f} ms"
        f" | snapshot median {statistics.median(snaps) * 1000:.2f} ms,"
        f" p95 {percentile(snaps, 0.95) * 1000:.2f} ms"
    )


def bench_reruns(directory: Path, changes: int) -> None:
    """Slider changes through AppTest: script time per rerun and bytes sent to the map component."""
    import streamlit_folium
    from streamlit.testing.v1 import AppTest

    sent_sizes: list[int] = []
    keys: set[str] = set()
    original = streamlit_folium._component_func

    def measuring_component(**kwargs):
        args = {k: v for k, v in kwargs.items() if k != "on_change"}
        sent_sizes.append(len(json.dumps(args, default=str).encode()))
        keys.add(kwargs["key"])
        return original(**kwargs)

    streamlit_folium._component_func = measuring_component
    os.environ["FOOTPRINT_DATA_DIR"] = str(directory)
    try:
        app = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
        dataset = load_dataset(directory)
        dates = spread_dates(*record_span(dataset), changes)
        reruns, site_counts = [], []
        for day in dates:
            app.slider(key="date").set_value(day)
            start = time.perf_counter()
            app.run()
            reruns.append(time.perf_counter() - start)
            site_counts.append(len(snapshot(dataset, day).sites))
    finally:
        streamlit_folium._component_func = original
        os.environ.pop("FOOTPRINT_DATA_DIR", None)
    per_site = [size / max(count, 1) for size, count in zip(sent_sizes[1:], site_counts)]
    print(
        f"app rerun after a slider change ({changes} changes): median "
        f"{statistics.median(reruns) * 1000:.0f} ms, p95 {percentile(reruns, 0.95) * 1000:.0f} ms"
    )
    print(
        f"map component payload: median {statistics.median(sent_sizes):,.0f} bytes per rerun, "
        f"{statistics.median(per_site):,.0f} bytes per site shown "
        f"(median {statistics.median(site_counts):.0f} sites); "
        f"distinct component keys: {len(keys)} (1 = never remounted by a key change)"
    )


def slider_date(value: str | None) -> str:
    """Streamlit's date slider holds microseconds since 1970 in its range input."""
    micros = int(float(value or 0))
    return (dt.date(1970, 1, 1) + dt.timedelta(microseconds=micros)).isoformat()


def bench_browser(directory: Path, changes: int) -> None:
    """In Chromium: key press to new markers, and how often the map iframe is recreated."""
    sys.path.insert(0, str(REPO / "tests"))
    from test_browser import CHROMIUM, MAP_FRAME, Server

    if CHROMIUM is None:
        print("browser: skipped (install Debian's chromium)")
        return
    from playwright.sync_api import sync_playwright

    server = Server(directory, Path(tempfile.mkdtemp()) / "server.log")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{server.url}/?date=2014-06-01")
            page.wait_for_selector(MAP_FRAME, timeout=60_000)
            frame_element = page.locator(MAP_FRAME).element_handle()
            map_frame = frame_element.content_frame()
            map_frame.wait_for_selector(".fp-marker", timeout=60_000)
            map_frame.evaluate("() => { window.__loads = (window.__loads || 0) + 1; }")
            page.evaluate(
                """() => { window.__frames = 0; new MutationObserver(ms => ms.forEach(m =>
                m.addedNodes.forEach(n => { if (n.tagName === 'IFRAME' ||
                (n.querySelector && n.querySelector('iframe'))) window.__frames++; })))
                .observe(document.body, {childList: true, subtree: true}); }"""
            )
            slider = page.locator('[data-testid="stSlider"] input[type="range"]').first
            delays = []
            for n in range(changes):
                start = time.perf_counter()
                # Alternate big steps forward and back, so the date always changes and stays in range.
                slider.press("PageUp" if n % 2 == 0 else "PageDown")
                wanted = slider_date(slider.get_attribute("value"))
                map_frame.wait_for_function(
                    f"() => window.footprintMapDate === '{wanted}'", timeout=30_000
                )
                delays.append(time.perf_counter() - start)
            remounts = page.evaluate("() => window.__frames")
            same_window = map_frame.evaluate("() => window.__loads") == 1
            browser.close()
    finally:
        server.stop()
    print(
        f"browser ({changes} PageUp presses on the slider): key press to new map layer median "
        f"{statistics.median(delays) * 1000:.0f} ms, p95 {percentile(delays, 0.95) * 1000:.0f} ms; "
        f"map iframes added: {remounts}; same map window throughout: {same_window}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=20, help="slider changes to time")
    parser.add_argument("--sites", type=int, nargs="*", default=[10_000], help="synthetic sizes")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurement")
    options = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    bench_queries("bundled data", DATA_DIR, 10)
    for size in options.sites:
        directory = write_synthetic_dataset(
            Path(tempfile.mkdtemp()) / f"synthetic-{size}", size, events=min(size * 10, 100_000)
        )
        bench_queries(f"synthetic {size:,}", directory, 1)
    bench_reruns(DATA_DIR, options.changes)
    if not options.no_browser:
        bench_browser(DATA_DIR, options.changes)


if __name__ == "__main__":
    main()
