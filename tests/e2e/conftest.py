"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

`playwright install` cannot download browsers on these machines, so the tests launch the
system Chromium (installed by `make test`) with the flags from the platform notes.
"""

import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "da-DK", "bypass_csp": True}


@pytest.fixture
def axe_violations():
    """Run axe-core (WCAG 2.1 A and AA rules) on the page and return its violations."""

    def run(page, exclude=()):
        page.add_script_tag(path=str(AXE_SCRIPT))
        result = page.evaluate(
            """async (exclude) => {
                const context = exclude.length ? {exclude: exclude.map(s => [s])} : document;
                return await axe.run(context, {
                    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
                });
            }""",
            list(exclude),
        )
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
        ]

    return run
