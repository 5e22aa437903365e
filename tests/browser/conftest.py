"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Also the page checkers: ``html_validator`` (the Nu Html Checker) and ``axe`` (axe-core's
WCAG 2.1 A/AA rules in Chromium).
"""

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, sync_playwright

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail("Chromium is not installed; `make test` installs Debian's chromium as root.")
    return path


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django must allow ORM calls anyway.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_FLAGS
            )
            yield instance
            instance.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


# --- HTML validity (Nu Html Checker) and accessibility (axe-core) -----------------------------
# Both tools come from the npm registry at the versions pinned in the Makefile, which installs
# them into .data/node before `make test` offerings pytest.

NODE_MODULES = settings.BASE_DIR / ".data" / "node" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _installed(path: Path) -> Path:
    if not path.is_file():
        pytest.fail(f"{path} is missing; `make test` installs it from the npm registry.")
    return path


class HtmlValidator:
    """The Nu Html Checker (vnu.jar) over many documents in one run.

    The JVM takes a second or more to start, so hand ``validate`` every document at once:
    they are written to a temporary folder and checked together.
    """

    def __init__(self, *, java: str, jar: Path, workdir: Path) -> None:
        self.java = java
        self.jar = jar
        self.workdir = workdir
        self.runs = 0

    def validate(self, documents: Mapping[str, str]) -> dict[str, list[str]]:
        """Each document's name mapped to its errors ("line 12: error: ..."), [] when valid."""
        self.runs += 1
        folder = self.workdir / f"run-{self.runs}"
        folder.mkdir()
        names = {}
        for number, (name, html) in enumerate(documents.items()):
            file = folder / f"document-{number}.html"
            file.write_text(html, encoding="utf-8")
            names[file.name] = name
        result = subprocess.run(
            [self.java, "-jar", str(self.jar), "--errors-only", "--format", "json", "--stdout"]
            + [str(folder / file) for file in names],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,  # vnu exits with 1 when it found errors; the report says which.
        )
        try:
            messages = json.loads(result.stdout)["messages"]
        except (json.JSONDecodeError, KeyError):
            pytest.fail(f"vnu did not report (exit {result.returncode}):\n{result.stderr}")
        errors: dict[str, list[str]] = {name: [] for name in documents}
        for message in messages:
            text = f"{message['type']}: {message.get('message', '')}"
            name = names.get(message.get("url", "").rsplit("/", 1)[-1])
            if name is None:  # e.g. a "non-document-error": vnu could not read a file
                pytest.fail(f"vnu: {text}")
            line = message.get("lastLine", message.get("firstLine", "?"))
            extract = " ".join(message.get("extract", "").split())
            errors[name].append(f"line {line}: {text}" + (f"\n      {extract}" if extract else ""))
        return errors

    @staticmethod
    def report(name: str, errors: list[str]) -> str:
        """A failure message: the page and each error with its line number and the source."""
        return f"{name}: {len(errors)} HTML error(s)\n" + "\n".join(f"  {e}" for e in errors)


@pytest.fixture(scope="session")
def html_validator(tmp_path_factory) -> HtmlValidator:
    java = shutil.which("java")
    if not java:
        pytest.fail("Java is not installed; `make test` installs default-jre-headless as root.")
    return HtmlValidator(java=java, jar=_installed(VNU_JAR), workdir=tmp_path_factory.mktemp("vnu"))


class Axe:
    """axe-core's WCAG 2.1 A and AA rules, run in the browser on a Playwright page."""

    def __init__(self, script: Path) -> None:
        self.script = script

    def __call__(self, page: Page) -> list[dict[str, Any]]:
        """The violations on the page as it is now (after load, at its current viewport)."""
        # Evaluated by the browser's debugger, not as an inline <script>: the site's
        # Content-Security-Policy would refuse that.
        page.evaluate(self.script.read_text(encoding="utf-8"))
        results = page.evaluate(
            """tags => axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            })""",
            AXE_TAGS,
        )
        return results["violations"]

    @staticmethod
    def report(name: str, violations: list[dict[str, Any]]) -> str:
        """A failure message: each rule broken, its impact and help, and the elements at fault."""
        lines = [f"{name}: {len(violations)} axe violation(s)"]
        for violation in violations:
            lines.append(
                f"  {violation['id']} ({violation['impact']}): {violation['help']}"
                f" <{violation['helpUrl']}>"
            )
            for node in violation["nodes"]:
                lines.append(f"    {', '.join(str(part) for part in node['target'])}")
                summary = node.get("failureSummary") or ""
                lines.extend(
                    f"      {text.strip()}" for text in summary.splitlines() if text.strip()
                )
        return "\n".join(lines)


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe(_installed(AXE_JS))
