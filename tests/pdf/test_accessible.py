"""The accessible edition: semantic HTML per participant, checked by axe-core in Chromium.

axe-core comes from tests/pdf/axe (package.json + package-lock.json, installed by
.ci/install-system-deps with ``npm ci``) and runs in Debian's headless Chromium; nothing is
installed here. Without them the test skips, which fails under CI=true.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from facilitator.content import Library
from facilitator.outputs.pdf import runs
from facilitator.outputs.pdf.document import PrintOptions
from tests.builders import cli_group, make_course

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
NAMES = ["فاطمة (Fatima)", "Zoë", "שרה", "प्रिया"]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _need_axe() -> str:
    browser = _chromium()
    if browser is None or not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium or axe-core missing: run .ci/install-system-deps")
        pytest.skip("Chromium or axe-core not installed (.ci/install-system-deps)")
    return browser


def axe_violations(page: str, tmp: Path) -> list[dict[str, object]]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules and best practices) on one HTML page."""
    browser = _need_axe()
    runner = (
        "<script>" + AXE.read_text(encoding="utf-8") + "</script><script>"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',"
        " 'wcag21aa', 'best-practice']}}).then(function (r) {"
        " var p = document.createElement('pre'); p.id = 'axe-result';"
        " p.textContent = JSON.stringify(r.violations.map(function (v) {"
        " return {id: v.id, impact: v.impact, nodes: v.nodes.map(function (n) {"
        " return n.target; })}; })); document.documentElement.appendChild(p); });</script>"
    )
    target = tmp / "page.html"
    target.write_text(page.replace("</body>", runner + "</body>"), encoding="utf-8")
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=20000",
            "--dump-dom",
            target.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = re.search(r'<pre id="axe-result">(.*?)</pre>', result.stdout, re.S)
    assert found, (result.returncode, result.stderr[-2000:])
    return json.loads(html.unescape(found.group(1)))  # type: ignore[no-any-return]


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.lang = ""
        self.labels: set[str] = set()
        self.fields: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if tag == "html":
            self.lang = values.get("lang", "")
        if tag == "label":
            self.labels.add(values.get("for", ""))
        if tag in ("input", "textarea"):
            self.fields.append(values)


@pytest.fixture(scope="module")
def pages(library: Library) -> dict[str, str]:
    course = make_course(library, NAMES)
    made = {j.name: j.make() for j in runs.accessible_week_jobs(course, 1, PrintOptions())}
    made |= {j.name: j.make() for j in runs.accessible_workbook_jobs(course, PrintOptions())}
    return {name: data.decode("utf-8") for name, data in made.items()}


def test_one_file_per_participant_with_only_their_name(
    library: Library, pages: dict[str, str]
) -> None:
    course = make_course(library, NAMES)
    for person, name in zip(course.roster, NAMES, strict=True):
        for prefix in ("week01", "workbook"):
            page = pages[f"{prefix}-{person.file_id}.html"]
            assert html.escape(name) in page or name in page
            for other in NAMES:
                if other != name:
                    assert other not in page and html.escape(other) not in page
            assert "SECRETTOPIC" not in page  # never the group's private name
    assert len(pages) == 2 * len(NAMES)


def test_semantic_structure(pages: dict[str, str]) -> None:
    for name, page in pages.items():
        outline = _Outline()
        outline.feed(page)
        assert outline.lang == "en", name
        assert outline.tags.count("h1") == 1
        assert "h2" in outline.tags and "main" in outline.tags
        assert "ul" in outline.tags and "li" in outline.tags  # checklists are lists
        assert outline.fields, name
        for field in outline.fields:
            labelled = field.get("id") in outline.labels or field.get("aria-label")
            assert labelled, (name, field)
        assert "<script" not in page and "http" not in page.split("<main>")[0]


def test_axe_finds_no_violation(pages: dict[str, str], tmp_path: Path) -> None:
    for name in sorted(pages)[:3]:
        violations = axe_violations(pages[name], tmp_path)
        assert violations == [], (name, violations)


def test_axe_check_can_fail(tmp_path: Path) -> None:
    """The checker itself reports an unlabelled field and a missing lang."""
    bad = "<!DOCTYPE html><html><head><title>x</title></head><body><input></body></html>"
    ids = {v["id"] for v in axe_violations(bad, tmp_path)}
    assert {"html-has-lang", "label"} <= ids


def test_cli_accessible_writes_html_per_participant(cli, tmp_path: Path) -> None:
    cli_group("Tue", people=["Ada", "שרה"], initial="Q")
    out = tmp_path / "out"
    result = cli("print", "Tue", "--week", "1", "--accessible", "--out", str(out), "--quiet")
    assert result.code == 0, result.err
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 2 and all(f.startswith("week01-") and f.endswith(".html") for f in files)
    result = cli("print", "Tue", "--workbook", "--accessible", "--out", str(out), "--quiet")
    assert result.code == 0, result.err
    assert len(list(out.glob("workbook-*.html"))) == 2
    result = cli("print", "Tue", "--report", "--accessible")
    assert result.code == 2 and "--accessible" in result.err
