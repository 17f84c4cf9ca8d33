import importlib
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
