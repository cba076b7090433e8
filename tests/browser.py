"""A headless Chromium driven by selenium, for the site's browser tests.

Debian's chromium and chromium-driver (`.ci/run` installs them when missing). Without them the
tests are skipped with the reason, except under CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1280,1600",
)


def _find() -> tuple[str | None, str | None]:
    browser = next((shutil.which(name) for name in CHROMIUM if shutil.which(name)), None)
    return browser, shutil.which("chromedriver")


def chromium():
    """A fresh headless Chromium (its own profile folder); the caller quits it."""
    browser, driver = _find()
    missing = [name for name, found in (("chromium", browser), ("chromium-driver", driver)) if not found]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium (pip install -e '.[test]')")
    if missing:
        reason = f"no {' or '.join(missing)}: apt-get install -y chromium chromium-driver"
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser tests must run in CI, but there is {reason}")
        pytest.skip(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    profile = tempfile.mkdtemp(prefix="kb-chromium-")
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_ = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    driver_.kb_profile = profile
    return driver_


def close(driver) -> None:
    try:
        driver.quit()
    finally:
        shutil.rmtree(getattr(driver, "kb_profile", ""), ignore_errors=True)
