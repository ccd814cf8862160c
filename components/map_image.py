"""Draws the map as a picture on the server (matplotlib: no browser, no network) for decks and PNGs.

The same layers as the browser map: country outlines, sites styled by status and certainty from
components/style.py, movements, a legend, a scale bar and the outlines' attribution, in the Web
Mercator projection Leaflet uses, so a slide looks like the app at the same date and view.
"""

from __future__ import annotations

import functools
import io
import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path as MplPath

from components.assets import OWN_ASSETS_DIR
from components.i18n import is_rtl, t, term
from components.style import (
    CERTAINTY_STYLES,
    CHANGED_RING_COLOR,
    HOME_COUNTRY,
    HOME_LAND_FILL,
    LAND_BORDER,
    MAP_BACKGROUND,
    MOVEMENT_COLOR,
    OTHER_LAND_FILL,
    STATUS_STYLES,
    certainty_style,
    status_style,
)

PICTURE_SIZE = (1920, 1080)
DPI = 100
FONT = "DejaVu Sans"  # ships with matplotlib and covers Arabic
# The style vocabulary's shapes as matplotlib markers (the browser's triangle points down).
MARKERS = {"circle": "o", "triangle": "v", "square": "s", "cross": "X"}
MARKER_POINTS = 15
# Free room around the fitted bounds, as shares of the picture: the heading sits at the top,
# the legend and scale at the bottom (the browser map keeps room for its legend the same way).
TOP_ROOM, BOTTOM_ROOM, SIDE_ROOM = 0.16, 0.17, 0.04
SCALE_ROOM = 0.1  # the scale bar's room at the top when there is no heading
LEGEND_SIZE = (0.62, 0.115)  # shares of the picture's width and height at scale 1
# The legend is laid out in units of this share of the picture's width (at scale 1), sized to
# its labels: 1.25 units a character of 14-point type, with room for each symbol and a gap.
LEGEND_UNIT = 0.0062
LEGEND_TITLE_UNITS = 14.0
KM_PER_DEGREE = 111.32
RLM = "\u200f"
NICE_KM = (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)

Bounds = tuple[tuple[float, float], tuple[float, float]]


@dataclass(frozen=True)
class MapView:
    """What one picture shows: sites (rows of a snapshot), movements, the frame, and its words."""

    sites: pd.DataFrame
    bounds: Bounds
    heading: str  # empty: no heading (a slide shows its own)
    lang: str = "en"
    subheading: str = ""
    footer: str = ""
    moves: pd.DataFrame | None = None
    changed: frozenset[str] = frozenset()
    # Type and markers grow by this factor when the picture is shown small (a slide's map).
    scale: float = 1.0


def mercator_y(lat: np.ndarray | float) -> np.ndarray | float:
    """Web Mercator's northing in degree units, so x (longitude) and y share one scale."""
    clipped = np.clip(lat, -85.0, 85.0)
    return np.degrees(np.log(np.tan(np.pi / 4 + np.radians(clipped) / 2)))


@functools.lru_cache(maxsize=1)
def _land_paths() -> tuple[tuple[MplPath, ...], tuple[bool, ...]]:
    """Country outlines as projected matplotlib paths, read once per process."""
    countries = json.loads((OWN_ASSETS_DIR / "countries.geojson").read_text(encoding="utf-8"))
    paths, home = [], []
    for feature in countries["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        vertices, codes = [], []
        for polygon in polygons:
            for ring in polygon:
                points = np.asarray(ring, dtype=float)
                projected = np.column_stack([points[:, 0], mercator_y(points[:, 1])])
                vertices.append(projected)
                ring_codes = np.full(len(projected), MplPath.LINETO, dtype=np.uint8)
                ring_codes[0] = MplPath.MOVETO
                ring_codes[-1] = MplPath.CLOSEPOLY
                codes.append(ring_codes)
        paths.append(MplPath(np.concatenate(vertices), np.concatenate(codes)))
        home.append((feature.get("properties") or {}).get("name") == HOME_COUNTRY)
    return tuple(paths), tuple(home)


def frame(
    bounds: Bounds, aspect: float, top_room: float = TOP_ROOM, bottom_room: float = BOTTOM_ROOM
) -> tuple[tuple[float, float], tuple[float, float]]:
    """x and y limits (projected) that hold the bounds with room for heading and legend and
    have the picture's width-to-height ratio."""
    (south, west), (north, east) = bounds
    low, high = float(mercator_y(south)), float(mercator_y(north))
    width = max(east - west, 1e-3) / (1 - 2 * SIDE_ROOM)
    height = max(high - low, 1e-3) / (1 - top_room - bottom_room)
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    mid_x = (west + east) / 2
    # The data sits in the middle of what the top and bottom rooms leave free: the picture's
    # middle is below the data's by half the difference of the rooms.
    mid_y = (low + high) / 2 - height * (bottom_room - top_room) / 2
    return (mid_x - width / 2, mid_x + width / 2), (mid_y - height / 2, mid_y + height / 2)


def _text(target, x: float, y: float, text: str, lang: str, **style) -> None:
    """Data and interface text, always literal: never read as mathtext ($...$) or markup.

    Arabic is passed as it is: matplotlib (3.11 on, with libraqm) joins its letters and lays it
    out right to left itself; shaping it beforehand would reverse it a second time.
    """
    value = str(text)
    if is_rtl(lang):
        # A right-to-left mark first: the line is laid out right to left even when it starts
        # with a Latin word or a number (otherwise the first strong letter decides).
        value = RLM + value
    target.text(x, y, value, parse_math=False, fontfamily=FONT, language=lang, **style)


def _draw_sites(ax, view: MapView) -> None:
    sites = view.sites
    if sites.empty:
        return
    x = sites["lon"].to_numpy(dtype=float)
    y = mercator_y(sites["lat"].to_numpy(dtype=float))
    changed = sites["site_id"].isin(view.changed).to_numpy()
    if changed.any():
        # The browser rings changed sites in orange with a white edge outside; so do we.
        ax.scatter(
            x[changed],
            y[changed],
            s=(MARKER_POINTS * 2.3) ** 2,
            marker="o",
            facecolors="none",
            edgecolors="white",
            linewidths=7,
            zorder=4,
        )
        ax.scatter(
            x[changed],
            y[changed],
            s=(MARKER_POINTS * 2.0) ** 2,
            marker="o",
            facecolors="none",
            edgecolors=CHANGED_RING_COLOR,
            linewidths=4,
            zorder=4,
        )
    keys = pd.Series(list(zip(sites["status"], sites["certainty"])))
    for (status, certainty), rows in keys.groupby(keys).groups.items():
        look, sure = status_style(status), certainty_style(certainty)
        chosen = np.asarray(rows)
        dash = (0, sure.dash) if sure.dash else "solid"
        ax.scatter(
            x[chosen],
            y[chosen],
            s=MARKER_POINTS**2,
            marker=MARKERS[look.shape],
            facecolors=[to_rgba(look.color, sure.fill_opacity)],
            edgecolors=sure.stroke,
            linewidths=sure.width,
            linestyles=[dash],
            zorder=5,
        )


def _draw_moves(ax, moves: pd.DataFrame | None) -> None:
    if moves is None or moves.empty:
        return
    for move in moves.itertuples(index=False):
        start = (float(move.from_lon), float(mercator_y(float(move.from_lat))))
        end = (float(move.to_lon), float(mercator_y(float(move.to_lat))))
        ax.add_patch(
            FancyArrowPatch(
                start,
                end,
                arrowstyle="-|>",
                mutation_scale=22,
                color=MOVEMENT_COLOR,
                lw=3,
                alpha=0.9,
                linestyle="solid" if move.certainty == "reported" else (0, (4, 3)),
                shrinkA=0,
                shrinkB=8,
                zorder=3,
            )
        )


def _legend_advance(label: str) -> float:
    """Legend units (see LEGEND_UNIT) one item takes: its symbol, its label, a gap."""
    return 4 + 1.25 * len(label) + 3


def _draw_legend(fig: Figure, view: MapView) -> None:
    """Two rows along the bottom, as in the browser: statuses, then outlines and movements."""
    rtl = is_rtl(view.lang)
    lang = view.lang
    statuses = [("marker", key, "reported", term("status", key, lang)) for key in STATUS_STYLES]
    outlines = [("marker", "active", key, term("certainty", key, lang)) for key in CERTAINTY_STYLES]
    outlines.append(("line", "", "", t("legend_movement", lang)))
    if view.changed:
        outlines.append(("ring", "", "", t("legend_changed", lang)))
    rows = [(14.0, t("legend_status", lang), statuses), (5.5, t("legend_outline", lang), outlines)]
    # As wide as its longer row: the labels' lengths differ by language.
    units = max(
        LEGEND_TITLE_UNITS + sum(_legend_advance(item[3]) for item in row[2]) for row in rows
    )
    width = min(units * LEGEND_UNIT * view.scale, 0.98)
    height = LEGEND_SIZE[1] * view.scale
    box = fig.add_axes(
        (0.01, 0.012, width, height) if not rtl else (0.99 - width, 0.012, width, height)
    )
    box.set_xlim(0, units)
    box.set_ylim(0, 20)
    box.axis("off")
    box.add_patch(
        FancyBboxPatch(
            (0.3, 0.3),
            units - 0.6,
            19.4,
            boxstyle="round,pad=0,rounding_size=1.2",
            facecolor="white",
            edgecolor="#BBBBBB",
            alpha=0.92,
            lw=1,
        )
    )

    def place(x: float) -> float:
        return units - x if rtl else x

    anchor = "right" if rtl else "left"
    for y, title, items in rows:
        _text(
            box, place(1.5), y, title, lang, fontsize=14, fontweight="bold", va="center", ha=anchor
        )
        x = LEGEND_TITLE_UNITS
        for kind, status, certainty, label in items:
            if kind == "marker":
                look, sure = status_style(status), certainty_style(certainty)
                box.scatter(
                    [place(x)],
                    [y],
                    s=MARKER_POINTS**2,
                    marker=MARKERS[look.shape],
                    facecolors=[to_rgba(look.color, sure.fill_opacity)],
                    edgecolors=sure.stroke,
                    linewidths=sure.width,
                    linestyles=[(0, sure.dash) if sure.dash else "solid"],
                )
            elif kind == "line":
                box.plot([place(x - 1.5), place(x + 1.5)], [y, y], color=MOVEMENT_COLOR, lw=3)
            else:
                box.scatter(
                    [place(x)],
                    [y],
                    s=(MARKER_POINTS * 1.3) ** 2,
                    marker="o",
                    facecolors="none",
                    edgecolors=CHANGED_RING_COLOR,
                    linewidths=3,
                )
            _text(box, place(x + 2.2), y, label, lang, fontsize=14, va="center", ha=anchor)
            x += _legend_advance(label)


def nice_scale_km(width_km: float) -> int:
    """The largest round distance no longer than a fifth of the map's width."""
    wanted = width_km / 5
    fitting = [km for km in NICE_KM if km <= wanted]
    return fitting[-1] if fitting else NICE_KM[0]


def _draw_scale(fig: Figure, view: MapView, x_limits: tuple[float, float], mid_lat: float) -> None:
    """A scale bar true at the map's middle latitude (Mercator stretches distances northward)."""
    rtl = is_rtl(view.lang)
    span = x_limits[1] - x_limits[0]
    km_per_unit = KM_PER_DEGREE * math.cos(math.radians(mid_lat))
    km = nice_scale_km(span * km_per_unit)
    share_per_km = 1 / km_per_unit / span
    right = 0.985 if not rtl else 0.015 + km * share_per_km
    left = right - km * share_per_km
    top = 0.975
    _text(fig, (left + right) / 2, top, t("scale_km", view.lang, km=km), view.lang, fontsize=14,
          ha="center", va="top")  # fmt: skip
    y = top - 0.045 * view.scale
    fig.add_artist(
        Line2D(
            [left, right],
            [y, y],
            transform=fig.transFigure,
            color="#1A1A1A",
            lw=3,
            solid_capstyle="butt",
        )
    )
    for end in (left, right):
        fig.add_artist(
            Line2D(
                [end, end],
                [y - 0.006 * view.scale, y + 0.006 * view.scale],
                transform=fig.transFigure,
                color="#1A1A1A",
                lw=2,
            )
        )
    _text(fig, right if not rtl else left, y - 0.015 * view.scale,
          t("outlines_attribution", view.lang), view.lang, fontsize=12, color="#444444",
          ha="right" if not rtl else "left", va="top")  # fmt: skip


def draw_map(view: MapView, size: tuple[int, int] = PICTURE_SIZE) -> Figure:
    """The picture as a matplotlib figure (the caller saves it)."""
    width, height = size
    # Drawing at `scale` times the dots per inch on a canvas of the same pixels makes every
    # point size (type, markers, lines) `scale` times larger.
    dpi = DPI * view.scale
    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, facecolor=MAP_BACKGROUND)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_facecolor(MAP_BACKGROUND)
    ax.axis("off")
    top_room = (TOP_ROOM if view.heading else SCALE_ROOM) * view.scale
    bottom_room = (LEGEND_SIZE[1] + 0.055 + (0.05 if view.footer else 0)) * view.scale
    x_limits, y_limits = frame(view.bounds, width / height, top_room, bottom_room)
    ax.set_xlim(*x_limits)
    ax.set_ylim(*y_limits)
    paths, home = _land_paths()
    ax.add_collection(
        PathCollection(
            paths,
            facecolors=[HOME_LAND_FILL if h else OTHER_LAND_FILL for h in home],
            edgecolors=LAND_BORDER,
            linewidths=[1.6 if h else 0.8 for h in home],
            zorder=1,
        )
    )
    _draw_moves(ax, view.moves)
    _draw_sites(ax, view)
    rtl = is_rtl(view.lang)
    side, anchor = (0.985, "right") if rtl else (0.015, "left")
    halo = [patheffects.withStroke(linewidth=5, foreground=MAP_BACKGROUND)]
    if view.heading:
        _text(
            fig,
            side,
            0.965,
            view.heading,
            view.lang,
            fontsize=34,
            fontweight="bold",
            ha=anchor,
            va="top",
            path_effects=halo,
        )
    if view.subheading:
        _text(
            fig,
            side,
            0.965 - 0.07 * view.scale,
            view.subheading,
            view.lang,
            fontsize=17,
            ha=anchor,
            va="top",
            path_effects=halo,
        )
    if view.footer:
        _text(
            fig,
            side,
            0.012 + (LEGEND_SIZE[1] + 0.012) * view.scale,
            view.footer,
            view.lang,
            fontsize=13,
            color="#333333",
            ha=anchor,
            va="bottom",
            path_effects=halo,
        )
    _draw_legend(fig, view)
    (south, _), (north, _) = view.bounds
    _draw_scale(fig, view, x_limits, (south + north) / 2)
    return fig


def map_png(view: MapView, size: tuple[int, int] = PICTURE_SIZE) -> bytes:
    """The picture as PNG bytes, `size` pixels (1920x1080 by default, 16:9 for slides)."""
    buffer = io.BytesIO()
    draw_map(view, size).savefig(buffer, format="png", dpi=DPI * view.scale)
    return buffer.getvalue()
