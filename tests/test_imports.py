"""The import graph: no module of components/ imports itself back, and the data layers never reach streamlit."""

from __future__ import annotations

import grimp
import pytest

# Loading, validation, queries and exports run without a page (scripts, CI, the deck builder).
NO_STREAMLIT = (
    "components.dataset",
    "components.validate",
    "components.upload",
    "components.report",
    "components.timeline",
    "components.compare",
    "components.filters",
    "components.search",
    "components.names",
    "components.briefing",
    "components.export",
    "components.deck",
    "components.map_image",
    "components.url_state",
    "components.style",
)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("components", include_external_packages=True, cache_dir=None)


def import_circles(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    """Each pair (a, b) where a imports b and b leads back to a, imports inside functions included."""
    circles = []
    ours = sorted(m for m in graph.modules if m.startswith("components"))
    for module in ours:
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported.startswith("components") and graph.chain_exists(imported, module):
                circles.append((module, imported))
    return circles


def test_no_module_imports_itself_back(graph: grimp.ImportGraph) -> None:
    assert import_circles(graph) == []


def test_the_check_finds_a_circle_when_there_is_one() -> None:
    # Its own graph: the shared one stays as the code is.
    graph = grimp.build_graph("components", cache_dir=None)
    graph.add_import(importer="components.dataset", imported="components.upload")
    assert ("components.dataset", "components.upload") in import_circles(graph)


@pytest.mark.parametrize("module", NO_STREAMLIT)
def test_data_layers_never_reach_streamlit(graph: grimp.ImportGraph, module: str) -> None:
    assert graph.find_shortest_chain(importer=module, imported="streamlit") is None
