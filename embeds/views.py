"""The embeddable project list (HTML and JSON), the snippet and the share page.

The embed responses are made for other websites: any site may frame them (``frame-ancestors *``,
no ``X-Frame-Options``), the JSON may be read from any origin (CORS ``*``), and they set no cookie
at all — no session, no CSRF token, no language cookie — so a visitor of a municipality's website
gets no third-party cookie from Dugnad. The language is the ``lang`` parameter or the hub's own,
never a cookie. Nothing here touches ``request.session`` or ``request.user``, and the templates
hold no ``{% csrf_token %}``: that is what keeps the cookies away (``tests/embeds``).
"""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from accounts.urls_absolute import page_absolute_url
from embeds import selectors, snippets
from embeds.forms import EmbedOptionsForm
from projects import selectors as project_selectors

# Embeds change with content only; the anonymous page cache keeps the HTML fresh (never stale),
# and browsers and proxies may keep either for a few minutes.
EMBED_MAX_AGE = 300


def _for_other_sites(response, language: str):
    response["Content-Language"] = language
    response["Cache-Control"] = f"public, max-age={EMBED_MAX_AGE}"
    # Another site's copy of our list must not compete with the hub's own pages in search results.
    response["X-Robots-Tag"] = "noindex"
    return response


def _options(request, source: selectors.EmbedSource):
    language = selectors.embed_language(request.GET.get("lang"), source.hub)
    goal = selectors.embed_goal(request.GET.get("goal"))
    return language, goal


@require_safe
@xframe_options_exempt
def embed_projects(request, hub_id: int):
    """A hub's newest public projects as a small page for an ``<iframe>`` on another website."""
    source = selectors.embed_source(hub_id)
    language, goal = _options(request, source)
    limit = selectors.embed_limit(request.GET.get("limit"))
    # Activated (not overridden) so that LocaleMiddleware and the page cache see the same language.
    translation.activate(language)
    request.LANGUAGE_CODE = language
    projects = selectors.embed_projects(source, goal=goal, limit=limit)
    response = render(
        request,
        "embeds/embed_projects.html",
        {
            "hub": source.hub,
            "index": source.index,
            "goal": goal,
            "projects": projects,
            "language": language,
            "frame_title": snippets.frame_title(source.hub, goal=goal, language=language),
            "card_rendition": project_selectors.CARD_IMAGE_RENDITION,
        },
    )
    response.csp_frame_ancestors = "*"
    return _for_other_sites(response, language)


@require_safe
def embed_projects_json(request, hub_id: int):
    """The same list as JSON for websites that render it themselves; readable from any origin."""
    source = selectors.embed_source(hub_id)
    language, goal = _options(request, source)
    limit = selectors.embed_limit(request.GET.get("limit"))
    with translation.override(language):
        projects = selectors.embed_projects(source, goal=goal, limit=limit)
        data = {
            "hub": {
                "id": source.hub.pk,
                "title": source.hub.title,
                "url": page_absolute_url(source.hub),
                "projects_url": page_absolute_url(source.index),
            },
            "language": language,
            "goal": goal.number if goal is not None else None,
            "projects": [selectors.project_data(project) for project in projects],
        }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return _for_other_sites(response, language)


def _share_context(request, source: selectors.EmbedSource) -> dict:
    """The options form and the code for the chosen options (the hub's language and all goals at first)."""
    form = EmbedOptionsForm(
        request.GET or None, hub_language=selectors.embed_language(None, source.hub), auto_id="embed-%s"
    )
    goal, language = None, selectors.embed_language(None, source.hub)
    if form.is_valid():
        language = form.cleaned_data["lang"]
        if form.cleaned_data["goal"] is not None:
            goal = selectors.embed_goal(str(form.cleaned_data["goal"]))
    return {
        "hub": source.hub,
        "form": form,
        "snippet": snippets.embed_snippet(source.hub, goal=goal, language=language),
        "embed_url": snippets.embed_url(source.hub, goal=goal, language=language),
        "json_url": snippets.json_url(source.hub, goal=goal, language=language),
    }


@require_safe
def embed_snippet(request, hub_id: int):
    """The code for the options in the query, as plain text (the share dialog's script asks for it)."""
    source = selectors.embed_source(hub_id)
    context = _share_context(request, source)
    return HttpResponse(context["snippet"], content_type="text/plain; charset=utf-8")


@require_safe
def share(request, hub_id: int):
    """The share dialog's content as a page of its own: where the button leads without JavaScript."""
    source = selectors.embed_source(hub_id)
    return render(request, "embeds/share.html", _share_context(request, source))
