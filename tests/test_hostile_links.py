"""Hostile links: whatever a link carries, view_from_query gives a valid View and short, printable notices.

Property-based (hypothesis), derandomised and without an example database, so CI runs the same examples.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from realignment import settings as app_settings
from realignment.view import MAX_PARAM_LENGTH, STREAMLIT_PARAMS, View, view_from_query

FUZZ = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PLACES = ("seoul", "yongsan", "dmz", "camp-casey", "pyeongtaek", "camp-humphreys", "north-korea", "washington")
OURS = ("place", "lang", "layers", "scene")
# A notice is one line in a warning box: the longest the app writes is the unknown-layers one (5 values of 41).
MAX_NOTICE = 260

HOSTILE = [
    "",
    " ",
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(3)>',
    "</script><script>alert(2)</script>",
    "javascript:alert(1)",
    "[click](http://example.invalid)",
    "seoul\x00",
    " seoul ",
    "SEOUL",
    "seoul,dmz",
    "\u202eluoes",
    "\u200bseoul",
    "ko\n",
    "0",
    "-1",
    "1e3",
    "٣",  # an Arabic-Indic digit: str.isdigit() says yes, the scene is still a number in range or not
    "²",
    "9" * 400,
    "x" * (MAX_PARAM_LENGTH + 1),
    "dmz," * 80,
]
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
CONTROL = st.text(st.characters(categories=("Cc", "Cf", "Zl", "Zp", "Co")), min_size=1, max_size=20)
VALUE = st.one_of(
    st.sampled_from(HOSTILE),
    st.sampled_from(PLACES + app_settings.LANGUAGES + app_settings.LAYER_GROUP_IDS),
    st.lists(st.sampled_from((*app_settings.LAYER_GROUP_IDS, "nukes", "", " ")), max_size=12).map(",".join),
    st.integers(-5, 30).map(str),
    ANY_TEXT,
    CONTROL,
    st.integers(1_000, 20_000).map(lambda n: "ä" * n),
)
VALUES = st.one_of(VALUE, st.lists(VALUE, max_size=5))  # a repeated parameter comes as a list
KEY = st.one_of(st.sampled_from(OURS + tuple(STREAMLIT_PARAMS)), st.sampled_from(HOSTILE), ANY_TEXT, CONTROL)
PARAMS = st.dictionaries(KEY, VALUES, max_size=8)


def _first(raw: str | list[str]) -> str:
    if isinstance(raw, str):
        return raw
    return raw[0] if raw else ""


def check(params: dict, scene_count: int) -> tuple[View, list[str]]:
    view, notices = view_from_query(params, PLACES, scene_count)
    # a valid View, whatever came in
    assert isinstance(view, View)
    assert view.place is None or view.place in PLACES
    assert view.lang in app_settings.LANGUAGES
    assert view.layers is None or (
        isinstance(view.layers, tuple)
        and len(view.layers) > 0
        and set(view.layers) <= set(app_settings.LAYER_GROUP_IDS)
        and list(view.layers) == [g for g in app_settings.LAYER_GROUP_IDS if g in view.layers]  # map order, no repeats
    )
    assert view.scene is None or (isinstance(view.scene, int) and 1 <= view.scene <= scene_count)
    # notices: at most one per parameter, each one short printable line
    assert isinstance(notices, list) and len(notices) <= len(params)
    for n in notices:
        assert isinstance(n, str) and 0 < len(n) <= MAX_NOTICE, (len(n), n[:80])
        assert n.isprintable(), repr(n)
    # what the link asked for, where it is valid, is what the View holds
    for key, raw in params.items():
        value = _first(raw).strip()
        if len(value) > MAX_PARAM_LENGTH:
            continue
        if key == "place":
            assert view.place == (value if value in PLACES else None)
        elif key == "lang":
            assert view.lang == (value if value in app_settings.LANGUAGES else app_settings.DEFAULT_LANGUAGE)
        elif key == "scene":
            ok = value.isdecimal() and 1 <= int(value) <= scene_count  # isdigit() also says yes to "²"
            assert view.scene == (int(value) if ok else None)
    # and the View is itself a link that reads back to the same View, without a notice
    assert view_from_query(view.to_query(), PLACES, scene_count) == (view, [])
    return view, notices


@FUZZ
@given(params=PARAMS, scene_count=st.integers(0, 12))
@example(params={"place": "<script>alert(1)</script>", "zoom": "9" * 3000}, scene_count=0)
@example(params={"place": ["seoul", "dmz"], "lang": [], "layers": ["dmz,mdl", "bogus"]}, scene_count=0)
@example(params={"scene": "٣"}, scene_count=5)
@example(params={"scene": "²"}, scene_count=5)
@example(params={"\x00\u202e" * 50: "\x1b[31m" * 50}, scene_count=0)
def test_any_link_gives_a_valid_view_and_short_printable_notices(params: dict, scene_count: int) -> None:
    check(params, scene_count)


@FUZZ
@given(
    place=st.sampled_from(PLACES),
    lang=st.sampled_from(app_settings.LANGUAGES),
    layers=st.lists(st.sampled_from(app_settings.LAYER_GROUP_IDS), min_size=1, unique=True),
    scene_count=st.integers(1, 12),
    data=st.data(),
    junk=PARAMS,
)
def test_good_parameters_survive_junk_beside_them(
    place: str, lang: str, layers: list[str], scene_count: int, data: st.DataObject, junk: dict
) -> None:
    scene = data.draw(st.integers(1, scene_count), label="scene")
    good = {"place": place, "lang": lang, "layers": ",".join(layers), "scene": str(scene)}
    params = {k: v for k, v in junk.items() if k not in good} | good
    view, notices = check(params, scene_count)
    assert view == View(
        place=place, lang=lang, layers=tuple(g for g in app_settings.LAYER_GROUP_IDS if g in layers), scene=scene
    )
    # every other parameter is named in a notice, or is one of Streamlit's own
    assert len(notices) == len([k for k in params if k not in good and k not in STREAMLIT_PARAMS])


@FUZZ
@given(key=st.sampled_from(OURS), value=st.one_of(st.sampled_from(HOSTILE), ANY_TEXT, CONTROL))
def test_a_bad_value_of_our_own_parameters_is_said_once(key: str, value: str) -> None:
    view, notices = check({key: value}, 3)
    stripped = value.strip()
    valid = (
        len(stripped) <= MAX_PARAM_LENGTH
        and {
            "place": stripped in PLACES or stripped == "",
            "lang": stripped in app_settings.LANGUAGES,
            "scene": stripped.isdecimal() and 1 <= int(stripped) <= 3,
            "layers": all(v.strip() in app_settings.LAYER_GROUP_IDS for v in stripped.split(",") if v.strip()),
        }[key]
    )
    assert len(notices) == (0 if valid else 1), notices
    if not valid and key != "layers":  # a partly good layers list keeps its good part
        assert view == View()
