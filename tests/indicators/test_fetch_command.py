"""``manage.py fetch_ssb_table`` with --from-file (never the network)."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import indicators
from indicators.models import Indicator, Value
from tests.indicators.factories import indicators_hub_create

pytestmark = pytest.mark.django_db

EXAMPLE = Path(indicators.__file__).parent / "demo_data" / "ssb-example.json"


def test_the_command_imports_a_saved_answer_and_a_second_run_changes_nothing():
    hub = indicators_hub_create(municipality_number="1599")
    out = io.StringIO()
    call_command("fetch_ssb_table", "12345", "--hub", str(hub.pk), "--from-file", str(EXAMPLE), stdout=out)
    assert "2 new indicators" in out.getvalue()
    codes = set(Indicator.objects.filter(hub=hub).values_list("code", flat=True))
    assert codes == {"12345.Barnehagedekning", "12345.Kollektivreiser"}
    count = Value.objects.count()
    assert count == 59

    out = io.StringIO()
    call_command("fetch_ssb_table", "12345", "--hub", str(hub.pk), "--from-file", str(EXAMPLE), stdout=out)
    assert "0 new indicators, 0 updated, 2 unchanged" in out.getvalue()
    assert Value.objects.count() == count


def test_the_dry_run_writes_nothing():
    hub = indicators_hub_create(municipality_number="1599")
    call_command(
        "fetch_ssb_table", "12345", "--hub", str(hub.pk), "--from-file", str(EXAMPLE), "--dry-run", stdout=io.StringIO()
    )
    assert not Indicator.objects.exists()


def test_a_bad_file_or_hub_fails_with_a_message(tmp_path):
    hub = indicators_hub_create()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"class": "dataset", "id": []}), encoding="utf-8")
    with pytest.raises(CommandError, match="do not match"):
        call_command("fetch_ssb_table", "12345", "--hub", str(hub.pk), "--from-file", str(bad))
    with pytest.raises(CommandError, match="No hub"):
        call_command("fetch_ssb_table", "12345", "--hub", "999999", "--from-file", str(bad))
    with pytest.raises(CommandError, match="--query"):
        call_command("fetch_ssb_table", "12345", "--hub", str(hub.pk))
    assert not Indicator.objects.exists()
