"""Geodesy: distances are computed on the WGS84 ellipsoid and agree with known values."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString

from realignment.content import Story
from realignment.geodata import Geodata
from realignment.geodesy import bearing_deg, compass, distance_km, geodesic_path, line_length_km, nearest_on_line


def test_one_degree_of_latitude_at_the_equator() -> None:
    assert distance_km((0, 0), (1, 0)) == pytest.approx(110.574, abs=0.01)  # WGS84 meridian arc


def test_bearings_and_compass_words() -> None:
    assert bearing_deg((37.0, 127.0), (38.0, 127.0)) == pytest.approx(0, abs=1e-6)
    assert compass(91) == "E" and compass(280) == "W" and compass(350) == "N"


def test_nearest_point_on_a_line() -> None:
    # the parallel at 38 N, with vertices ~1 km apart as in the real layers
    line = LineString([(126.0 + i * 0.01, 38.0) for i in range(201)])
    near = nearest_on_line((37.0, 127.0), line)
    assert near.km == pytest.approx(distance_km((37.0, 127.0), (38.0, 127.0)), abs=0.1)
    assert near.point[1] == pytest.approx(127.0, abs=0.01)
    assert line_length_km(line) == pytest.approx(distance_km((38, 126), (38, 128)), rel=1e-3)


def test_geodesic_path_ends_where_it_should() -> None:
    path = geodesic_path((37.5, 127.0), (37.0, 127.1), n=8)
    assert path[0] == (37.5, 127.0) and path[-1] == (37.0, 127.1) and len(path) == 10


def test_camp_humphreys_distances(story: Story, geo: Geodata) -> None:
    humphreys = story.places["camp-humphreys"].point
    assert 64 <= distance_km(story.places["seoul"].point, humphreys) <= 68
    assert 60 <= distance_km(story.places["yongsan"].point, humphreys) <= 66
    assert 100 <= distance_km(story.places["camp-casey"].point, humphreys) <= 115
    assert 95 <= nearest_on_line(humphreys, geo.line("mdl")).km <= 115
