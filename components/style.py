"""How the map draws things: marker colours and shapes by status and certainty, movements, land.

One vocabulary read by the browser map (sent to footprint-map.js by map_view) and by the
server-drawn pictures of the deck and the PNG export (components/map_image.py), so a slide and
the app never disagree on what a colour or a shape means.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StatusStyle:
    """A status's fill colour and shape; the shape repeats the status so colour is never the only cue."""

    color: str
    shape: str  # circle, triangle (point down), square or cross (an X)


@dataclass(frozen=True)
class CertaintyStyle:
    """How sure the record is, drawn as the marker's outline and the opacity of its fill."""

    stroke: str
    dash: tuple[float, ...]  # outline dash pattern in marker units (empty: solid)
    width: float
    fill_opacity: float


# Okabe-Ito colours (colour-blind safe).
STATUS_STYLES: dict[str, StatusStyle] = {
    "active": StatusStyle("#0072B2", "circle"),
    "drawdown": StatusStyle("#E69F00", "triangle"),
    "handed_over": StatusStyle("#009E73", "square"),
    "closed": StatusStyle("#6E6E6E", "cross"),
}
CERTAINTY_STYLES: dict[str, CertaintyStyle] = {
    "reported": CertaintyStyle("#1A1A1A", (), 1.5, 0.95),
    "planned": CertaintyStyle("#1A1A1A", (3, 2), 1.5, 0.35),
    "disputed": CertaintyStyle("#D55E00", (1.5, 1.5), 2.5, 0.95),
    # The status on this day is not known to the day: the period starts or ends in a year or month.
    "approximate": CertaintyStyle("#1A1A1A", (5, 2), 1.5, 0.6),
    # After the newest source of a presence: shown as last reported, faded, not as a fact.
    "unconfirmed": CertaintyStyle("#6E6E6E", (1, 2.5), 2, 0.2),
}
# The troop chart's lines by force (Okabe-Ito, as the markers) and its rule at the selected date.
FORCE_COLORS = {"us": "#0072B2", "coalition_other": "#E69F00", "coalition_total": "#009E73"}
SELECTED_DATE_COLOR = "#D55E00"
# Relocations between sites, and the ring around sites whose status changed at a briefing step.
MOVEMENT_COLOR = "#CC79A7"
CHANGED_RING_COLOR = "#D55E00"
# Country outlines: Iraq lighter than its neighbours, so the eye finds it at once.
LAND_BORDER = "#7A7A7A"
HOME_LAND_FILL = "#FBFAF6"
OTHER_LAND_FILL = "#EFECE4"
HOME_COUNTRY = "Iraq"
# The offline basemap's context and the map's small marks (footprint-map.js addBasemap, labels).
BASEMAP_COLORS = {
    "governorate": "#8C8C8C",
    "river": "#3D85C6",
    "region": "#6A3D9A",
    "city_edge": "#FFFFFF",
    "city_fill": "#333333",
    "leader": "#1A1A1A",
    "icon": "#1A1A1A",
}
# Behind the outlines, where no country is drawn (Leaflet's own map background).
MAP_BACKGROUND = "#DDDDDD"


def status_style(status: str) -> StatusStyle:
    """The style of a status; an unknown status is drawn as active, as the browser map does."""
    return STATUS_STYLES.get(status, STATUS_STYLES["active"])


def certainty_style(certainty: str) -> CertaintyStyle:
    """The style of a certainty; an unknown one is drawn as reported, as the browser map does."""
    return CERTAINTY_STYLES.get(certainty, CERTAINTY_STYLES["reported"])


def script_style() -> dict[str, Any]:
    """The vocabulary as footprint-map.js's setStyle takes it (SVG dash arrays as text)."""
    return {
        "status": {
            key: {"color": style.color, "shape": style.shape}
            for key, style in STATUS_STYLES.items()
        },
        "certainty": {
            key: {
                "stroke": style.stroke,
                "dash": ",".join(f"{part:g}" for part in style.dash),
                "width": style.width,
                "fill": style.fill_opacity,
            }
            for key, style in CERTAINTY_STYLES.items()
        },
        "movement": MOVEMENT_COLOR,
        "changed": CHANGED_RING_COLOR,
        "basemap": dict(BASEMAP_COLORS),
        "land": {
            "border": LAND_BORDER,
            "home": HOME_LAND_FILL,
            "other": OTHER_LAND_FILL,
            "homeName": HOME_COUNTRY,
        },
    }
