"""cms.sanitise.sanitise_html: what user-written HTML (partner descriptions, terms) may keep."""

import pytest

from cms.sanitise import sanitise_html


@pytest.mark.parametrize(
    ("dirty", "forbidden"),
    [
        ("<p>Hei</p><script>alert(1)</script>", ["<script", "alert(1)"]),
        ("<p>Hei<script src='https://evil.example/x.js'></script></p>", ["<script", "evil.example"]),
        ('<img src="x" onerror="alert(1)">', ["onerror", "alert", "<img"]),
        ('<p onclick="steal()">Klikk</p>', ["onclick", "steal"]),
        ('<a href="#" onmouseover="steal()">lenke</a>', ["onmouseover", "steal"]),
        ('<a href="javascript:alert(1)">lenke</a>', ["javascript:", "alert"]),
        ('<a href="JaVaScRiPt:alert(1)">lenke</a>', ["javascript", "alert"]),
        ('<a href=" javascript:alert(1)">lenke</a>', ["javascript", "alert"]),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">lenke</a>', ["data:"]),
        ('<p style="background:url(javascript:alert(1))">stil</p>', ["style", "javascript"]),
        ('<iframe src="https://evil.example/"></iframe><p>tekst</p>', ["<iframe", "evil.example"]),
        ("<style>p{display:none}</style><p>tekst</p>", ["<style", "display:none"]),
        ("<svg><script>alert(1)</script></svg>", ["<svg", "<script", "alert"]),
        ('<form action="https://evil.example"><input name="x"></form>', ["<form", "<input"]),
        ("<!-- <script>alert(1)</script> --><p>x</p>", ["<!--", "alert"]),
    ],
)
def test_dangerous_markup_is_removed(dirty, forbidden):
    clean = sanitise_html(dirty)
    for fragment in forbidden:
        assert fragment.lower() not in clean.lower(), clean


def test_the_text_around_removed_markup_stays():
    assert sanitise_html('<p onclick="x()">Vi <b>deler</b></p>') == "<p>Vi <b>deler</b></p>"
    assert sanitise_html('<iframe src="https://evil.example/"></iframe><p>tekst</p>') == "<p>tekst</p>"


@pytest.mark.parametrize(
    "html",
    [
        "<p>Et avsnitt</p>",
        "<p><strong>fet</strong> og <em>kursiv</em></p>",
        "<ul><li>en</li><li>to</li></ul>",
        "<ol><li>første</li></ol>",
    ],
)
def test_the_allowed_formatting_is_kept_unchanged(html):
    assert sanitise_html(html) == html


@pytest.mark.parametrize(
    "href", ["https://alesund.kommune.no/", "http://example.org/side?a=1&amp;b=2", "mailto:post@example.org"]
)
def test_links_keep_their_href_and_get_a_safe_rel(href):
    clean = sanitise_html(f'<a href="{href}" target="_blank" class="x">lenke</a>')
    assert f'href="{href}"' in clean
    assert 'rel="noopener noreferrer nofollow"' in clean
    assert "target" not in clean
    assert "class" not in clean


def test_empty_and_missing_input_give_an_empty_string():
    assert sanitise_html("") == ""
    assert sanitise_html(None) == ""
