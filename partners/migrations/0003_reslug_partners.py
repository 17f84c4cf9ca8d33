"""Readable slugs for partners whose old slug lost its Norwegian letters ("Grønn" → ``grnn``).

Only slugs that the old code made from the name (Django's ``slugify``, maybe with ``-2`` ...) are
changed; a slug an editor chose is left alone. Each old slug is kept in ``PartnerOldSlug`` so that
its address answers with a permanent redirect.
"""

import re

from django.db import migrations
from django.utils.text import slugify

from cms.slugs import slugify_no, unique_slug

RESERVED_SLUGS = {"apply", "mine", "invitations"}


def _base(slug: str) -> str:
    slug = slug or "partner"
    return f"{slug}-partner" if slug in RESERVED_SLUGS else slug


def reslug(apps, schema_editor):
    Partner = apps.get_model("partners", "Partner")
    PartnerOldSlug = apps.get_model("partners", "PartnerOldSlug")
    taken = set(Partner.objects.values_list("slug", flat=True))
    taken.update(PartnerOldSlug.objects.values_list("slug", flat=True))
    for partner in Partner.objects.order_by("pk"):
        old_base = _base(slugify(partner.name)[:180])
        new_base = _base(slugify_no(partner.name, max_length=180))
        if old_base == new_base or not re.fullmatch(rf"{re.escape(old_base)}(-\d+)?", partner.slug):
            continue
        old_slug = partner.slug
        partner.slug = unique_slug(new_base, taken)
        taken.add(partner.slug)
        Partner.objects.filter(pk=partner.pk).update(slug=partner.slug)
        PartnerOldSlug.objects.get_or_create(slug=old_slug, defaults={"partner": partner})


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_partner_old_slugs")]

    operations = [migrations.RunPython(reslug, migrations.RunPython.noop)]
