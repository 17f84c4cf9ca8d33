import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from goals.loading import indicator_sort_key, target_sort_key
from goals.models import Goal, Indicator, Target

pytestmark = pytest.mark.usefixtures("sdg_catalogue")

TARGET_11_6_EN = (
    "By 2030, reduce the adverse per capita environmental impact of cities, including by paying special "
    "attention to air quality and municipal and other waste management"
)
TARGET_11_6_NB = (
    "Innen 2030, reduser byens ugunstige miljøpåvirkning per innbygger, inkludert ved å være spesielt "
    "oppmerksom på luftkvaliteten og kommunal og annen avfallshåndtering"
)
TARGET_11_6_NN = (
    "Innan 2030 redusere den negative miljøverknaden per innbyggjar i byane, mellom anna ved å leggje særleg "
    "vekt på luftkvalitet og handtering av kommunalt avfall og anna avfall"
)


def test_catalogue_has_17_goals_169_targets_and_one_indicator_per_code():
    assert Goal.objects.count() == 17
    assert Target.objects.count() == 169
    assert Indicator.objects.count() == 252


def test_target_11_6_has_its_english_and_bokmal_titles():
    target = Target.objects.get(code="11.6")

    assert target.goal.number == 11
    assert target.title_en == TARGET_11_6_EN
    assert target.title_nb == TARGET_11_6_NB


def test_lettered_targets_exist_where_the_un_list_has_them():
    assert Target.objects.filter(code__in=["1.a", "1.b", "3.d", "14.c"]).count() == 4
    # Goal 17's targets are all numbered (17.1 to 17.19): the UN list has no 17.a.
    assert Target.objects.filter(goal__number=17).count() == 19
    assert not Target.objects.filter(code="17.a").exists()


def test_indicator_11_6_1_belongs_to_target_11_6():
    indicator = Indicator.objects.select_related("target__goal").get(code="11.6.1")

    assert indicator.target.code == "11.6"
    assert indicator.target.goal.number == 11
    assert indicator.title_en.startswith("Proportion of municipal solid waste collected")


def test_an_indicator_the_un_repeats_under_several_targets_is_a_row_under_each():
    repeated = Indicator.objects.filter(code__in=["1.5.1", "11.5.1", "13.1.1"]).select_related("target")

    assert sorted(indicator.target.code for indicator in repeated) == ["1.5", "11.5", "13.1"]
    assert len({indicator.title_en for indicator in repeated}) == 1


def test_goals_are_ordered_by_number():
    assert list(Goal.objects.values_list("number", flat=True)) == list(range(1, 18))


def test_targets_put_numbers_in_numeric_order_before_letters():
    goal_1 = Goal.objects.get(number=1)
    goal_17 = Goal.objects.get(number=17)

    assert [t.code for t in goal_1.targets.all()] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b"]
    assert [t.code for t in goal_17.targets.all()] == [f"17.{n}" for n in range(1, 20)]
    assert list(Target.objects.values_list("code", flat=True)[6:9]) == ["1.b", "2.1", "2.2"]


def test_indicators_are_ordered_within_their_target():
    target = Target.objects.get(code="17.18")

    assert [i.code for i in target.indicators.all()] == ["17.18.1", "17.18.2", "17.18.3"]


def test_sort_keys_order_codes_as_people_read_them():
    codes = ["2.1", "1.b", "1.10", "1.a", "1.2"]

    assert sorted(codes, key=target_sort_key) == ["1.2", "1.10", "1.a", "1.b", "2.1"]
    assert sorted(["1.10.1", "1.2.2", "1.a.1", "1.2.10"], key=indicator_sort_key) == [
        "1.2.2",
        "1.2.10",
        "1.10.1",
        "1.a.1",
    ]


@pytest.mark.parametrize(
    ("language", "goal_short", "goal_title_start", "target_title", "indicator_start"),
    [
        ("en", "Sustainable cities and communities", "Make cities", TARGET_11_6_EN, "Proportion of municipal"),
        ("en-gb", "Sustainable cities and communities", "Make cities", TARGET_11_6_EN, "Proportion of municipal"),
        ("nb", "Bærekraftige byer og lokalsamfunn", "Gjøre byer", TARGET_11_6_NB, "Andel"),
        # Dugnad's own Nynorsk translation (goals/data/sdg/README.md).
        ("nn", "Berekraftige byar og lokalsamfunn", "Gjere byar", TARGET_11_6_NN, "Del av det kommunale"),
    ],
)
def test_accessors_follow_the_active_language(language, goal_short, goal_title_start, target_title, indicator_start):
    goal = Goal.objects.get(number=11)
    target = Target.objects.get(code="11.6")
    indicator = Indicator.objects.get(code="11.6.1")

    with translation.override(language):
        assert goal.short_name == goal_short
        assert goal.title.startswith(goal_title_start)
        assert target.title == target_title
        assert indicator.title.startswith(indicator_start)


def test_str_and_urls():
    goal = Goal.objects.get(number=11)

    with translation.override("en"):
        assert str(goal) == "11. Sustainable cities and communities"
    assert str(Target.objects.get(code="11.6")) == "11.6"
    assert goal.get_absolute_url() == "/goals/11/"
    assert Target.objects.get(code="11.a").get_absolute_url() == "/goals/11/#target-11-a"
    assert Indicator.objects.get(code="11.6.1").get_absolute_url() == "/goals/11/#indicator-11-6-1"
    assert goal.css_class == "goal-colour-11"


def test_goal_numbers_outside_1_to_17_are_refused():
    goal = Goal(
        number=18,
        short_name_en="x",
        short_name_nb="x",
        title_en="x",
        title_nb="x",
        colour="#000000",
        text_colour="#FFFFFF",
    )

    with pytest.raises(ValidationError) as error:
        goal.full_clean(validate_constraints=False)
    assert "number" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        goal.save()
