"""Server-drawn map pictures: the frame keeps the data clear of heading and legend; markers."""

from __future__ import annotations

import pytest

from components.map_image import MARKERS, frame, mercator_y, nice_scale_km
from components.style import STATUS_STYLES


@pytest.mark.parametrize(
    "bounds",
    [
        ((29.0, 38.8), (37.4, 48.6)),  # all of Iraq: wider than tall
        ((35.0, 43.0), (37.5, 44.5)),  # the north: taller than wide at 16:9
        ((33.3, 44.3), (33.4, 44.4)),  # one place
    ],
)
@pytest.mark.parametrize("rooms", [(0.16, 0.17), (0.15, 0.255), (0.05, 0.3)])
def test_fitted_data_lies_between_the_heading_and_the_legend(bounds, rooms) -> None:
    top_room, bottom_room = rooms
    (x_low, x_high), (y_low, y_high) = frame(bounds, 16 / 9, top_room, bottom_room)
    assert (x_high - x_low) / (y_high - y_low) == pytest.approx(16 / 9)
    (south, west), (north, east) = bounds

    def share_up(lat: float) -> float:
        return (mercator_y(lat) - y_low) / (y_high - y_low)

    assert share_up(south) >= bottom_room - 1e-9
    assert share_up(north) <= 1 - top_room + 1e-9
    assert x_low < west and east < x_high


def test_every_status_shape_has_a_marker() -> None:
    assert {style.shape for style in STATUS_STYLES.values()} <= set(MARKERS)


def test_scale_bar_is_a_round_distance_of_at_most_a_fifth_of_the_width() -> None:
    assert nice_scale_km(1_500) == 250
    assert nice_scale_km(900) == 100
    assert nice_scale_km(10) == 5
