"""Every label of the app in English and Korean, in one table that a test checks for gaps."""

from __future__ import annotations

from . import settings

# key -> {"en": ..., "ko": ...}; {name} fields are filled by t(key, lang, name=...).
TEXT: dict[str, dict[str, str]] = {
    # app and navigation
    "app_title": {"en": "US forces in Korea, June 2004", "ko": "주한미군 재배치, 2004년 6월"},
    "story_title": {"en": "Realigning US forces in Korea, June 2004", "ko": "주한미군 재배치, 2004년 6월"},
    "page_map": {"en": "Map", "ko": "지도"},
    "page_figures": {"en": "Force levels", "ko": "병력 규모"},
    "page_quotes": {"en": "Quotes", "ko": "발언"},
    "page_timeline": {"en": "Timeline", "ko": "연표"},
    "page_sources": {"en": "Sources and method", "ko": "출처와 방법"},
    "page_briefing": {"en": "Briefing", "ko": "브리핑"},
    "language": {"en": "Language", "ko": "언어"},
    "every_fact": {
        "en": "Every fact is linked to its source. Article: {title} ({short}).",
        "ko": "모든 사실은 출처와 연결되어 있습니다. 기사: {title} ({short}).",
    },
    "problems": {
        "en": "{n} problem(s) in the content or geodata files — the rest is shown",
        "ko": "콘텐츠 또는 지리 데이터 파일의 문제 {n}건 — 나머지는 표시됩니다",
    },
    "problems_more": {
        "en": "… and {n} more. Run `python -m realignment check` for the full list.",
        "ko": "… 외 {n}건. 전체 목록은 `python -m realignment check`로 확인하십시오.",
    },
    "map_unavailable": {"en": "The map cannot be drawn: {error}", "ko": "지도를 그릴 수 없습니다: {error}"},
    # map page
    "places_caption": {"en": "Places: click one here or on the map", "ko": "장소: 여기 또는 지도에서 선택하십시오"},
    "overview": {"en": "Overview", "ko": "개요"},
    "overview_text": {
        "en": "Click a place on the map, or choose it in the list above, to see its force levels, "
        "its quotes and the places linked to it.",
        "ko": "지도에서 장소를 클릭하거나 위 목록에서 고르면 그 장소의 병력 규모, 발언, 연결된 장소를 볼 수 있습니다.",
    },
    "map_help": {
        "en": "Click a place or area to open its panel. Layers, legend, full screen and a measuring tool are "
        "on the map. Distances are geodesic (WGS84).",
        "ko": "장소나 지역을 클릭하면 설명이 열립니다. 레이어, 범례, 전체 화면, 거리 측정 도구는 지도 위에 "
        "있습니다. 거리는 측지 거리(WGS84)입니다.",
    },
    "sources_label": {"en": "Sources", "ko": "출처"},
    "location_label": {"en": "Location", "ko": "위치"},
    "from_elsewhere": {
        "en": "**From another source:** {text} ({source}). The article does not name the base.",
        "ko": "**다른 출처:** {text} ({source}). 기사는 기지 이름을 밝히지 않습니다.",
    },
    "force_levels": {"en": "Force levels", "ko": "병력 규모"},
    "what_was_said": {"en": "What was said", "ko": "발언"},
    "when": {"en": "When", "ko": "시기"},
    "linked_places": {"en": "Linked places", "ko": "연결된 장소"},
    "claim_check": {"en": "Claim check: {title}", "ko": "주장 검증: {title}"},
    "claim_article": {"en": "The article: “{evidence}” ({source}).", "ko": "기사 원문: “{evidence}” ({source})."},
    "claim_from": {"en": "From", "ko": "출발"},
    "claim_to": {"en": "To", "ko": "도착"},
    "claim_distance": {"en": "Geodesic distance", "ko": "측지 거리"},
    "claim_share": {"en": "Share of the stated km", "ko": "기사 수치 대비"},
    "claim_means": {"en": "What it means", "ko": "의미"},
    "claim_method": {
        "en": "Straight-line (geodesic) distances on the WGS84 ellipsoid, measured when the app starts from the "
        "place coordinates and the MDL layer; the MDL distance is to its nearest point.",
        "ko": "WGS84 타원체 위의 직선(측지) 거리로, 앱이 시작될 때 장소 좌표와 군사분계선 레이어로부터 "
        "측정합니다. 군사분계선까지의 거리는 가장 가까운 지점까지입니다.",
    },
    # cards
    "show_on_map": {"en": "Show on map: {name}", "ko": "지도에서 보기: {name}"},
    "counts": {"en": "Counts {counts}; as of {as_of}.", "ko": "대상: {counts}. 기준 시점: {as_of}."},
    "computed": {
        "en": "Computed: {how} {base} = {exact}, rounded to the nearest {round_to}.",
        "ko": "계산: {base}의 {how} = {exact}, {round_to} 단위로 반올림.",
    },
    "how_share": {"en": "{fraction} of", "ko": "{fraction}"},
    "how_remainder": {"en": "what remains after taking {fraction} of", "ko": "{fraction}을 뺀 나머지"},
    "how_ratio": {"en": "1/{divisor} of", "ko": "1/{divisor}"},
    "source_is": {"en": "Source: {source}.", "ko": "출처: {source}."},
    "paraphrase_badge": {
        "en": "Paraphrase — the article's reported speech, not a direct quote",
        "ko": "요약 — 기사의 간접 인용이며 직접 인용이 아님",
    },
    "quote_language_note": {
        "en": "Quotes stay in the language of the source.",
        "ko": "인용문은 출처의 언어(영어) 그대로 보여 줍니다.",
    },
    # force levels page
    "figures_intro": {
        "en": "The numbers in the article, and the ones computed from them. “About” is drawn as a range of "
        "±5 % around the rounded number, “more than” as a lower bound that fades out: the article gives no "
        "upper bound.",
        "ko": "기사의 수치와 그로부터 계산한 수치입니다. “약”은 반올림한 수치 주변 ±5 % 범위로, “이상”은 "
        "흐려지는 하한으로 그립니다. 기사에는 상한이 없습니다.",
    },
    "us_troops_chart": {"en": "US troops in South Korea", "ko": "주한미군 병력"},
    "armies_chart": {"en": "The two Korean armies", "ko": "남북한 군 병력"},
    "soldiers": {"en": "Soldiers", "ko": "병력 (명)"},
    "lower_bound": {"en": "lower bound (no upper bound given)", "ko": "하한 (상한 없음)"},
    "range_about": {"en": "“about”: ±5 % range", "ko": "“약”: ±5 % 범위"},
    "whatif": {"en": "What if?", "ko": "가정해 보기"},
    "whatif_intro": {
        "en": "Change the share withdrawn and the completion date. The article's plan (one-third by the end "
        "of 2005) is the default; the schedule is a straight line from the plan's date, 7 June 2004.",
        "ko": "감축 비율과 완료 시점을 바꿔 보십시오. 기사의 계획(2005년 말까지 3분의 1)이 기본값이며, "
        "일정은 계획 발표일(2004년 6월 7일)부터 일정한 속도로 가정합니다.",
    },
    "share_withdrawn": {"en": "Share withdrawn", "ko": "감축 비율"},
    "completion": {"en": "Completed by the end of", "ko": "완료 시점 (월말)"},
    "plan_marker": {"en": "{value} (the article's plan)", "ko": "{value} (기사의 계획)"},
    "withdrawn_metric": {"en": "Withdrawn", "ko": "감축"},
    "remaining_metric": {"en": "Remaining", "ko": "잔류"},
    "per_month_metric": {"en": "Per month", "ko": "월 평균"},
    "months_metric": {"en": "Months", "ko": "개월"},
    "schedule": {"en": "Monthly schedule", "ko": "월별 일정"},
    "month": {"en": "Month", "ko": "월"},
    "remaining_col": {"en": "Troops remaining", "ko": "잔류 병력"},
    "withdrawn_col": {"en": "Withdrawn so far", "ko": "누적 감축"},
    "whatif_base": {
        "en": "Starting from {base} US troops ({source}). Numbers are rounded to the nearest 10.",
        "ko": "주한미군 {base}에서 출발합니다 ({source}). 10 단위로 반올림합니다.",
    },
    "all_figures": {"en": "Every figure and its source", "ko": "모든 수치와 출처"},
    "col_figure": {"en": "Figure", "ko": "수치"},
    "col_value": {"en": "Value", "ko": "값"},
    "col_counts": {"en": "Counts", "ko": "대상"},
    "col_as_of": {"en": "As of", "ko": "기준"},
    "col_source": {"en": "Source", "ko": "출처"},
    "col_evidence": {"en": "Words in the source", "ko": "출처의 원문"},
    "col_places": {"en": "On the map", "ko": "지도"},
    # quotes page
    "quotes_intro": {
        "en": "Every quote and paraphrase in the article. Direct quotes are verbatim; paraphrases are the "
        "article's reported speech and are marked as such.",
        "ko": "기사의 모든 직접 인용과 간접 인용입니다. 직접 인용은 원문 그대로이며, 간접 인용은 기사의 "
        "요약임을 표시합니다.",
    },
    "filter_speaker": {"en": "Speaker", "ko": "발언자"},
    "filter_place": {"en": "Place", "ko": "장소"},
    "filter_all": {"en": "All", "ko": "전체"},
    "n_shown": {"en": "{n} of {total} shown.", "ko": "{total}건 중 {n}건 표시."},
    "none_match": {"en": "No quote matches these filters.", "ko": "조건에 맞는 발언이 없습니다."},
    # timeline page
    "timeline_intro": {
        "en": "The events in the order they happened. Approximate dates are drawn as ranges: “about December "
        "2002” as ±{months} months, “by the end of” as the span from the article's date to the deadline.",
        "ko": "사건을 일어난 순서대로 보여 줍니다. 대략적인 날짜는 범위로 그립니다. “2002년 12월경”은 "
        "±{months}개월, “~말까지”는 기사 날짜부터 기한까지의 기간입니다.",
    },
    "timeline_recent": {"en": "2002–2005: the talks and the plan", "ko": "2002–2005년: 협상과 계획"},
    "timeline_all": {"en": "From the 1953 truce", "ko": "1953년 정전협정부터"},
    "exact_date": {"en": "exact date", "ko": "정확한 날짜"},
    "approx_date": {"en": "approximate or deadline", "ko": "대략적 날짜 또는 기한"},
    "col_date": {"en": "Date", "ko": "날짜"},
    "col_event": {"en": "Event", "ko": "사건"},
    # sources page
    "the_article": {"en": "The article", "ko": "기사"},
    "other_sources": {"en": "Other sources (facts not in the article)", "ko": "기타 출처 (기사에 없는 사실)"},
    "geodata_sources": {"en": "Map data", "ko": "지도 데이터"},
    "method": {"en": "Method", "ko": "방법"},
    "in_article": {"en": "What is in the article, and what was added", "ko": "기사에 있는 것과 추가한 것"},
    "col_layer": {"en": "Layer", "ko": "레이어"},
    "col_licence": {"en": "Licence", "ko": "라이선스"},
    "col_attribution": {"en": "Attribution", "ko": "저작자 표시"},
    "col_size": {"en": "Measured", "ko": "측정값"},
    "col_used_for": {"en": "Used for", "ko": "사용처"},
    "method_distances": {
        "en": "Distances are geodesic: the shortest path on the WGS84 ellipsoid between two coordinates "
        "(pyproj's Geod), not road distances.",
        "ko": "거리는 측지 거리입니다. WGS84 타원체 위 두 좌표 사이의 최단 경로(pyproj Geod)이며, 도로 거리가 "
        "아닙니다.",
    },
    "method_dmz": {
        "en": "The DMZ is built, as the armistice defines it, as the band {km} km either side of the Military "
        "Demarcation Line: a buffer of the MDL in {crs}. Its area as drawn: {area} km²; the MDL is {length} km "
        "long.",
        "ko": "비무장지대는 정전협정의 정의대로 군사분계선 양쪽 {km} km 폭의 지대로 만듭니다 ({crs}에서 "
        "군사분계선의 버퍼). 그려진 면적: {area} km², 군사분계선 길이: {length} km.",
    },
    "method_areas": {
        "en": "Areas are measured in {crs} (Korea 2000 / Unified CS): Seoul {seoul} km², Pyeongtaek {pt} km².",
        "ko": "면적은 {crs}(Korea 2000 / Unified CS)에서 측정합니다: 서울 {seoul} km², 평택 {pt} km².",
    },
    "method_bands": {
        "en": "The distance bands are lines {bands} km south of the MDL, measured in {crs}.",
        "ko": "거리 띠는 군사분계선 남쪽 {bands} km의 선으로, {crs}에서 측정합니다.",
    },
    "method_numbers": {
        "en": "Derived numbers (the one-third, the remainder, the implied South Korean army) are computed "
        "from the article's figures, never typed in.",
        "ko": "파생 수치(3분의 1, 나머지, 추정 한국군 병력)는 기사의 수치로부터 계산하며, 따로 입력하지 않습니다.",
    },
    "added_item": {"en": "{what}: {text} — {source}", "ko": "{what}: {text} — {source}"},
    "added_location": {"en": "Location of {name}", "ko": "{name}의 위치"},
    "added_identification": {"en": "Identification", "ko": "식별"},
    "article_facts": {
        "en": "From the article: {n_figures} figures, {n_quotes} quotes and paraphrases, {n_events} dated "
        "events, the 110 km claim; every quote and evidence text is checked word for word against the "
        "article's text when the app loads.",
        "ko": "기사에서: 수치 {n_figures}개, 직접·간접 인용 {n_quotes}개, 날짜가 있는 사건 {n_events}개, "
        "110 km 주장. 모든 인용과 근거 문장은 앱이 불러올 때 기사 원문과 한 단어씩 대조합니다.",
    },
    "published": {"en": "Published {date} by {outlet}.", "ko": "{outlet}, {date} 게재."},
    # link notices
    "notice_too_long": {
        "en": "The link's {param} value is too long ({n} characters); it was ignored.",
        "ko": "링크의 {param} 값이 너무 깁니다 ({n}자). 무시했습니다.",
    },
    "notice_place": {
        "en": "No place {value} in this story; showing the default view.",
        "ko": "이 이야기에 {value} 장소가 없습니다. 기본 화면을 보여 줍니다.",
    },
    "notice_lang": {
        "en": "Language {value} is not available; showing English.",
        "ko": "{value} 언어는 지원하지 않습니다. 영어로 보여 줍니다.",
    },
    "notice_layers": {"en": "Unknown layer(s) {value} ignored.", "ko": "알 수 없는 레이어 {value}는 무시했습니다."},
    "notice_scene": {
        "en": "No scene {value}; starting at the first scene.",
        "ko": "{value} 장면이 없습니다. 첫 장면부터 시작합니다.",
    },
    "notice_param": {
        "en": "The link parameter {param} is not used by this app; it was ignored.",
        "ko": "링크 매개변수 {param}는 이 앱에서 쓰지 않습니다. 무시했습니다.",
    },
    # briefing
    "prev": {"en": "Previous", "ko": "이전"},
    "next": {"en": "Next", "ko": "다음"},
    "scene_list": {"en": "Scenes", "ko": "장면"},
    "progress": {"en": "Scene {n} / {total}", "ko": "장면 {n} / {total}"},
    "keys_help": {
        "en": "Keys: → / PageDown next, ← / PageUp previous.",
        "ko": "키: → / PageDown 다음, ← / PageUp 이전.",
    },
    # exports
    "exports": {"en": "Export this view", "ko": "이 화면 내보내기"},
    "preset": {"en": "Size", "ko": "크기"},
    "preset_slide": {"en": "16:9 slide", "ko": "16:9 슬라이드"},
    "preset_a4": {"en": "A4 report", "ko": "A4 보고서"},
    "make_files": {"en": "Prepare files", "ko": "파일 준비"},
    "download_png": {"en": "PNG, 300 dpi", "ko": "PNG, 300 dpi"},
    "download_svg": {"en": "SVG", "ko": "SVG"},
    "download_pdf": {"en": "PDF", "ko": "PDF"},
    "download_html": {"en": "Stand-alone HTML map", "ko": "독립 실행 HTML 지도"},
    "handout": {"en": "Handout (PDF, one page per scene)", "ko": "배포 자료 (PDF, 장면당 한 쪽)"},
    "rendering": {"en": "Rendering page {n} of {total}…", "ko": "{total}쪽 중 {n}쪽 만드는 중…"},
    "export_failed": {"en": "The export failed: {error}", "ko": "내보내기에 실패했습니다: {error}"},
}


def t(key: str, lang: str, **fields: object) -> str:
    """The label in the language asked for (English where a key has no translation), fields filled in."""
    entry = TEXT[key]
    text = entry.get(lang) or entry[settings.DEFAULT_LANGUAGE]
    return text.format(**fields) if fields else text
