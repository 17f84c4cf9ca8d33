"""Loads the SDG catalogue from the YAML files in goals/data/sdg/ into Goal, Target and Indicator.

`load_catalogue` backs both the data migration and `manage.py load_sdg_catalogue`, so it takes an
app registry and never imports the models: the migration passes its historical registry, the
command the live one. It sets only the fields the given registry's models have, so migration 0002
(before the Nynorsk fields existed) loads English and Bokmål and 0004 adds the Nynorsk texts; any
other change to what it writes needs a new data migration with its own copy of the old behaviour.
"""

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from goals.colours import OFFICIAL_GOAL_COLOURS, readable_text_colour

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data" / "sdg"

# Our language code -> the suffix of the source files. Every key is in both.
SOURCE_LANGUAGES = {"en": "en", "nb": "nb_NO"}
# Dugnad's own Nynorsk translation (see data/sdg/README.md): its keys must be source keys, but a
# file may lack some or be missing altogether: those rows get an empty Nynorsk text, shown in Bokmål.
NYNORSK_SUFFIX = "nn"

_GOAL_KEY = re.compile(r"^(?P<number>\d+)-(?P<kind>short|title)$")
_TARGET_KEY = re.compile(r"^(?P<goal>\d+)-(?P<target>\d+|[a-z])-title$")
_INDICATOR_KEY = re.compile(r"^(?P<goal>\d+)-(?P<target>\d+|[a-z])-(?P<indicator>\d+)-title$")


class CatalogueError(ValueError):
    """The source files are inconsistent: a key in one language only, an unknown key, a dangling code."""


@dataclass
class LoadSummary:
    """What one load did to one model; `not_in_files` counts rows kept although the files dropped them."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_files: int = 0


@dataclass
class Catalogue:
    """The parsed files: natural key (goal number or code) -> field values, in both languages."""

    goals: dict[int, dict] = field(default_factory=dict)
    targets: dict[str, dict] = field(default_factory=dict)
    indicators: dict[str, dict] = field(default_factory=dict)


def target_sort_key(code: str) -> int:
    """Orders targets by goal, then numbered targets before lettered ones: 1.1 … 1.5, 1.a, 1.b, 2.1.

    Codes compared as text would put 1.10 before 1.2, and as numbers could not hold 1.a.
    """
    goal, target = code.split(".")
    position = int(target) if target.isdigit() else 100 + ord(target) - ord("a")
    return int(goal) * 1000 + position


def indicator_sort_key(code: str) -> int:
    """Orders indicators by their target's sort key, then by number (11.6.1 before 11.6.2)."""
    target_code, number = code.rsplit(".", 1)
    return target_sort_key(target_code) * 100 + int(number)


def _read_yaml(path: Path) -> dict[str, str]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError) as error:
        raise CatalogueError(f"{path.name}: {error}") from error
    if not isinstance(data, dict):
        raise CatalogueError(f"{path.name}: expected a mapping from key to title")
    return {str(key): str(value).strip() for key, value in data.items()}


def _read_pair(data_dir: Path, kind: str) -> dict[str, dict[str, str]]:
    """Reads `global_<kind>.<lang>.yml` for every language; key -> {"en": ..., "nb": ..., "nn": ...}.

    "nn" is "" where the Nynorsk file lacks the key or does not exist.
    """
    by_language = {
        language: _read_yaml(data_dir / f"global_{kind}.{suffix}.yml") for language, suffix in SOURCE_LANGUAGES.items()
    }
    keys = {language: set(texts) for language, texts in by_language.items()}
    if keys["en"] != keys["nb"]:
        differing = sorted(keys["en"] ^ keys["nb"])
        raise CatalogueError(f"global_{kind}: keys present in one language only: {differing[:10]}")
    nynorsk_path = data_dir / f"global_{kind}.{NYNORSK_SUFFIX}.yml"
    nynorsk = _read_yaml(nynorsk_path) if nynorsk_path.exists() else {}
    unknown = sorted(set(nynorsk) - keys["en"])
    if unknown:
        raise CatalogueError(f"{nynorsk_path.name}: keys not in the source files: {unknown[:10]}")
    return {
        key: {**{language: texts[key] for language, texts in by_language.items()}, "nn": nynorsk.get(key, "")}
        for key in keys["en"]
    }


def _match(pattern: re.Pattern, key: str, kind: str) -> re.Match:
    match = pattern.match(key)
    if match is None:
        raise CatalogueError(f"global_{kind}: unexpected key {key!r}")
    return match


def read_catalogue(data_dir: Path | None = None) -> Catalogue:
    """Parses and cross-checks the source files (goals/data/sdg/ unless told) without touching the database."""
    data_dir = Path(data_dir) if data_dir else DATA_DIR
    catalogue = Catalogue()

    for key, texts in _read_pair(data_dir, "goals").items():
        match = _match(_GOAL_KEY, key, "goals")
        goal = catalogue.goals.setdefault(int(match["number"]), {})
        prefix = "short_name" if match["kind"] == "short" else "title"
        goal[f"{prefix}_en"], goal[f"{prefix}_nb"], goal[f"{prefix}_nn"] = texts["en"], texts["nb"], texts["nn"]
    if set(catalogue.goals) != set(OFFICIAL_GOAL_COLOURS):
        raise CatalogueError(f"global_goals: expected goals 1 to 17, found {sorted(catalogue.goals)}")
    for number, goal in catalogue.goals.items():
        if not {"short_name_en", "short_name_nb", "title_en", "title_nb"} <= set(goal):
            raise CatalogueError(f"global_goals: goal {number} lacks a short name or a title")
        goal["colour"] = OFFICIAL_GOAL_COLOURS[number]
        goal["text_colour"] = readable_text_colour(goal["colour"])

    for key, texts in _read_pair(data_dir, "targets").items():
        match = _match(_TARGET_KEY, key, "targets")
        if int(match["goal"]) not in catalogue.goals:
            raise CatalogueError(f"global_targets: {key!r} belongs to no goal")
        code = f"{int(match['goal'])}.{match['target']}"
        catalogue.targets[code] = {
            "title_en": texts["en"],
            "title_nb": texts["nb"],
            "title_nn": texts["nn"],
            "sort_key": target_sort_key(code),
        }

    for key, texts in _read_pair(data_dir, "indicators").items():
        match = _match(_INDICATOR_KEY, key, "indicators")
        target_code = f"{int(match['goal'])}.{match['target']}"
        if target_code not in catalogue.targets:
            raise CatalogueError(f"global_indicators: {key!r} belongs to no target")
        code = f"{target_code}.{int(match['indicator'])}"
        catalogue.indicators[code] = {
            "title_en": texts["en"],
            "title_nb": texts["nb"],
            "title_nn": texts["nn"],
            "sort_key": indicator_sort_key(code),
            "target_code": target_code,
        }
    return catalogue


def _upsert(model, key_field: str, rows: dict, foreign_key: str | None = None) -> tuple[dict, LoadSummary]:
    """Creates or updates one row per natural key, saving only rows whose values differ.

    The same contract as `update_or_create` by key, in two queries plus one per changed row
    instead of two per row, and it can tell "updated" from "unchanged". Rows absent from the files
    are counted, never deleted: projects and partners will point at them.
    """
    summary = LoadSummary()
    existing = {getattr(row, key_field): row for row in model._default_manager.all()}
    # A historical model (migration 0002) lacks the fields added later; it gets what it has.
    known = {f.attname for f in model._meta.concrete_fields}
    rows = {key: {name: value for name, value in values.items() if name in known} for key, values in rows.items()}
    for key, values in rows.items():
        row = existing.get(key)
        if row is None:
            row = model(**{key_field: key}, **values)
            summary.created += 1
        else:
            changed = [name for name, value in values.items() if getattr(row, name) != value]
            if not changed:
                summary.unchanged += 1
                continue
            for name in changed:
                setattr(row, name, values[name])
            summary.updated += 1
        # The foreign key was just resolved from rows saved a moment ago; checking it costs a query a row.
        row.full_clean(
            exclude=[foreign_key] if foreign_key else None, validate_unique=False, validate_constraints=False
        )
        row.save()
        existing[key] = row
    summary.not_in_files = len(set(existing) - set(rows))
    return existing, summary


def load_catalogue(apps, data_dir: Path | None = None) -> dict[str, LoadSummary]:
    """Brings the Goal, Target and Indicator tables in line with the files; safe to run any number of times.

    `apps` is an app registry (a migration's historical `apps`, or `django.apps.apps`); `data_dir`
    defaults to goals/data/sdg/. Runs in one transaction, so a broken file leaves the catalogue as it was.
    """
    catalogue = read_catalogue(data_dir)
    goal_model = apps.get_model("goals", "Goal")
    target_model = apps.get_model("goals", "Target")
    indicator_model = apps.get_model("goals", "Indicator")

    with transaction.atomic():
        goals, goal_summary = _upsert(goal_model, "number", catalogue.goals)
        target_rows = {
            code: {**values, "goal_id": goals[int(code.split(".")[0])].pk} for code, values in catalogue.targets.items()
        }
        targets, target_summary = _upsert(target_model, "code", target_rows, foreign_key="goal")
        indicator_rows = {
            code: {
                **{k: v for k, v in values.items() if k != "target_code"},
                "target_id": targets[values["target_code"]].pk,
            }
            for code, values in catalogue.indicators.items()
        }
        _, indicator_summary = _upsert(indicator_model, "code", indicator_rows, foreign_key="target")

    summaries = {"goals": goal_summary, "targets": target_summary, "indicators": indicator_summary}
    logger.info("SDG catalogue loaded: %s", summaries)
    return summaries
