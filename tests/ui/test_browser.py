"""The running app in a real browser: `streamlit run ui/app.py` on loopback, driven by Debian's headless Chromium.

Each page is loaded at 1280×800, its key elements must be visible and no exception box shown; a screenshot of the
first screen (and one of the whole page, for reviewing layout) is saved under var/screenshots/ for CI artifacts.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.records.demo.loader import load_demo
from assistant.runtime import build_runtime
from tests.ui.conftest import DEMO_USER, ui_settings

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
WIDTH, HEIGHT = 1280, 800
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    f"--window-size={WIDTH},{HEIGHT}",
]
# (screenshot name, url path, text that must be visible once the page has rendered)
PAGES = [
    ("portfolio", "", "Early-warning flags"),
    ("account", "account", "Stakeholders"),
    ("coach", "coach", "Coach chat"),
    ("meeting", "meeting", "Draft the brief"),
    ("learn", "learn", "Your path"),
]
START_TIMEOUT = 120
RENDER_TIMEOUT = 120

if CHROMIUM is None or CHROMEDRIVER is None:
    pytest.skip(
        "headless browser test needs Debian's chromium and chromium-driver (apt-get install -y chromium "
        "chromium-driver); .ci/run installs them",
        allow_module_level=True,
    )
selenium = pytest.importorskip("selenium", reason="the browser test drives Chromium with selenium (dev extra)")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"streamlit did not answer on {url} within {START_TIMEOUT}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo loaded into a fresh data folder; the app builds the search index itself on first load."""
    data = tmp_path_factory.mktemp("browser-data")
    runtime = build_runtime(ui_settings(data))
    load_demo(runtime.records)
    runtime.close()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMCOACH_")}
    env.update(
        {
            "SAMCOACH_DATA_DIR": str(data),
            "SAMCOACH_COLLECTION_PREFIX": "ui",
            "SAMCOACH_USER_EMAIL": DEMO_USER,
            "SAMCOACH_EMBEDDING__PROVIDER": "hash",
            "SAMCOACH_LLM__PROVIDER": "offline",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
            "PYTHONUNBUFFERED": "1",
        }
    )
    log = data / "streamlit.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "ui" / "app.py"),
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.headless=true",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER or ""))
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        yield driver
    finally:
        driver.quit()


def _wait_rendered(driver: Any, text: str) -> None:
    """The page's key text is visible and the script has finished (Streamlit's running indicator is gone)."""
    wait = WebDriverWait(driver, RENDER_TIMEOUT, poll_frequency=0.25)
    wait.until(ec.visibility_of_element_located((By.XPATH, f"//*[contains(normalize-space(.), {text!r})]")))
    wait.until(
        lambda d: (
            not d.find_elements(
                By.CSS_SELECTOR, '[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]'
            )
        )
    )
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
    time.sleep(1.5)  # plotly draws after the script finishes


def _assert_no_exception(driver: Any, page: str) -> None:
    boxes = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
    assert not boxes, f"{page}: exception shown: {[b.text[:500] for b in boxes]}"
    errors = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stAlertContentError"]')
    assert not errors, f"{page}: error shown: {[e.text[:500] for e in errors]}"


def _screenshots(driver: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    # The whole page too, for reviewing what lies below the first screen.
    height = driver.execute_script(
        "const m = document.querySelector('[data-testid=\"stMainBlockContainer\"]');"
        "return m ? Math.ceil(m.getBoundingClientRect().height) + 120 : document.body.scrollHeight;"
    )
    full = max(HEIGHT, min(int(height), 12000))
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": WIDTH, "height": full, "deviceScaleFactor": 1, "mobile": False}
    )
    time.sleep(1.0)
    (SCREENSHOTS / "full").mkdir(exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / "full" / f"{name}.png"))
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
    )


@pytest.mark.parametrize(("name", "path", "text"), PAGES, ids=[p[0] for p in PAGES])
def test_page_renders_without_an_exception(browser: Any, app_url: str, name: str, path: str, text: str) -> None:
    browser.get(f"{app_url}/{path}")
    _wait_rendered(browser, text)
    _assert_no_exception(browser, name)
    if name in ("portfolio", "account"):
        assert browser.find_elements(By.CSS_SELECTOR, ".js-plotly-plot"), f"{name}: no chart drawn"
    _screenshots(browser, name)


def test_coach_answers_a_question_in_the_browser(browser: Any, app_url: str) -> None:
    browser.get(f"{app_url}/coach")
    _wait_rendered(browser, "Coach chat")
    box = WebDriverWait(browser, RENDER_TIMEOUT).until(
        ec.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid="stChatInputTextArea"]'))
    )
    box.send_keys("What should I worry about at Solara?")
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, RENDER_TIMEOUT).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="stChatMessage"]')) >= 2
    )
    _wait_rendered(browser, "Sources")
    _assert_no_exception(browser, "coach-answer")
    browser.find_element(By.XPATH, "//summary[contains(normalize-space(.), 'Sources')]").click()
    time.sleep(0.5)
    _screenshots(browser, "coach-answer")


def _click_tab(driver: Any, label: str) -> None:
    tab = WebDriverWait(driver, RENDER_TIMEOUT).until(
        ec.element_to_be_clickable((By.XPATH, f"//*[@role='tab'][contains(normalize-space(.), {label!r})]"))
    )
    tab.click()
    time.sleep(1.5)  # tabs switch in the browser; charts in a newly shown tab draw on display


@pytest.mark.parametrize("tab", ["Stakeholders", "Charter", "Metrics", "Notes", "Plan", "Health"])
def test_every_workspace_tab_renders(browser: Any, app_url: str, tab: str) -> None:
    browser.get(f"{app_url}/account")
    _wait_rendered(browser, "Stakeholders")
    _click_tab(browser, tab)
    _assert_no_exception(browser, f"account/{tab}")
    _screenshots(browser, f"account-{tab.lower()}")


def _choose_account(driver: Any, name: str) -> None:
    box = driver.find_element(By.CSS_SELECTOR, '[data-testid="stSelectbox"] input')
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(name)
    time.sleep(0.5)
    box.send_keys(Keys.ENTER)
    wait = WebDriverWait(driver, RENDER_TIMEOUT, poll_frequency=0.25)
    wait.until(
        lambda d: d.find_element(By.CSS_SELECTOR, '[data-testid="stSelectbox"] input').get_attribute("value") == name
    )
    _wait_rendered(driver, "Stakeholders")


@pytest.mark.parametrize(("account", "tab"), [("Solara Energy", "Health"), ("Quantis Technologies", "Stakeholders")])
def test_workspace_switches_account(browser: Any, app_url: str, account: str, tab: str) -> None:
    browser.get(f"{app_url}/account")
    _wait_rendered(browser, "Stakeholders")
    _choose_account(browser, account)
    _click_tab(browser, tab)
    _assert_no_exception(browser, f"account/{account}/{tab}")
    _screenshots(browser, f"account-{account.split()[0].lower()}-{tab.lower()}")


def test_meeting_brief_is_drafted_in_the_browser(browser: Any, app_url: str) -> None:
    browser.get(f"{app_url}/meeting")
    _wait_rendered(browser, "Draft the brief")
    browser.find_element(By.XPATH, "//button[contains(normalize-space(.), 'Draft the brief')]").click()
    _wait_rendered(browser, "Edit and export")
    _assert_no_exception(browser, "meeting-brief")
    _screenshots(browser, "meeting-brief")
    _click_tab(browser, "Questions")
    _screenshots(browser, "meeting-questions")


def test_learn_quiz_tab_renders(browser: Any, app_url: str) -> None:
    browser.get(f"{app_url}/learn")
    _wait_rendered(browser, "Your path")
    _click_tab(browser, "Quiz")
    _assert_no_exception(browser, "learn-quiz")
    _screenshots(browser, "learn-quiz")
