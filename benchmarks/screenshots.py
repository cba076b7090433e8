"""The README's screenshots, taken by headless Chromium on the repository's own records.

    python benchmarks/screenshots.py [--out docs/screenshots]

Copies the records into a temporary folder, runs `kb site serve` on it (a fixed --today, so the
same records give the same pages), and saves three PNGs: a person's page at their open
commitments, the graph, and the add-a-meeting form after a check (a suggestion picked, a new
person proposed, kb check's finding shown). Needs Debian's chromium and chromium-driver, and
selenium (`pip install -e '.[test]'`). Each PNG is refused over 200 KB.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIMIT = 200 * 1024
TODAY = "2026-02-01"
PERSON = "jane-marriott"


def serve(root: Path, out: Path) -> tuple[subprocess.Popen, int]:
    command = [sys.executable, "-m", "kb", "--kb", str(root), "site", "serve", "-o", str(out), "--port", "0"]
    process = subprocess.Popen([*command, "--today", TODAY], stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if found:
            return process, int(found.group(1))
        if not line and process.poll() is not None:
            break
    process.kill()
    raise SystemExit("kb site serve did not start")


def chromium(width: int, height: int, profile: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars"):
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument("--force-device-scale-factor=1")
    options.add_argument(f"--user-data-dir={profile}")
    return webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=options)


def save(driver, path: Path) -> None:
    png = driver.get_screenshot_as_png()
    if len(png) > LIMIT:
        raise SystemExit(f"{path}: {len(png) // 1024} KB, over the {LIMIT // 1024} KB limit; make the window smaller")
    path.write_bytes(png)
    print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}: {len(png) // 1024} KB")


def person_page(driver, base: str, out: Path) -> None:
    driver.get(f"{base}/people/{PERSON}.html")
    driver.execute_script("document.getElementById('commitments-h').scrollIntoView()")
    save(driver, out / "person.png")


def graph_page(driver, base: str, out: Path) -> None:
    driver.set_window_size(1100, 1150)
    driver.get(f"{base}/graph.html")
    driver.execute_script("document.querySelector('main').scrollIntoView()")
    save(driver, out / "graph.png")


def add_meeting_form(driver, base: str, out: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.set_window_size(1100, 1550)
    driver.get(f"{base}/_kb/add-meeting")
    form = driver.find_element("id", "add-meeting")
    typed = {
        "title": "Marriott and a new deputy call on the Interior Ministry",
        "date": "2026-01",
        "place": "Islamabad",
        "country": "PK",
        "topics": "illegal-migration",
        "url": "https://example.org/marriott-interior",
    }
    for name, value in typed.items():
        form.find_element("name", name).send_keys(value)
    theirs = driver.find_elements("css selector", ".finder")[1]
    theirs.find_element("css selector", "input.find").send_keys("jane marriott")
    theirs.find_element("css selector", "button.ask").click()
    WebDriverWait(driver, 60).until(lambda d: theirs.find_elements("css selector", "button.pick"))
    theirs.find_element("css selector", "button.pick").click()
    for key, value in (("name", "Ann Hartley"), ("cc", "GB"), ("title", "Deputy High Commissioner")):
        theirs.find_element("css selector", f"input.new-{key}").send_keys(value)
    theirs.find_element("css selector", "button.propose").click()
    form.find_element("css selector", "button[value=check]").click()
    WebDriverWait(driver, 60).until(lambda d: d.find_elements("css selector", "section.check"))
    ours = driver.find_elements("css selector", ".finder")[0]
    ours.find_element("css selector", "input.find").send_keys("Muhsin Nakvi")  # another spelling
    ours.find_element("css selector", "button.ask").click()
    WebDriverWait(driver, 60).until(lambda d: ours.find_elements("css selector", "button.pick"))
    driver.execute_script("window.scrollTo(0, 0)")
    save(driver, out / "add-meeting.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kb-screenshots-") as work:
        root = Path(work) / "kb"
        root.mkdir()
        for name in ("kb.yaml", "topics.yaml"):
            shutil.copy(REPO / name, root / name)
        for folder in ("meetings", "people", "orgs"):
            shutil.copytree(REPO / folder, root / folder)
        process, port = serve(root, Path(work) / "site")
        driver = chromium(1100, 820, str(Path(work) / "profile"))
        try:
            base = f"http://127.0.0.1:{port}"
            person_page(driver, base, args.out)
            graph_page(driver, base, args.out)
            add_meeting_form(driver, base, args.out)
        finally:
            driver.quit()
            process.terminate()
            process.wait(30)


if __name__ == "__main__":
    main()
