"""``make screenshots``: pictures of the key pages at 1280 and 375 px, in Bokmål, for docs/screenshots/.

A fresh SQLite database in a temporary folder is migrated and filled by ``seed_demo``; the site is
served by uvicorn (``hub.settings.dev``, page cache off) and Chromium (``/usr/bin/chromium``,
through Playwright) visits each page, as an anonymous visitor unless the page is one only a
logged-in role sees (then as the demo's coordinator, whose documented password exists under DEBUG).
A few pages are also taken in the dark colour scheme. A page that answers 404 (a feature not built
yet) is skipped with a notice. The pictures are PNGs at device scale 1; at 375 px the whole page is
taken, at 1280 px the first screen, so the files stay small. ``docs/screenshots/README.md`` lists
them; the project's README shows a few.

Run from the repository: ``.venv/bin/python scripts/screenshots.py [--out docs/screenshots]``.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
WIDTHS = ((1280, 800), (375, 740))

# What to find in the demo data: one of each kind of page, printed as JSON by a Django shell.
FIND_PAGES = """
import json
from challenges.models import Challenge
from cms.demo_logins import CMS_LOGINS, COORDINATOR_EMAIL
from cms.models import HubPage
from consultations.models import Consultation
from discussions.models import ForumIndexPage, Thread
from events.models import Event
from ideas.models import Idea
from indicators.models import Indicator
from partners.models import Partner, PartnerIndexPage, PartnershipStatus
from projects.models import ProjectIndexPage, ProjectPage
hub = HubPage.objects.live().order_by("path").first()
index = ProjectIndexPage.objects.child_of(hub).live().first()
project = ProjectPage.objects.live().descendant_of(index).exclude(hero_image=None).order_by("path").first() \
    or ProjectPage.objects.live().descendant_of(index).order_by("path").first()
directory = PartnerIndexPage.objects.child_of(hub).live().first()
partner = Partner.objects.filter(partnerships__hub=hub, partnerships__status=PartnershipStatus.APPROVED)\
    .exclude(logo=None).order_by("name").first() or Partner.objects.filter(partnerships__hub=hub).first()
forum = ForumIndexPage.objects.child_of(hub).live().first()
topic = Thread.objects.filter(hub=hub, project=None).order_by("-last_seq", "pk").first() if forum else None
indicator = Indicator.objects.filter(hub=hub, code="FORNYBAR").first() or Indicator.objects.filter(hub=hub).first()
event = Event.objects.filter(hub=hub).order_by("starts_at").first()
idea = Idea.objects.filter(hub=hub, hidden_at=None).order_by("pk").first()
consultation = Consultation.objects.filter(hub=hub).order_by("pk").first()
challenge = Challenge.objects.filter(hub=hub, publication="published").order_by("pk").first()
print(json.dumps({
    "hub": hub.url, "hub_id": hub.pk, "projects": index.url, "project": project.url,
    "directory": directory.url, "partner": f"{directory.url}{partner.slug}/" if partner else None,
    "forum": forum.url if forum else None,
    "topic": f"{forum.url}{topic.pk}/" if topic else None,
    "indicator": indicator.get_absolute_url() if indicator else None,
    "event": f"{hub.url}events/{event.pk}/" if event else None,
    "idea": f"{hub.url}ideas/{idea.pk}/" if idea else None,
    "consultation": f"{hub.url}consultations/{consultation.pk}/" if consultation else None,
    "challenge": f"{hub.url}challenges/{challenge.slug}/" if challenge else None,
    "coordinator": [(login.email, login.password) for login in CMS_LOGINS if login.email == COORDINATOR_EMAIL][0],
}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float = 120) -> None:
    """Until the server answers (it binds its port only once the application has loaded)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


# Pages taken as the demo's coordinator (the others are taken logged out).
AS_COORDINATOR = frozenset({"admin-dashboard", "project-logged-in"})
# Pages also taken in the dark colour scheme (the visitor's system preference), as ``<name>-dark``.
DARK = frozenset({"home", "hub", "project"})


def _pages(urls: dict) -> list[tuple[str, str, str]]:
    """(file name, title, path) of every page to take; ``share-dialog`` opens the dialog first."""
    pages = [
        ("home", "Front page", "/"),
        ("hub", "A hub's front page", urls["hub"]),
        ("project-list", "A hub's projects", urls["projects"]),
        ("project", "A project", urls["project"]),
        ("partner-directory", "Partner directory", urls["directory"]),
        ("partner", "A partner", urls["partner"]),
        ("forum", "Forum", urls["forum"]),
        ("discussion", "A discussion in the forum", urls["topic"]),
        ("goal", "A goal (7)", "/goals/7/"),
        ("dashboard", "A hub's SDG dashboard", f"{urls['hub']}dashboard/"),
        ("dashboard-comparison", "The hubs side by side", "/dashboard/"),
        ("indicators", "A hub's municipal indicators", f"{urls['hub']}indicators/"),
        ("indicator", "One indicator (fictional demo data)", urls["indicator"]),
        ("events", "A hub's events", f"{urls['hub']}events/"),
        ("event", "An event", urls["event"]),
        ("ideas", "A hub's ideas", f"{urls['hub']}ideas/"),
        ("idea", "An idea with its discussion", urls["idea"]),
        ("consultations", "A hub's consultations", f"{urls['hub']}consultations/"),
        ("consultation", "A consultation", urls["consultation"]),
        ("challenges", "A hub's challenges (innovation procurement)", f"{urls['hub']}challenges/"),
        ("challenge", "A challenge", urls["challenge"]),
        ("search", "Search", "/search/?q=energi"),
        ("api-docs", "API documentation", "/api/v1/docs"),
        ("embed", "The embed (as another website frames it)", f"/embed/{urls['hub_id']}/"),
        ("share-dialog", "The share / embed dialog", urls["projects"]),
        ("project-logged-in", "A project, as its hub's coordinator sees it", urls["project"]),
        ("admin-dashboard", "The coordinator's admin dashboard", "/admin/"),
    ]
    return [(name, title, path) for name, title, path in pages if path]


def shrink(path: Path) -> None:
    """Keep the picture small: 256 colours are plenty for pages of text and flat colours."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def _coordinator_state(browser, base_url: str, login: list[str]) -> dict:
    """The cookies of the demo coordinator's session, logged in through the log-in page."""
    email, password = login
    context = browser.new_context(base_url=base_url, locale="nb-NO")
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    state = context.storage_state()
    context.close()
    return state


def _variants(name: str) -> list[tuple[str, str]]:
    """(file name suffix, colour scheme) of the pictures to take of a page."""
    return [("", "light"), ("-dark", "dark")] if name in DARK else [("", "light")]


def take(base_url: str, urls: dict, out: Path) -> list[tuple[str, str, str, list[str]]]:
    from playwright.sync_api import sync_playwright

    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        coordinator = _coordinator_state(browser, base_url, urls["coordinator"])
        for name, title, path in _pages(urls):
            files = []
            for (width, height), (suffix, scheme) in (
                (size, variant) for variant in _variants(name) for size in WIDTHS
            ):
                context = browser.new_context(
                    base_url=base_url,
                    viewport={"width": width, "height": height},
                    device_scale_factor=1,
                    locale="nb-NO",
                    color_scheme=scheme,
                    storage_state=coordinator if name in AS_COORDINATOR else None,
                )
                page = context.new_page()
                response = page.goto(path)
                if response is None or response.status == 404:
                    print(f"Skipped {name} ({path}): not found, perhaps not built yet.")
                    context.close()
                    break
                if name == "share-dialog":
                    page.locator("[data-embed-dialog]").first.click()
                    page.locator("dialog[open]").wait_for()
                    page.wait_for_function(
                        "() => Promise.all(document.getAnimations().map((animation) => animation.finished))"
                    )
                file_name = f"{name}-{width}{suffix}.png"
                page.screenshot(path=out / file_name, full_page=width < 600 and name != "share-dialog")
                shrink(out / file_name)
                files.append(file_name)
                context.close()
            if files:
                taken.append((name, title, path, files))
        browser.close()
    return taken


def write_readme(out: Path, taken) -> None:
    lines = [
        "# Screenshots",
        "",
        "Made by `make screenshots` (`scripts/screenshots.py`) from the demo data (`seed_demo`), in Bokmål,",
        "at 1280 px (first screen) and 375 px (whole page), logged out unless the title says otherwise;",
        "files ending in `-dark` show the dark colour scheme. Pages that did not exist yet were skipped.",
        "",
        "| Page | Address | Pictures |",
        "| --- | --- | --- |",
    ]
    for _name, title, path, files in taken:
        cells = " | ".join(f"[{file}]({file})" for file in files)
        lines.append(f"| {title} | `{path}` | {cells} |")
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(BASE_DIR / "docs" / "screenshots"))
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dugnad-screenshots-") as var_dir:
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "hub.settings.dev",
                "DUGNAD_VAR_DIR": var_dir,
                "SITE_URL": base_url,
                "DUGNAD_PAGE_CACHE": "false",
            }
        )
        _manage(env, "migrate", "--noinput")
        _manage(env, "seed_demo")
        urls = json.loads(_manage(env, "shell", "-c", FIND_PAGES).strip().splitlines()[-1])
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "hub.asgi:application", "--port", str(port), "--log-level", "warning"],
            cwd=BASE_DIR,
            env=env,
        )
        try:
            _wait_for(f"{base_url}/healthz")
            taken = take(base_url, urls, out)
        finally:
            server.terminate()
            server.wait(timeout=30)
    write_readme(out, taken)
    print(f"{sum(len(files) for *_rest, files in taken)} pictures in {out}")


if __name__ == "__main__":
    main()
