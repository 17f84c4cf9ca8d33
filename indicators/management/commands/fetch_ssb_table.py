"""Fetch a table from Statistics Norway's statistics bank (JSON-stat 2.0) and import it into a hub.

    manage.py fetch_ssb_table 12313 --query query.json --hub 4 [--dry-run]
    manage.py fetch_ssb_table 12313 --hub 4 --from-file answer.json   # no network

The query is the JSON that the statistics bank's "API query" button gives for a table (its
``response.format`` is set to ``json-stat2`` here). The answer goes through the same import as an
upload in the admin: all or nothing, and importing the same figures again changes nothing.
"""

import io
import json
import re
import urllib.error
import urllib.request

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cms.models import HubPage
from indicators.services import IMPORT_MAX_BYTES, import_summary, indicators_import_jsonstat

SSB_TABLE_URL = "https://data.ssb.no/api/v0/no/table/{table_id}"
TIMEOUT_SECONDS = 60


class Command(BaseCommand):
    help = "Fetch a table from SSB's statistics bank as JSON-stat 2.0 and import it into a hub's indicators."

    def add_arguments(self, parser):
        parser.add_argument("table_id", help="The table's number, for example 12313.")
        parser.add_argument("--hub", type=int, required=True, help="The hub's page id.")
        parser.add_argument("--query", help="A JSON file with the query (as the statistics bank gives it).")
        parser.add_argument("--from-file", help="Import this JSON-stat file instead of asking SSB.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    def handle(self, *args, table_id, hub, query=None, from_file=None, dry_run=False, **options):
        if not re.fullmatch(r"[0-9A-Za-z]{1,12}", table_id):
            raise CommandError("The table id is letters and digits, such as 12313.")
        hub_page = HubPage.objects.filter(pk=hub).first()
        if hub_page is None:
            raise CommandError(f"No hub with id {hub}.")
        if from_file:
            with open(from_file, "rb") as file:
                data = file.read(IMPORT_MAX_BYTES + 1)
        elif query:
            data = self._fetch(table_id, query)
        else:
            raise CommandError("Give --query FILE.json (or --from-file FILE.json to import a saved answer).")
        try:
            result = indicators_import_jsonstat(
                hub=hub_page, file=io.BytesIO(data), actor=None, dry_run=dry_run, table_id=table_id
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if not result.ok:
            for problem in result.errors:
                self.stderr.write(f"{problem.row or '-'} {problem.column or '-'}: {problem.message}")
            raise CommandError(f"{len(result.errors)} problems: nothing was imported.")
        self.stdout.write(import_summary(result))

    def _fetch(self, table_id: str, query_path: str) -> bytes:
        try:
            with open(query_path, encoding="utf-8") as file:
                query = json.load(file)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the query {query_path}: {error}") from error
        if not isinstance(query, dict):
            raise CommandError("The query must be a JSON object with a 'query' list.")
        query["response"] = {"format": "json-stat2"}
        request = urllib.request.Request(
            SSB_TABLE_URL.format(table_id=table_id),
            data=json.dumps(query).encode("utf-8"),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                data = response.read(IMPORT_MAX_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise CommandError(f"SSB answered {error.code} {error.reason} for table {table_id}.") from error
        except (urllib.error.URLError, TimeoutError) as error:
            raise CommandError(f"Could not reach SSB: {error}") from error
        return data
