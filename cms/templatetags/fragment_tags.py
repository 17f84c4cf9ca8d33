"""``{% public_part "name" %}…{% endpublic_part %}``: a part of a page that is the same for every
visitor, rendered once and kept while what the page shows is unchanged.

Anonymous visitors get whole pages from the page cache; logged-in members do not, and at national
size a hub's or the front page's lists cost them 100–400 ms a visit. Wrapping the parts that read
nothing of the visitor (no follow button, no edit link, no form) serves members those parts from
the versioned cache (``cms.fragments``) by page, language, host and day. The part depends on what
its page shows (``shown_by_page``) and on every versioned entry it uses while rendering.

Nothing the part sets in the context (``{% ... as name %}``) is seen after it: on a hit the part
is not rendered.
"""

from django import template

from cms.content_dependencies import shown_by_page
from cms.fragments import cached_fragment

register = template.Library()

# As the page cache's: a part may show what changes with time alone (a hub's next events, which its
# own list keeps ten minutes), and a member must not see an event that has ended for an hour.
PART_TIMEOUT = 10 * 60


@register.tag("public_part")
def do_public_part(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the part's name")
    nodelist = parser.parse(("endpublic_part",))
    parser.delete_first_token()
    return PublicPartNode(parser.compile_filter(bits[1]), nodelist)


class PublicPartNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        page, request = context.get("page"), context.get("request")
        if page is None or page.pk is None or getattr(request, "is_preview", False):
            # A preview shows unsaved edits: never served from, nor kept in, the cache.
            return self.nodelist.render(context)

        def render() -> str:
            with context.push():
                return self.nodelist.render(context)

        name = f"part:{self.name.resolve(context)}:{page.pk}"
        return cached_fragment(request, name, render, depends_on=tuple(shown_by_page(page)), timeout=PART_TIMEOUT)
