"""The reference view for ``make bench``: what this machine can serve at best through the same stack.

``/bench/bare/`` is routed only when ``DUGNAD_BENCH_VIEWS`` is on (``tests/bench/settings.py``
switches it on). It runs every middleware and context processor the real pages run and renders
about 20 KB of HTML from a Django template (a loop of cards with a few variables each, like a
listing page), but touches no database, no Wagtail page and no base template. A page's speed is
reported as a multiple of this view's, so the benchmark's target does not depend on the machine.
"""

from django.http import HttpResponse
from django.template import engines

CARD_COUNT = 50
LOREM = (
    "Lokale partnerskap for bærekraftsmålene samler kommunen, næringslivet, forskningen, "
    "organisasjonene og innbyggerne om felles mål og konkrete prosjekter i hele regionen."
)

# The page's text is data, not interface, and is never shown to anyone: no translation.
_TEMPLATE = engines["django"].from_string(
    """<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
</head>
<body>
<main id="main">
<h1>{{ title }}</h1>
<ul class="cards">
{% for card in cards %}<li class="ds-card">
<h2 class="ds-heading" data-size="xs"><a class="ds-link" href="/bench/bare/{{ card.number }}/">{{ card.name }}</a></h2>
<p class="ds-paragraph">{{ card.text }}</p>
<p class="ds-paragraph" data-size="sm">Kort nummer {{ card.number }} av {{ cards|length }}.</p>
</li>
{% endfor %}</ul>
</main>
</body>
</html>
"""
)
_CARDS = [{"number": number, "name": f"Organisasjon {number}", "text": LOREM} for number in range(1, CARD_COUNT + 1)]


def bare(request):
    return HttpResponse(_TEMPLATE.render({"title": "Benchmark", "cards": _CARDS}, request))
