"""The HTML report's pictures (reader.export.html_charts): the heat map's cells and shades,
the timeline's bars on their dates, escaped labels, and nothing loaded or run."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from export_support import build_store, load_data

from reader.export import write
from reader.export.html_charts import Column, Row, heat_map, timeline

SVG = "{http://www.w3.org/2000/svg}"
COLUMNS = [
    Column("arms", "الأسلحة — Arms", "#e4572e"),
    Column("china", "دور الصين — China", "#17a589"),
]


def rows() -> list[Row]:
    return [
        Row("doc-1", "تزايد القلق في الغرب", date(2024, 11, 12), {"arms": 3, "china": 1}),
        Row("doc-2", "000_0430b5cc33e0e526.txt", None, {"arms": 1}),
        Row(
            "doc-3", "عنوان <script>alert(1)</script>\x1b[31m" + "طويل " * 20, date(2022, 8, 31), {}
        ),
        Row("doc-4", "Moscow", date(2024, 11, 1), {"china": 2}),
    ]


def test_heat_map_has_a_cell_per_document_and_theme_shaded_by_count() -> None:
    svg = ET.fromstring(heat_map(rows(), COLUMNS))
    cells = svg.findall(f"{SVG}g[@class='cell']")
    assert len(cells) == 4 * 2
    shades = {}
    for cell in cells:
        count = int(cell.get("data-count", "-1"))
        expected = rows()[int(cell.get("data-doc", "doc-0")[4:]) - 1].counts
        assert count == expected.get(cell.get("data-theme", ""), 0)
        shade = float(cell.findall(f"{SVG}rect")[1].get("fill-opacity", "-1"))
        assert cell.findtext(f"{SVG}text") == str(count)
        shades.setdefault(count, set()).add(shade)
    # One shade per count, darker for more; nothing at 0.
    assert all(len(s) == 1 for s in shades.values())
    by_count = [shades[n].pop() for n in sorted(shades)]
    assert by_count[0] == 0.0 and by_count == sorted(by_count) and len(set(by_count)) == 4


def test_heat_map_labels_are_escaped_cut_and_in_their_own_direction() -> None:
    text = heat_map(rows(), COLUMNS)
    assert "<script>" not in text and "\x1b" not in text
    svg = ET.fromstring(text)
    labels = {
        a.get("href"): (a.findtext(f"{SVG}title"), a.find(f"{SVG}text"))
        for a in svg.iter(f"{SVG}a")
    }
    title, label = labels["#doc-3"]
    assert label is not None and label.text is not None and title is not None
    assert label.text.endswith("…") and len(label.text) <= 40 and title.startswith("عنوان <script>")
    assert label.get("direction") == "rtl"
    name = labels["#doc-2"][1]
    assert name is not None and name.get("direction") == "ltr"
    # Both are anchored at the same right edge: RTL text by its start, LTR text by its end.
    assert label.get("text-anchor") == "start" and name.get("text-anchor") == "end"
    assert label.get("x") == name.get("x")


def test_timeline_stacks_themes_at_each_date_in_order() -> None:
    text, undated = timeline(rows(), COLUMNS)
    assert undated == 1
    svg = ET.fromstring(text)
    bars = svg.findall(f"{SVG}g[@class='bar']")
    assert [b.get("data-date") for b in bars] == ["2022-08-31", "2024-11-01", "2024-11-12"]
    xs = [float(b.findall(f"{SVG}rect")[0].get("x", "0")) for b in bars[1:]]
    assert xs[0] < xs[1]
    heights = {
        (b.get("data-date"), r.get("data-theme")): float(r.get("height", "0"))
        for b in bars
        for r in b.findall(f"{SVG}rect")
    }
    # Heights in proportion to the counts (the tallest bar, 4 passages, fills the plot).
    assert heights[("2024-11-12", "arms")] == 3 * heights[("2024-11-12", "china")]
    assert heights[("2024-11-01", "china")] == 2 * heights[("2024-11-12", "china")]
    assert ("2022-08-31", "arms") not in heights  # a dated document without passages
    ticks = [t.text for t in svg.iter(f"{SVG}text")]
    assert "2023" in ticks and "2024" in ticks and "2022-08-31" in ticks and "2024-11-12" in ticks


def test_timeline_without_dates_is_left_out() -> None:
    assert timeline([r for r in rows() if r.day is None], COLUMNS) == ("", 1)
    one, _ = timeline([rows()[0]], COLUMNS)
    assert len(ET.fromstring(one).findall(f"{SVG}g[@class='bar']")) == 1


def test_report_has_the_pictures_and_still_loads_and_runs_nothing(tmp_path: Path) -> None:
    store_dir, corpus = build_store(tmp_path)
    out = io.StringIO()
    write("html", load_data(store_dir, corpus), out)
    page = out.getvalue()
    assert page.count('<svg class="heatmap"') == 1
    assert "No document has a date." in page  # the fixed store's documents have none
    assert "<script" not in page.lower() and " src=" not in page
    assert set(re.findall(r'href="(.)', page)) == {"#"}  # links inside the page only


def test_timeline_bars_never_overlap_and_stay_inside() -> None:
    """Dates days apart (and hundreds of them) still get a bar each, side by side."""
    from datetime import timedelta
    from itertools import pairwise

    many = [
        Row(
            f"doc-{i}",
            "t",
            date(2024, 1, 1) + timedelta(days=i * (1 if i < 300 else 40)),
            {"arms": 1},
        )
        for i in range(400)
    ]
    svg = ET.fromstring(timeline(many, COLUMNS)[0])
    width = float(svg.get("width", "0"))
    spans = sorted(
        (float(r.get("x", "0")), float(r.get("x", "0")) + float(r.get("width", "0")))
        for r in svg.iter(f"{SVG}rect")
    )
    assert len(spans) == 400 and spans[-1][1] <= width
    assert all(a[1] < b[0] for a, b in pairwise(spans))
