"""The browser test set-up itself: Debian's chromium driven by playwright-core renders a page and runs its script."""
from unrolledtools.common import browser


def test_chromium_renders_a_local_page_and_runs_its_script():
    out = browser.run(browser.BROWSER_DIR / "tests" / "smoke.mjs")
    assert "rendered a file:// page" in out
