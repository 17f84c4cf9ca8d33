"""Dugnad's site pages and the site-wide navigation and footer settings.

A hub (a municipality's collaboration centre) is a ``HubPage``. It is either the root of its own
Wagtail Site (own host name, directly under the tree root) or a section of a shared site below a
``HomePage``. Pages below a hub are shown in the hub's default language unless the visitor has
chosen a language.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from cms.blocks import INTRO_RICH_TEXT_FEATURES, BodyBlock, LinkListBlock
from cms.routing import PathRouteMixin


class HubSectionMixin:
    """For pages that may sit in a hub: the hub's language, the hub and breadcrumbs in the context.

    Serve a page in its hub's default language when the visitor has not chosen one.

    An explicit choice (Django's language cookie, set by the language switcher) always wins; the
    browser's Accept-Language does not, because a hub speaks to its own community in its own
    language first. The language stays active for the rest of the request, so the lazily rendered
    template, ``<html lang>`` and the ``Content-Language`` header all agree.
    """

    def get_hub(self):
        """The nearest HubPage at or above this page, looked up once per instance."""
        if not hasattr(self, "_hub_cache"):
            from cms.selectors import hub_for_page  # selectors import these models

            self._hub_cache = hub_for_page(self)
        return self._hub_cache

    def get_view_restrictions(self):
        # From the versioned cache: usually no query at all (Wagtail's costs two on every page).
        from cms.restrictions import view_restrictions_for

        restrictions = view_restrictions_for(self)
        return super().get_view_restrictions() if restrictions is None else restrictions

    def serve(self, request, *args, **kwargs):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not (chosen and translation.check_for_language(chosen)):
            hub = self.get_hub()
            if hub is not None and hub.default_language:
                translation.activate(hub.default_language)
                request.LANGUAGE_CODE = hub.default_language
        response = super().serve(request, *args, **kwargs)
        # The same URL answers in different languages depending on the cookie.
        patch_vary_headers(response, ("Cookie",))
        return response

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import page_breadcrumbs

        context = super().get_context(request, *args, **kwargs)
        context["hub"] = self.get_hub()
        context["breadcrumbs"] = page_breadcrumbs(self, Site.find_for_request(request))
        return context


class HomePage(PathRouteMixin, Page):
    """The front page of a shared installation: it introduces Dugnad and lists the hubs below it."""

    intro = RichTextField(_("introduction"), features=INTRO_RICH_TEXT_FEATURES, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import hubs_for_home

        context = super().get_context(request, *args, **kwargs)
        context["hubs"] = hubs_for_home(self)
        return context


class HubPage(PathRouteMixin, HubSectionMixin, Page):
    """A collaboration centre run by a municipality with its partners.

    ``coordinators_group`` and ``collection`` are set by ``cms.services.hub_coordinators_group_ensure``
    and are kept across revisions and left out of copies, so they always point at this hub's own
    group and collection.
    """

    municipality = models.CharField(_("municipality"), max_length=120)
    introduction = RichTextField(_("introduction"), features=INTRO_RICH_TEXT_FEATURES, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_address = models.TextField(_("postal or visiting address"), max_length=400, blank=True)
    default_language = models.CharField(
        _("default language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Visitors who have not chosen a language see this hub in this language."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    coordinators_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("coordinators group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="coordinated_hub",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("media collection"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="hub",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("municipality"),
        FieldPanel("introduction"),
        FieldPanel("hero_image"),
        FieldPanel("default_language"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("contact_address")],
            heading=_("Contact details"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("municipality"),
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    # subpage_types is left open on purpose: higher apps (projects) put their index pages under a
    # hub by naming "cms.HubPage" in their own parent_page_types, without cms importing them.
    parent_page_types = ["wagtailcore.Page", "cms.HomePage"]
    exclude_fields_in_copy = ["coordinators_group", "collection"]

    class Meta:
        verbose_name = _("hub")
        verbose_name_plural = _("hubs")

    def get_hub(self):
        return self

    def with_content_json(self, content):
        # Revisions saved before the group was created hold no group; publishing one must not unlink it.
        obj = super().with_content_json(content)
        obj.coordinators_group_id = self.coordinators_group_id
        obj.collection_id = self.collection_id
        return obj

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import hub_child_pages, hub_latest_news

        context = super().get_context(request, *args, **kwargs)
        context["child_pages"] = hub_child_pages(self)
        context["latest_news"] = hub_latest_news(self)
        return context


class StandardPage(HubSectionMixin, Page):
    """An ordinary content page: about the hub, how to take part, and so on."""

    intro = RichTextField(_("introduction"), features=INTRO_RICH_TEXT_FEATURES, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.HubPage", "cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class NewsIndexPage(HubSectionMixin, Page):
    """A hub's news listing; the newest first."""

    intro = RichTextField(_("introduction"), features=INTRO_RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["cms.HubPage"]
    subpage_types = ["cms.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import news_for_index

        context = super().get_context(request, *args, **kwargs)
        context["news_items"] = news_for_index(self)
        return context


class NewsPage(HubSectionMixin, Page):
    """One piece of news from a hub."""

    date = models.DateField(_("date"))
    intro = RichTextField(_("introduction"), features=INTRO_RICH_TEXT_FEATURES, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("date"), FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")


class StatementKind(models.TextChoices):
    PRIVACY = "privacy", _("Privacy statement")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")


class StatementPage(HubSectionMixin, Page):
    """A statement the law asks every public service for; one of each kind, linked from every footer.

    The privacy statement (GDPR art. 13) and the accessibility statement (the universal-design
    regulation) are ordinary editable pages so that each installation can say who runs it.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=StatementKind.choices)
    intro = RichTextField(_("introduction"), features=INTRO_RICH_TEXT_FEATURES, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("last_reviewed"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.HubPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def clean(self):
        super().clean()
        if StatementPage.objects.filter(kind=self.kind).exclude(pk=self.pk).exists():
            raise ValidationError({"kind": _("The installation already has this statement; edit that page instead.")})


# --- Site settings ------------------------------------------------------------------------------


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    """The site's main menu; "The goals" is always shown after these links."""

    links = StreamField(LinkListBlock(), verbose_name=_("links"), blank=True)

    panels = [FieldPanel("links")]

    class Meta:
        verbose_name = _("navigation")
        verbose_name_plural = _("navigation")


@register_setting(icon="doc-full")
class FooterSettings(BaseSiteSetting):
    """What the footer says on every page of a site."""

    text = models.TextField(_("text"), max_length=500, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_address = models.TextField(_("address"), max_length=400, blank=True)
    links = StreamField(LinkListBlock(), verbose_name=_("links"), blank=True)

    panels = [
        FieldPanel("text"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("contact_address")],
            heading=_("Contact details"),
        ),
        FieldPanel("links"),
    ]

    class Meta:
        verbose_name = _("footer")
        verbose_name_plural = _("footer")
