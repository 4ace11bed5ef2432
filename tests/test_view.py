"""The View and its link: every view is a link, and no link can break the page."""

from __future__ import annotations

import pytest

from realignment import settings
from realignment.view import View, view_from_query

PLACES = ["seoul", "pyeongtaek", "camp-humphreys"]


def test_round_trip_through_the_url() -> None:
    view = View(place="pyeongtaek", lang="ko", layers=("dmz", "mdl"))
    again, notices = view_from_query(view.to_query(), PLACES)
    assert again == view and notices == []


def test_default_view_is_an_empty_link() -> None:
    assert View().to_query() == {}
    assert view_from_query({}, PLACES) == (View(), [])


@pytest.mark.parametrize(
    ("params", "expected_notice"),
    [
        ({"place": "atlantis"}, "No place 'atlantis'"),
        ({"place": "../../etc/passwd"}, "No place '../../etc/passwd'"),
        ({"place": "<script>alert(1)</script>"}, "No place '<script>alert(1)</script>'"),
        ({"place": "x" * 5000}, "too long (5000 characters)"),
        ({"lang": "fr"}, "Language 'fr' is not available"),
        ({"layers": "dmz,nukes"}, "Unknown layer(s) nukes ignored"),
        ({"scene": "99"}, "No scene '99'"),
        ({"utm_source": "mail"}, "'utm_source' is not used"),
    ],
)
def test_bad_parameters_fall_back_with_a_notice(params: dict[str, str], expected_notice: str) -> None:
    view, notices = view_from_query(params, PLACES)
    assert view.place is None and view.lang == "en" and view.scene is None
    assert len(notices) == 1 and expected_notice in notices[0]


def test_notice_never_repeats_control_characters_or_huge_values() -> None:
    _, notices = view_from_query({"place": "a\x00b\nc" + "y" * 150}, PLACES)
    assert "\x00" not in notices[0] and "\n" not in notices[0] and len(notices[0]) < 120


def test_partly_good_layers_keep_the_good_ones() -> None:
    view, _ = view_from_query({"layers": "mdl,bogus,dmz"}, PLACES)
    assert view.layers == ("dmz", "mdl")  # in the map's own order
    assert set(view.visible_layers()) == {"dmz", "mdl"}
    assert View().visible_layers() == settings.LAYER_GROUP_IDS


def test_streamlit_own_parameters_are_not_complained_about() -> None:
    assert view_from_query({"embed": "true"}, PLACES) == (View(), [])
