"""Which dependency keys (``cms.dependency``) writes to the site's pages and Wagtail's models replace,
and what a served page depends on."""

from django.db.models.signals import pre_delete, pre_save
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Locale, Page, PageViewRestriction, Site

from accounts.models import DataExport, User
from cms import dependency
from cms.models import FooterSettings, HomePage, HubPage, NavigationSettings, NewsPage, StatementPage
from cms.selectors import hub_for_page
from goals.models import Goal, Target
from goals.models import Indicator as GoalIndicator


def hub_id_of_path(path: str) -> int | None:
    """The id of the nearest hub at or above the page with tree path ``path`` (one query)."""
    steplen = Page.steplen
    paths = [path[:end] for end in range(steplen, len(path) + 1, steplen)]
    return HubPage.objects.filter(path__in=paths).order_by("-depth").values_list("pk", flat=True).first()


def page_keys(page: Page) -> set[str]:
    """What a write to ``page`` replaces: the page, and its hub's lists and menus (the site's and
    the front page's for a page outside every hub; a hub is also on the front page and in the set
    of hubs), and the tree when the page comes, goes, or is published or unpublished."""
    keys = {dependency.page(page.pk)}
    if getattr(page, "_dependency_tree_changed", True):
        keys.add(dependency.TREE)
    if getattr(page, "_dependency_address_changed", False):
        keys.add(dependency.EVERYTHING)
    if isinstance(page, StatementPage):  # every footer links the statements
        keys.add(dependency.SITE)
    specific_class = page.specific_class or type(page)
    if issubclass(specific_class, NewsPage):  # the front page shows the latest news of every hub
        keys.add(dependency.HOME)
    if issubclass(specific_class, HubPage):
        return keys | {dependency.hub(page.pk), dependency.hub_discussions(page.pk), dependency.SITE, dependency.HOME}
    hub_id = hub_id_of_path(page.path) if page.path else None
    if hub_id is None:
        return keys | {dependency.SITE, dependency.HOME}
    return keys | {dependency.hub(hub_id)}


def _note_tree_change(sender, instance, **kwargs):
    """Before a page is saved or deleted: whether the write changes what the lists of public pages
    are computed from (``TREE``: ``cms.restrictions``' aliases and unpublished branches, and the
    pages whose own audience is cached, ``changes_tree_when_live_changes``), or a page's address,
    which links anywhere show (everything).

    A leaf page (a project, a news item) coming or going changes none of that: its own ``live`` is
    read by the lists' queries, so publishing one replaces its hub's key, not the tree's.
    """
    if not isinstance(instance, Page):
        return
    if instance.alias_of_id is not None:
        instance._dependency_tree_changed = True
        return
    if kwargs.get("signal") is pre_delete:
        instance._dependency_tree_changed = not instance.live or instance.numchild > 0
        return
    if instance._state.adding or instance.pk is None:
        # Below a page that is not live, the parent becomes an unpublished branch.
        parent_path = instance.path[: -Page.steplen] if instance.path else ""
        parent_live = Page.objects.filter(path=parent_path).values_list("live", flat=True).first()
        instance._dependency_tree_changed = parent_live is not True
        return
    before = Page.objects.filter(pk=instance.pk).values_list("live", "slug", "numchild").first()
    if before is None:
        instance._dependency_tree_changed = True
        return
    live_changed = before[0] != instance.live
    instance._dependency_tree_changed = live_changed and (
        before[2] > 0 or getattr(instance, "changes_tree_when_live_changes", False)
    )
    instance._dependency_address_changed = before[1] != instance.slug


pre_save.connect(_note_tree_change, dispatch_uid="cms_dependency_tree_save")
pre_delete.connect(_note_tree_change, dispatch_uid="cms_dependency_tree_delete")


def page_keys_by_id(page_id: int | None) -> set[str]:
    """``page_keys`` of the page with ``page_id`` (nothing if there is none, or it is gone)."""
    if page_id is None:
        return set()
    page = Page.objects.filter(pk=page_id).only("pk", "path", "content_type").first()
    if page is None:
        return {dependency.page(page_id)}
    page._dependency_tree_changed = False  # a thing on the page changed, not the page
    return page_keys(page)


def shown_by_page(page: Page) -> set[str]:
    """What a served page's own content depends on, unless its type says more or otherwise
    (``cache_dependencies()``): the page, and its hub's lists, menus and discussions."""
    own = getattr(page, "cache_dependencies", None)
    if own is not None:
        return set(own())
    keys = {dependency.page(page.pk)}
    if isinstance(page, HomePage):
        return keys | {dependency.SITE, dependency.HOME}
    hub = hub_for_page(page)  # from the versioned cache: no query
    if hub is None:
        return keys | {dependency.SITE}
    return keys | {dependency.hub(hub.pk), dependency.hub_discussions(hub.pk)}


def _site_wide(instance) -> set[str]:
    return {dependency.SITE}


def _routing(instance) -> set[str]:
    # Which page answers a URL, and who may see it: everything cached may depend on that.
    return {dependency.EVERYTHING}


dependency.register(Page, page_keys)
dependency.register(Site, _routing)
dependency.register(Locale, _routing)
dependency.register(PageViewRestriction, _routing)
dependency.register(CollectionViewRestriction, _routing)
dependency.register(NavigationSettings, _site_wide)
dependency.register(FooterSettings, _site_wide)
dependency.register(Tag, _site_wide)
dependency.register(Redirect, _site_wide)
# A new image or document is shown only once something refers to it, and that write says so.
dependency.register(get_image_model(), _site_wide, on_create=False)
dependency.register(get_document_model(), _site_wide, on_create=False)


# --- The apps below cms: people and the goal catalogue --------------------------------------------


def _person(user) -> set[str]:
    return {dependency.person(user.pk)}


def _goal(goal) -> set[str]:
    return {dependency.goal(goal.number), dependency.SITE}


def _goal_of(thing) -> set[str]:
    number = Goal.objects.filter(pk=thing.goal_id).values_list("number", flat=True).first()
    return {dependency.goal(number), dependency.SITE} if number is not None else {dependency.SITE}


def _indicator(indicator) -> set[str]:
    number = Goal.objects.filter(targets__pk=indicator.target_id).values_list("number", flat=True).first()
    return {dependency.goal(number), dependency.SITE} if number is not None else {dependency.SITE}


def hub_item_keys(item) -> set[str]:
    """What an item of a hub (an event, idea, consultation or challenge) is shown on: the hub's
    pages, and the page of the project it belongs to, if any."""
    keys = {dependency.hub(item.hub_id)}
    if item.project_id is not None:
        keys.add(dependency.page(item.project_id))
    return keys


def goal_keys(goal_ids) -> set[str]:
    """The keys of the goals with ``goal_ids`` (their pages show what refers to them)."""
    return {dependency.goal(n) for n in Goal.objects.filter(pk__in=list(goal_ids)).values_list("number", flat=True)}


dependency.register(User, _person, on_create=False, fields={"display_name", "avatar", "is_active", "erased_at"})
dependency.never_public(DataExport)
dependency.register(Goal, _goal, referenced=lambda goal: {dependency.goal(goal.number)})
dependency.register(Target, _goal_of, referenced=lambda target: _goal_of(target) - {dependency.SITE})
dependency.register(GoalIndicator, _indicator, referenced=lambda indicator: _indicator(indicator) - {dependency.SITE})
