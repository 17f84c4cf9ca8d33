"""Every template that draws a chart loads the charts' one stylesheet; no other page is made to."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", "tests", "var", ".git"}


def templates():
    for path in BASE_DIR.rglob("*.html"):
        parts = set(path.relative_to(BASE_DIR).parts)
        if "templates" in parts and not parts & SKIP:
            yield path


def test_pages_that_include_a_chart_component_link_the_chart_stylesheet():
    using = {
        path.relative_to(BASE_DIR)
        for path in templates()
        if '"components/charts/' in path.read_text(encoding="utf-8") and "components/charts" not in str(path)
    }
    assert using  # the dashboard at least
    for path in using:
        assert '{% include "includes/chart_stylesheet.html" %}' in (BASE_DIR / path).read_text(encoding="utf-8"), path


def test_the_stylesheets_of_every_page_leave_the_charts_out():
    core = (BASE_DIR / "templates/includes/core_stylesheets.html").read_text(encoding="utf-8")
    assert "charts" not in core
    assert not (BASE_DIR / "static/css/charts-bars.css").exists()
