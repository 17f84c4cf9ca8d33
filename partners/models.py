"""Partners: organisations, the people who act for them, and their membership of hubs.

A ``Partner`` is an organisation that exists once in the installation; a ``Partnership`` is its
membership of one hub, with a small state machine (see ``PartnershipStatus.TRANSITIONS``). Only
approved partnerships are public. Every change of status is recorded as a ``PartnershipEvent``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.models import HubSectionMixin
from cms.search_text import NormalisedSearchMixin, normalised_search_fields
from partners.validators import validate_organisation_number

PARTNER_DESCRIPTION_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class PartnerKind(models.TextChoices):
    BUSINESS = "business", _("Business")
    PUBLIC_SECTOR = "public_sector", _("Public sector")
    RESEARCH_EDUCATION = "research_education", _("Research and education")
    NGO = "ngo", _("NGO / civil society")
    CITIZEN_INITIATIVE = "citizen_initiative", _("Citizen initiative")


class TaggedPartner(TaggedItemBase):
    content_object = ParentalKey("partners.Partner", related_name="tagged_items", on_delete=models.CASCADE)


class Partner(NormalisedSearchMixin, index.Indexed, ClusterableModel):
    """An organisation that works with one or more hubs."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=False)
    kind = models.CharField(_("kind of organisation"), max_length=32, choices=PartnerKind.choices)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=9,
        blank=True,
        validators=[validate_organisation_number],
        help_text=_("Nine digits, from the Brønnøysund Register Centre. Optional only for citizen initiatives."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField(_("website"), blank=True)
    description = RichTextField(_("description"), features=PARTNER_DESCRIPTION_FEATURES, blank=True)
    public_email = models.EmailField(_("public contact e-mail"), blank=True)
    municipality = models.CharField(_("postal municipality"), max_length=120, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    goals = models.ManyToManyField("goals.Goal", verbose_name=_("goals"), blank=True, related_name="partners")
    focus_themes = TaggableManager(
        verbose_name=_("focus themes"), through=TaggedPartner, blank=True, help_text=_("Separate themes with commas.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("organisation_number"),
        FieldPanel("logo"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("public_email"), FieldPanel("municipality")], heading=_("Contact")
        ),
        MultiFieldPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("Location")),
        FieldPanel("goals"),
        FieldPanel("focus_themes"),
    ]
    search_fields = normalised_search_fields(
        [
            index.SearchField("name"),
            index.SearchField("description"),
            index.SearchField("municipality"),
            index.SearchField("focus_themes"),
            index.AutocompleteField("name"),
            index.FilterField("kind"),
            # The coordinators' admin list is scoped by id (partners in their hubs), and search must keep that.
            index.FilterField("id"),
        ]
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_number"],
                condition=~Q(organisation_number=""),
                name="partner_organisation_number_unique",
                violation_error_message=_("An organisation with this organisation number is already registered."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not self.organisation_number and self.kind != PartnerKind.CITIZEN_INITIATIVE:
            raise ValidationError(
                {"organisation_number": _("An organisation number is required, except for citizen initiatives.")}
            )
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))


class PartnerOldSlug(models.Model):
    """An address a partner's page had before it was re-slugged; requests for it are sent on (301)."""

    slug = models.SlugField(_("old slug"), max_length=200, unique=True, allow_unicode=False)
    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="old_slugs")

    class Meta:
        verbose_name = _("old partner address")
        verbose_name_plural = _("old partner addresses")

    def __str__(self):
        return self.slug


class PartnerRole(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Partner administrator")
    MEMBER = "member", _("Member")


class PartnerMember(models.Model):
    """A person who acts for a partner. Administrators edit the profile and manage members."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_memberships")
    role = models.CharField(_("role"), max_length=16, choices=PartnerRole.choices, default=PartnerRole.MEMBER)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner member")
        verbose_name_plural = _("partner members")
        constraints = [models.UniqueConstraint(fields=["partner", "user"], name="partner_member_unique")]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.partner})"


class PartnerInvitation(models.Model):
    """An invitation by e-mail to act for a partner; it survives sign-up because it is matched by address."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=PartnerRole.choices, default=PartnerRole.MEMBER)
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.partner}"

    def get_absolute_url(self):
        return reverse("partner_invitation", args=[self.token])


class PartnerTerms(models.Model):
    """A version of a hub's partner terms. The newest version is the one partners accept."""

    hub = models.ForeignKey("cms.HubPage", on_delete=models.CASCADE, related_name="partner_terms")
    text = RichTextField(_("terms"), features=PARTNER_DESCRIPTION_FEATURES + ["h2", "h3"])
    created_at = models.DateTimeField(_("published"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    panels = [FieldPanel("hub"), FieldPanel("text")]

    class Meta:
        verbose_name = _("partner terms")
        verbose_name_plural = _("partner terms")
        get_latest_by = "created_at"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return _("Partner terms of %(hub)s, %(date)s") % {"hub": self.hub, "date": f"{self.created_at:%Y-%m-%d}"}


class PartnershipStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


# Which status may follow which. A rejected or ended partnership may apply again.
PARTNERSHIP_TRANSITIONS: dict[str, set[str]] = {
    PartnershipStatus.APPLIED: {PartnershipStatus.APPROVED, PartnershipStatus.REJECTED},
    PartnershipStatus.APPROVED: {PartnershipStatus.SUSPENDED, PartnershipStatus.ENDED},
    PartnershipStatus.SUSPENDED: {PartnershipStatus.APPROVED, PartnershipStatus.ENDED},
    PartnershipStatus.REJECTED: {PartnershipStatus.APPLIED},
    PartnershipStatus.ENDED: {PartnershipStatus.APPLIED},
}


class Partnership(models.Model):
    """A partner's membership of one hub."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="partnerships")
    hub = models.ForeignKey("cms.HubPage", on_delete=models.CASCADE, related_name="partnerships")
    status = models.CharField(_("status"), max_length=16, choices=PartnershipStatus.choices, db_index=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("applied by")
    )
    applied_at = models.DateTimeField(_("applied"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    terms = models.ForeignKey(
        PartnerTerms, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("terms")
    )
    terms_accepted_at = models.DateTimeField(_("terms accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [models.UniqueConstraint(fields=["partner", "hub"], name="partnership_partner_hub_unique")]
        indexes = [models.Index(fields=["hub", "status"])]

    def __str__(self):
        return f"{self.partner} – {self.hub} ({self.get_status_display()})"

    @property
    def is_public(self) -> bool:
        return self.status == PartnershipStatus.APPROVED


class PartnershipEvent(models.Model):
    """The log of a partnership: every change of status, who made it, when and why."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=PartnershipStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=PartnershipStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("partnership event")
        verbose_name_plural = _("partnership events")

    def __str__(self):
        return f"{self.partnership}: {self.from_status or '-'} → {self.to_status}"


class PartnerIndexPage(HubSectionMixin, RoutablePageMixin, Page):
    """A hub's partner directory (``<hub>/partners/``), its application form and its partners' pages.

    One per hub; the routes are in ``partners.views``. ``HubSectionMixin`` comes first so that its
    ``serve`` (the hub's language) wraps ``RoutablePageMixin.serve``, which calls the route's view.
    """

    intro = RichTextField(_("introduction"), features=PARTNER_DESCRIPTION_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HubPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    # The label a new hub's menu gives this page, in each language (cms.services.hub_menu_seed).
    menu_label = _("Partners")

    class Meta:
        verbose_name = _("partner directory")
        verbose_name_plural = _("partner directories")

    # The views live in partners.views (imported late: it imports forms and services, which import
    # these models). "apply/" is declared before "<slug>/" so that it wins.

    @path("", name="directory")
    def directory_route(self, request):
        from partners import views

        return views.directory(request, self)

    @path("apply/", name="apply")
    def apply_route(self, request):
        from partners import views

        return views.apply(request, self)

    @path("<slug:slug>/", name="partner")
    def partner_route(self, request, slug):
        from partners import views

        return views.partner_detail(request, self, slug)

    def get_sitemap_urls(self, request=None):
        """The directory and each approved partner's page (routes, not pages, so Wagtail would miss them)."""
        urls = super().get_sitemap_urls(request)
        if not urls:
            return urls
        hub = self.get_hub()
        if hub is None:
            return urls
        directory = urls[0]["location"]
        partners = Partner.objects.filter(
            partnerships__hub_id=hub.pk, partnerships__status=PartnershipStatus.APPROVED
        ).order_by("name", "pk")
        for slug, updated_at in partners.values_list("slug", "updated_at"):
            urls.append({"location": f"{directory}{slug}/", "lastmod": updated_at})
        return urls
