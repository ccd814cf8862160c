"""The adapter to Streamlit's markup: written for the Streamlit that runs, and a script the
page's sanitiser keeps. (tests/test_browser.py checks the markup itself in Chromium.)"""

from __future__ import annotations

import streamlit

from components import streamlit_dom


def test_the_adapter_was_written_for_the_installed_streamlit() -> None:
    # Fails after a Streamlit upgrade until the browser tests pass and WRITTEN_FOR is moved.
    assert streamlit_dom.version_problem() is None, streamlit_dom.version_problem()
    assert streamlit_dom.series(streamlit.__version__) == streamlit_dom.WRITTEN_FOR


def test_another_streamlit_is_named_in_the_problem() -> None:
    problem = streamlit_dom.version_problem("1.99.2")
    assert problem is not None
    assert "1.99" in problem and streamlit_dom.WRITTEN_FOR in problem
    assert streamlit_dom.version_problem(f"{streamlit_dom.WRITTEN_FOR}.7") is None


def test_the_script_survives_streamlits_sanitiser_and_carries_its_config() -> None:
    html = streamlit_dom.adapter_html(("date",), "1.99.0")
    script = html.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    # Streamlit's DOMPurify drops a script whose text could be markup.
    assert not streamlit_dom.SANITISER_DROPS.search(script)
    assert '"running": "1.99"' in script and '"monthKeysOn": ["date"]' in script
    assert "FOOTPRINT_STREAMLIT_CONFIG" not in script
    # Only the date slider's own tick bar is hidden (the strip under it names its ends).
    assert '.st-key-date [data-testid="stSliderTickBar"] {display: none;}' in html
