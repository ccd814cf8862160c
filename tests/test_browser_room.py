"""The app on the bundled data as a room sees it: first screen, slides, presenter keys, basemap."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest

from components.dataset import DATA_DIR
from tests.fixtures import wait_for_frame_height, wait_until_idle
from tests.test_browser import (  # noqa: F401
    ARTIFACTS,
    CHROMIUM,
    MAP_FRAME,
    Server,
    Visit,
    browser,
    wait_for_first_screen,
)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="browser tests need Chromium")

SIZES = [(1920, 1080), (1280, 720), (390, 844)]
DESKTOP_SIZES = SIZES[:2]
# Seven sites around Baghdad on this date, two of them (the HQ and Besmaya) on the very same spot.
CROWDED_DAY = "2025-07-01"
BAGHDAD_SITES = {
    "abu_ghraib",
    "balad",
    "besmaya",
    "camp_victory",
    "coalition_hq_baghdad",
    "taji",
    "taqaddum",
}


@pytest.fixture(scope="module")
def bundled_server(tmp_path_factory) -> Iterator[Server]:
    server = Server(DATA_DIR, tmp_path_factory.mktemp("bundled-log") / "server.log")
    yield server
    server.stop()


def open_page(chromium, url: str, width: int, height: int) -> tuple[Visit, object]:
    context = chromium.new_context(viewport={"width": width, "height": height})
    visit = Visit(context.new_page())
    visit.page.goto(url)
    wait_for_first_screen(visit, url)
    return visit, context


def analyst_map_height(width: int, height: int) -> float:
    """The analyst map's height that components/views/page.css gives a screen of this size."""
    if width <= 640:
        return min(max(260, 0.55 * height), 520)
    return min(max(300, height - 215), 820)


def shoot(visit: Visit, name: str) -> None:
    """Screenshots are kept as artefacts, to be looked at."""
    ARTIFACTS.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def inside_viewport(box: dict | None, width: int, height: int) -> bool:
    return (
        box is not None
        and box["x"] >= -1
        and box["y"] >= -1
        and box["x"] + box["width"] <= width + 1
        and box["y"] + box["height"] <= height + 1
    )


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_first_screen_shows_the_map_its_date_and_legend(
    browser,  # noqa: F811
    bundled_server,
    width: int,
    height: int,
) -> None:
    visit, context = open_page(browser, f"{bundled_server.url}/?date=2024-09-27", width, height)
    page = visit.page
    # The rest of the first screen comes once the map has painted; the page's style then sizes
    # the frame to the screen (components/views/page.css).
    page.locator('.st-key-date input[type="range"]').wait_for(timeout=30_000)
    wait_until_idle(page)
    wait_for_frame_height(page, MAP_FRAME, analyst_map_height(width, height))
    shoot(visit, f"analyst-{width}x{height}")
    frame_box = page.locator(MAP_FRAME).bounding_box()
    assert inside_viewport(frame_box, width, height), frame_box
    assert frame_box["height"] >= 250
    heading = page.locator("h3", has_text="27 September 2024").first
    assert inside_viewport(heading.bounding_box(), width, height)
    legend = visit.frame.locator(".fp-legend")
    assert inside_viewport(legend.bounding_box(), width, height)
    slider = page.locator(".st-key-date")
    pills = page.locator(".st-key-phase_jump")
    if width >= 1280:
        # The date slider sits beside the map, also in the first screen.
        assert inside_viewport(slider.bounding_box(), width, height)
        assert frame_box["width"] >= width * 0.4
    else:
        # On a phone the map comes first, then its slider, then the phases.
        assert frame_box["y"] < slider.bounding_box()["y"] < pills.bounding_box()["y"]
    context.close()


@pytest.mark.parametrize(
    ("width", "height"), DESKTOP_SIZES, ids=[f"{w}x{h}" for w, h in DESKTOP_SIZES]
)
def test_a_briefing_slide_fits_one_screen(browser, bundled_server, width, height) -> None:  # noqa: F811
    visit, context = open_page(
        browser, f"{bundled_server.url}/?mode=briefing&step=2", width, height
    )
    page = visit.page
    page.wait_for_function(
        """() => document.querySelector('[data-testid="stSidebar"]')
            ?.getAttribute('data-collapsed') === 'true'""",
        timeout=10_000,
    )
    wait_until_idle(page)
    wait_for_frame_height(page, MAP_FRAME, min(max(300, height - 165), 900))
    shoot(visit, f"briefing-{width}x{height}")
    for part in [
        page.locator(MAP_FRAME),
        page.locator("h2", has_text="2008 agreements").first,
        page.locator(".fp-big-date"),
        page.locator(".st-key-slide_text .fp-text").first,
        page.get_by_text("What changed since the previous step"),
        page.locator(".st-key-brief_next button"),
        visit.frame.locator(".fp-legend"),
    ]:
        assert inside_viewport(part.bounding_box(), width, height), part
    # Nothing runs past the screen: the page itself does not scroll.
    assert page.evaluate("() => document.scrollingElement.scrollHeight") <= height + 2
    assert "18 December 2011" in page.locator(".fp-big-date").inner_text()
    summary_px = page.locator(".st-key-slide_text .fp-text").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    date_px = page.locator(".fp-big-date").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    if height >= 1080:
        assert summary_px >= 20, summary_px
    assert date_px >= 2 * summary_px
    context.close()


def test_presenter_keys_step_the_slides(browser, bundled_server) -> None:  # noqa: F811
    visit, context = open_page(browser, f"{bundled_server.url}/?mode=briefing&step=1", 1280, 720)
    page = visit.page
    count = page.evaluate("() => Number(document.body.innerText.match(/Step \\d+ of (\\d+)/)[1])")
    assert count >= 4

    def expect(step: int) -> None:
        page.get_by_text(f"Step {step} of {count}").first.wait_for(timeout=20_000)
        page.wait_for_url(re.compile(rf".*step={step}(&|$).*"), timeout=20_000)

    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for key, step in [
        ("ArrowRight", 2),
        ("Space", 3),
        ("PageDown", 4),
        ("n", 5),
        ("ArrowLeft", 4),
        ("PageUp", 3),
        ("p", 2),
        ("End", count),
        ("Home", 1),
    ]:
        page.keyboard.press(key)
        expect(step)
        wait_until_idle(page)  # the buttons are the new slide's before the next key
    # With the map focused (a presenter who clicked on it), the keys still step the slides.
    visit.frame.locator(".leaflet-container").focus()
    page.keyboard.press("PageDown")
    expect(2)
    # Keys typed into a field stay there.
    speed = page.locator(".st-key-play_speed input").first
    if speed.count():
        speed.focus()
        # The keys' handler presses a slide button at once, inside the key's own event: a click
        # on one would be counted by the time the press returns.
        page.evaluate(
            """() => { window.__slideClicks = 0;
                document.querySelectorAll('[class*="st-key-brief_"] button').forEach(
                    b => b.addEventListener('click', () => window.__slideClicks++, true)); }"""
        )
        page.keyboard.press("ArrowLeft")
        assert page.evaluate("() => window.__slideClicks") == 0
        expect(2)
    context.close()


def test_each_marker_in_the_baghdad_cluster_opens_its_own_site(browser, bundled_server) -> None:  # noqa: F811
    visit, context = open_page(browser, f"{bundled_server.url}/?date={CROWDED_DAY}", 1280, 720)
    page = visit.page
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    frame.wait_for_function(
        f"() => document.querySelectorAll('.fp-marker[data-site]').length >= {len(BAGHDAD_SITES)}"
    )
    shoot(visit, "baghdad-cluster-1280x720")
    for site in sorted(BAGHDAD_SITES):
        frame.evaluate("() => window.map.closePopup()")
        marker = visit.frame.locator(f'.fp-marker[data-site="{site}"]')
        box = marker.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        frame_box = page.locator(MAP_FRAME).bounding_box()
        # The marker itself is what is under the pointer: no other marker covers it.
        under = frame.evaluate(
            "([x, y]) => document.elementFromPoint(x, y)?.closest('.fp-marker')?.dataset.site",
            [x - frame_box["x"], y - frame_box["y"]],
        )
        assert under == site, (site, under)
        page.mouse.click(x, y)
        page.wait_for_url(re.compile(rf".*site={site}(&|$).*"), timeout=20_000)
        visit.frame.locator(".fp-popup").first.wait_for(timeout=10_000)
    context.close()


def test_the_offline_basemap_names_places_in_the_page_language(browser, bundled_server) -> None:  # noqa: F811
    for lang, baghdad, erbil in [("en", "Baghdad", "Erbil"), ("ar", "بغداد", "أربيل")]:
        visit, context = open_page(
            browser, f"{bundled_server.url}/?date=2024-09-27&lang={lang}", 1280, 720
        )
        frame = visit.page.locator(MAP_FRAME).element_handle().content_frame()
        frame.wait_for_function("() => window.footprintBasemapReady === true", timeout=20_000)
        cities = visit.frame.locator(".fp-city").all_inner_texts()
        assert baghdad in cities and erbil in cities, cities
        assert visit.frame.locator("path.fp-governorate").count() >= 18
        assert visit.frame.locator("path.fp-river").count() >= 2
        assert visit.frame.locator("path.fp-region").count() == 1
        assert visit.frame.locator(".fp-region-label").count() == 1
        hosts = {re.sub(r"^\w+://([^/:]+).*", r"\1", u) for u in visit.requests if "://" in u}
        assert hosts <= {"127.0.0.1"}, hosts
        shoot(visit, f"basemap-{lang}-1280x720")
        if lang == "ar":
            # Popups lead with the Arabic name; the link word is Arabic too.
            frame.evaluate("() => window.map.closePopup()")
            visit.frame.locator('.fp-marker[data-site="ain_al_asad"]').click()
            first = visit.frame.locator(".fp-popup > div").first
            assert first.get_attribute("lang") == "ar"
            assert first.inner_text() == "قاعدة عين الأسد"
            assert "رابط" in visit.frame.locator(".fp-popup").inner_text()
            # Words Streamlit writes itself: the skip link and the uploader's button.
            skip = visit.page.locator('[data-testid="stSkipToContent"]')
            assert skip.text_content() == "تخطَّ إلى المحتوى الرئيسي"
            upload = visit.page.locator('[data-testid="stFileUploaderDropzone"] button')
            assert upload.get_attribute("aria-label") == "رفع ملف"
        context.close()


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720), (390, 844)])
def test_the_sites_where_forces_are_get_their_names_first(
    browser,  # noqa: F811
    bundled_server,
    width,
    height,
) -> None:
    # 12 March 2026: Erbil Air Base is the active site of phase 2, beside the city of Erbil and
    # crowded by Harir, Altun Kupri and Mosul; the room must read its name, not only the city's.
    visit, context = open_page(browser, f"{bundled_server.url}/?date=2026-03-12", width, height)
    # Names are placed again when the map settles at its final size: read them after that.
    wait_for_frame_height(visit.page, MAP_FRAME, analyst_map_height(width, height))
    wait_until_idle(visit.page)
    frame = visit.page.locator(MAP_FRAME).element_handle().content_frame()
    frame.wait_for_function("() => window.footprintBasemapReady === true", timeout=20_000)
    visit.frame.locator(".fp-site-label").first.wait_for(timeout=20_000)
    labels = visit.frame.locator(".fp-site-label").all_inner_texts()
    assert "Erbil Air Base" in labels, labels
    # No two names on the map overlap.
    boxes = frame.evaluate(
        """() => [...document.querySelectorAll('.fp-site-label span, .fp-city span')]
            .filter((e) => getComputedStyle(e.closest('.leaflet-marker-icon')).visibility !== 'hidden')
            .map((e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""
    )

    def overlap(a, b) -> bool:
        return a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1

    for n, a in enumerate(boxes):
        for b in boxes[n + 1 :]:
            assert not overlap(a, b), (a, b)
    # Nor does a site's name hide under the map's buttons or its legend (a phone's small map).
    controls = frame.evaluate(
        """() => [...document.querySelectorAll('.leaflet-control')]
            .map((e) => e.getBoundingClientRect()).filter((r) => r.width && r.height)
            .map((r) => [r.left, r.top, r.right, r.bottom])"""
    )
    sites = frame.evaluate(
        """() => [...document.querySelectorAll('.fp-site-label span')]
            .map((e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""
    )
    assert controls and sites
    for site in sites:
        assert not any(overlap(site, control) for control in controls), site
    context.close()


def test_fullscreen_control_puts_the_map_on_the_whole_screen(browser, bundled_server) -> None:  # noqa: F811
    visit, context = open_page(browser, f"{bundled_server.url}/?date=2024-09-27", 1280, 720)
    button = visit.frame.get_by_role("button", name="Full screen")
    button.click()
    visit.page.wait_for_function(
        "() => document.fullscreenElement && document.fullscreenElement.tagName === 'IFRAME'",
        timeout=10_000,
    )
    visit.frame.get_by_role("button", name="Leave full screen").click()
    visit.page.wait_for_function("() => document.fullscreenElement === null", timeout=10_000)
    context.close()


def test_leaving_a_briefing_returns_to_the_analyst_view_at_the_slide_date(
    browser,  # noqa: F811
    bundled_server,
) -> None:
    visit, context = open_page(browser, f"{bundled_server.url}/?mode=briefing&step=2", 1280, 720)
    visit.page.get_by_role("button", name="Leave briefing").click()
    visit.page.wait_for_url(re.compile(r".*date=2011-12-18.*"), timeout=20_000)
    assert "mode=" not in visit.page.url
    visit.page.locator("h3", has_text="18 December 2011").first.wait_for(timeout=20_000)
    assert visit.page.locator(".st-key-date").count() == 1
    context.close()


@pytest.mark.parametrize(
    "query",
    ["?date=2024-09-27", "?mode=briefing&step=2", "?lang=ar&date=2024-09-27"],
    ids=["analyst", "briefing", "arabic"],
)
def test_no_serious_accessibility_violations(browser, bundled_server, query: str) -> None:  # noqa: F811
    visit, context = open_page(browser, f"{bundled_server.url}/{query}", 1280, 720)
    # What the page's scripts do after the first markers: the rest of the page, the folded
    # sidebar of a briefing, the Arabic names Streamlit's own controls get.
    if "briefing" in query:
        visit.page.wait_for_function(
            """() => document.querySelector('[data-testid="stSidebar"]')
                ?.getAttribute('data-collapsed') === 'true'""",
            timeout=20_000,
        )
    else:
        visit.page.locator('.st-key-date input[type="range"]').wait_for(timeout=30_000)
    if "lang=ar" in query:
        visit.page.wait_for_function(
            """() => document.querySelector('[data-testid="stSkipToContent"]')?.lang === 'ar'""",
            timeout=20_000,
        )
    wait_until_idle(visit.page)
    frame = visit.page.locator(MAP_FRAME).element_handle().content_frame()
    frame.wait_for_function("() => window.footprintBasemapReady === true", timeout=20_000)
    found = axe_serious(visit.page, frame)  # the page, and the map in its frame
    assert found == [], found
    context.close()


def axe_serious(page, frame) -> list:
    """Critical and serious axe-core findings on the page and in the map's frame."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = []
    for target in (page, frame):
        for violation in axe.run(target).response["violations"]:
            if violation["impact"] in ("critical", "serious"):
                found.append((violation["id"], [node["target"] for node in violation["nodes"][:3]]))
    return found


def box_area(box: dict) -> float:
    return box["width"] * box["height"]


def test_on_a_phone_the_legend_starts_folded_and_opens(browser, bundled_server) -> None:  # noqa: F811
    visit, context = open_page(browser, f"{bundled_server.url}/?date=2024-09-27", 390, 844)
    page = visit.page
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    frame.wait_for_function("() => window.footprintBasemapReady === true", timeout=20_000)
    map_box = visit.frame.locator(".leaflet-container").bounding_box()
    legend = visit.frame.locator(".fp-legend")
    toggle = visit.frame.get_by_role("button", name="Map legend")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not visit.frame.locator(".fp-legend-rows").is_visible()
    folded = box_area(legend.bounding_box()) / box_area(map_box)
    assert folded < 0.15, folded
    shoot(visit, "legend-folded-390x844")
    assert axe_serious(page, frame) == []
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert visit.frame.locator(".fp-legend-rows").is_visible()
    assert visit.frame.locator(".fp-legend-item").first.is_visible()
    assert box_area(legend.bounding_box()) / box_area(map_box) > folded
    assert "?site=" not in page.url and "&site=" not in page.url  # the click stayed in the legend
    shoot(visit, "legend-open-390x844")
    assert axe_serious(page, frame) == []
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    context.close()


@pytest.mark.parametrize("query", ["?date=2024-09-27", "?mode=briefing&step=2"])
def test_on_a_desktop_the_legend_is_open_with_no_button(browser, bundled_server, query) -> None:  # noqa: F811
    visit, context = open_page(browser, f"{bundled_server.url}/{query}", 1280, 720)
    assert visit.frame.locator(".fp-legend-rows").is_visible()
    assert visit.frame.locator(".fp-legend-item").first.is_visible()
    assert not visit.frame.locator(".fp-legend-toggle").is_visible()
    context.close()


ORDER = """(() => {
  if (window !== window.top) {
    let value;
    Object.defineProperty(window, 'footprintMapDate', {
      configurable: true,
      get() { return value; },
      set(next) { value = next; window.top.__order.push('markers'); },
    });
    return;
  }
  window.__order = [];
  new MutationObserver(() => {
    if (!window.__order.includes('chart') && document.querySelector('[data-testid=stVegaLiteChart]')) {
      window.__order.push('chart');
    }
  }).observe(document, { subtree: true, childList: true });
})();"""


def test_the_chart_and_tables_wait_for_the_first_markers(browser, bundled_server) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.add_init_script(ORDER)
    page = context.new_page()
    page.goto(f"{bundled_server.url}/?date=2014-06-01")
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=60_000)
    assert page.evaluate("() => window.__order")[:2] == ["markers", "chart"]
    assert page.locator('[data-testid="stDataFrame"]').count() >= 2
    context.close()


# Where the slider's thumb stands and where the strip says its date is, in page pixels.
THUMB_AND_STRIP = """() => {
  const input = document.querySelector('.st-key-date input[type="range"]');
  const thumb = input.closest('[data-testid="stSliderThumbValue"]') ||
    input.parentElement.parentElement;
  const box = thumb.getBoundingClientRect();
  const strip = document.querySelector('.fp-strip-track').getBoundingClientRect();
  const fraction = (Number(input.value) - Number(input.min)) / (Number(input.max) - Number(input.min));
  return {thumb: box.left + box.width / 2, expected: strip.left + fraction * strip.width,
          left: strip.left, right: strip.right, top: strip.top,
          slider: input.closest('[data-testid="stSlider"]').getBoundingClientRect().bottom};
}"""


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_strip_lines_up_with_the_slider(browser, bundled_server, width, height, lang) -> None:  # noqa: F811
    query = "?date=2014-06-15" + ("&lang=ar" if lang == "ar" else "")
    visit, context = open_page(browser, f"{bundled_server.url}/{query}", width, height)
    page = visit.page
    page.locator(".fp-strip").scroll_into_view_if_needed()
    shoot(visit, f"slider-strip-{lang}-{width}x{height}")
    # The thumb stands over the strip's own mark for its date, whatever the screen or language.
    for day in ("2014-06-15", "2003-01-01"):
        if day == "2003-01-01":
            page.locator('.st-key-date input[type="range"]').press("Home")
            page.wait_for_url(re.compile(r".*date=2003-01-01.*"), timeout=20_000)
        place = page.evaluate(THUMB_AND_STRIP)
        assert abs(place["thumb"] - place["expected"]) <= 1.5, place
    # The phase that starts on 15 June 2014 starts under the thumb's place for that day.
    band = page.locator(".fp-strip-band").nth(3).bounding_box()
    start = place["left"] + (dt.date(2014, 6, 15) - dt.date(2003, 1, 1)).days / (
        (dt.date.today() - dt.date(2003, 1, 1)).days
    ) * (place["right"] - place["left"])
    assert abs(band["x"] - start) <= 1.5, (band, start)
    # Right under the slider, and the ends named before anything is touched (left to right).
    assert 0 <= place["top"] - place["slider"] <= 16, place
    first = page.locator(".fp-strip-first").bounding_box()
    last = page.locator(".fp-strip-last").bounding_box()
    assert first["x"] < last["x"]
    assert page.locator(".fp-strip-first").inner_text() == (
        "1 Jan 2003" if lang == "en" else "1 كانون الثاني 2003"
    )
    context.close()


def test_the_compare_map_rings_changed_sites_and_draws_the_others_apart(
    browser,  # noqa: F811
    bundled_server,
) -> None:
    from components.compare import compare
    from components.dataset import load_dataset
    from components.timeline import snapshot

    data = load_dataset(DATA_DIR)
    changed = set(compare(data, "2019-12-01", "2020-09-01").changed_site_ids)
    shown = set(snapshot(data, "2019-12-01").sites["site_id"])
    assert changed - shown and changed & shown  # both kinds are on this map
    visit, context = open_page(
        browser, f"{bundled_server.url}/?date=2019-12-01&compare=2020-09-01", 1920, 1080
    )
    ghosts = visit.markers(".fp-ghost")
    ghosts.first.wait_for(timeout=30_000)
    shoot(visit, "compare-map")

    def sites(css: str) -> set[str]:
        return set(visit.markers(css).evaluate_all("els => els.map(e => e.dataset.site)"))

    assert sites(".fp-changed") == changed & shown
    assert sites(".fp-ghost") == changed - shown
    assert visit.markers(".fp-changed").count() == len(changed & shown)
    assert visit.markers(".fp-marker:not(.fp-ghost)").count() == len(shown)
    visit.frame.locator(".fp-changed[data-site='al_qaim']").hover()
    tooltip = visit.frame.locator(".leaflet-tooltip").first
    tooltip.wait_for(timeout=10_000)
    assert "Active (1 December 2019) → Handed over (1 September 2020)" in tooltip.inner_text()
    # A ghost, on the map only at the compared date, says so the same way.
    visit.frame.locator(".fp-ghost[data-site='kuwait']").hover()
    visit.frame.locator(".leaflet-tooltip", has_text="Kuwait").first.wait_for(timeout=10_000)
    words = visit.frame.locator(".leaflet-tooltip", has_text="Kuwait").first.inner_text()
    assert "not on the map (1 December 2019) → Active (1 September 2020)" in words
    legend = visit.frame.locator(".fp-legend-compare")
    assert "Compared with 1 September 2020" in legend.inner_text()
    context.close()
