import importlib
import re
import shutil
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from goals.loading import DATA_DIR, CatalogueError, load_catalogue, read_catalogue
from goals.models import Goal, Indicator, Target

pytestmark = pytest.mark.usefixtures("sdg_catalogue")


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list(), key=lambda row: row[0])
        for model in (Goal, Target, Indicator)
    }


def test_loading_twice_changes_nothing():
    before = snapshot()

    summaries = load_catalogue(apps)

    assert {name: (s.created, s.updated, s.not_in_files) for name, s in summaries.items()} == {
        "goals": (0, 0, 0),
        "targets": (0, 0, 0),
        "indicators": (0, 0, 0),
    }
    assert [s.unchanged for s in summaries.values()] == [17, 169, 252]
    assert snapshot() == before


def test_loading_repairs_edited_and_missing_rows_in_place():
    goal = Goal.objects.get(number=11)
    goal_pk = goal.pk
    Goal.objects.filter(pk=goal_pk).update(short_name_en="Edited", text_colour="#FFFFFF")
    Indicator.objects.filter(code="11.6.1").delete()

    summaries = load_catalogue(apps)

    assert (summaries["goals"].updated, summaries["goals"].created) == (1, 0)
    assert (summaries["indicators"].created, summaries["indicators"].updated) == (1, 0)
    goal = Goal.objects.get(number=11)
    assert goal.pk == goal_pk
    assert goal.short_name_en == "Sustainable cities and communities"
    assert goal.text_colour == "#000000"
    assert Indicator.objects.get(code="11.6.1").target.code == "11.6"


def test_loading_keeps_rows_the_files_no_longer_have():
    target = Target.objects.get(code="1.1")
    Indicator.objects.create(target=target, code="1.1.99", title_en="Old", title_nb="Gammel", sort_key=0)

    summaries = load_catalogue(apps)

    assert summaries["indicators"].not_in_files == 1
    assert Indicator.objects.filter(code="1.1.99").exists()


def test_data_migration_loads_the_catalogue_into_empty_tables():
    migration = importlib.import_module("goals.migrations.0002_load_sdg_catalogue")
    Goal.objects.all().delete()  # cascades to targets and indicators
    assert Indicator.objects.count() == 0

    migration.load(apps, schema_editor=None)

    assert (Goal.objects.count(), Target.objects.count(), Indicator.objects.count()) == (17, 169, 252)


def test_management_command_reports_what_it_did():
    Target.objects.filter(code="3.d").update(title_nb="Endret")
    out = StringIO()

    call_command("load_sdg_catalogue", stdout=out)

    assert out.getvalue().splitlines() == [
        "goals: 0 created, 0 updated, 17 unchanged",
        "targets: 0 created, 1 updated, 168 unchanged",
        "indicators: 0 created, 0 updated, 252 unchanged",
    ]
    assert Target.objects.get(code="3.d").title_nb.startswith("Styrke")


@pytest.fixture
def data_copy(tmp_path):
    for path in DATA_DIR.glob("*.yml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_read_catalogue_refuses_a_key_missing_from_one_language(data_copy):
    path = data_copy / "global_targets.nb_NO.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("11-6-title:", "11-99-title:"), encoding="utf-8")

    with pytest.raises(CatalogueError, match="one language only"):
        read_catalogue(data_copy)


def test_read_catalogue_refuses_an_indicator_without_a_target(data_copy):
    for suffix in ("en", "nb_NO"):
        path = data_copy / f"global_indicators.{suffix}.yml"
        path.write_text(path.read_text(encoding="utf-8") + "\n18-1-1-title: Orphan\n", encoding="utf-8")

    with pytest.raises(CatalogueError, match="belongs to no target"):
        read_catalogue(data_copy)


def test_a_broken_file_leaves_the_database_untouched(data_copy):
    (data_copy / "global_goals.en.yml").write_text("1-short: Only one\n", encoding="utf-8")
    before = snapshot()

    with pytest.raises(CatalogueError):
        load_catalogue(apps, data_dir=data_copy)
    with pytest.raises(CommandError):
        call_command("load_sdg_catalogue", data_dir=str(data_copy), stdout=StringIO())

    assert snapshot() == before


# Words that only Bokmål spells this way; in Nynorsk they read ikkje, heile, vere, berekraftig, innan…
BOKMAL_ONLY = re.compile(
    r"\b(ikke|hele|være|bærekraftige?|innen|fremme|fremmer|deres|hvert?|hvor|byer|gjøre|blant annet|mennesker|"
    r"tjenester|forurensning|utslipp|sykdommer|også|noen|barn og unge|særlig de)\b",
    re.IGNORECASE,
)


def test_every_goal_target_and_indicator_has_a_nynorsk_title_without_bokmal_words():
    rows = [(f"goal {g.number} short name", g.short_name_nb, g.short_name_nn) for g in Goal.objects.all()]
    rows += [(f"goal {g.number}", g.title_nb, g.title_nn) for g in Goal.objects.all()]
    rows += [(f"target {t.code}", t.title_nb, t.title_nn) for t in Target.objects.all()]
    rows += [(f"indicator {i.code}", i.title_nb, i.title_nn) for i in Indicator.objects.all()]
    assert len(rows) == 17 + 17 + 169 + 252

    for name, bokmal, nynorsk in rows:
        assert nynorsk.strip(), f"{name} has no Nynorsk title"
        assert not BOKMAL_ONLY.search(nynorsk), f"{name}: Bokmål word in {nynorsk!r}"
        if BOKMAL_ONLY.search(bokmal):
            assert nynorsk != bokmal, f"{name}: the Nynorsk title is the Bokmål one"


def test_nynorsk_is_optional_per_row_and_per_file(data_copy):
    (data_copy / "global_goals.nn.yml").write_text("1-short: 'Utrydde fattigdom'\n", encoding="utf-8")
    (data_copy / "global_targets.nn.yml").unlink()
    (data_copy / "global_indicators.nn.yml").unlink()

    catalogue = read_catalogue(data_copy)

    assert catalogue.goals[1]["short_name_nn"] == "Utrydde fattigdom"
    assert catalogue.goals[1]["title_nn"] == ""
    assert catalogue.targets["1.1"]["title_nn"] == ""
    assert catalogue.indicators["1.1.1"]["title_nn"] == ""


def test_read_catalogue_refuses_a_nynorsk_key_the_source_lacks(data_copy):
    path = data_copy / "global_targets.nn.yml"
    path.write_text(path.read_text(encoding="utf-8") + "1-99-title: 'Ukjend'\n", encoding="utf-8")

    with pytest.raises(CatalogueError, match="not in the source files"):
        read_catalogue(data_copy)


def test_nynorsk_data_migration_fills_the_nynorsk_titles_of_existing_rows():
    migration = importlib.import_module("goals.migrations.0004_load_nynorsk_titles")
    Goal.objects.update(short_name_nn="", title_nn="")
    Target.objects.update(title_nn="")
    Indicator.objects.update(title_nn="")

    migration.load(apps, schema_editor=None)

    assert not Goal.objects.filter(title_nn="").exists()
    assert not Target.objects.filter(title_nn="").exists()
    assert not Indicator.objects.filter(title_nn="").exists()
    assert Goal.objects.get(number=1).title_nn == "Utrydde fattigdom i all form, overalt"
