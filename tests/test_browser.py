"""The real app in Debian's Chromium (Playwright): ask, read the sources, check the notice.

Screenshots at desktop and phone widths go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import REPO_ROOT
from tests.ui_fixtures import APP, copy_home, offline_env, ui_index  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = REPO_ROOT / "test-artifacts"
QUESTION = "Is a safety plan legally binding?"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def app_url(ui_index: tuple[Path, Path], tmp_path: Path) -> Iterator[str]:  # noqa: F811
    """`signpost ui` as it runs it: headless Streamlit on a free loopback port, no usage stats."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not at /usr/bin/chromium (apt-get install -y chromium)")
    pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed")
    home = copy_home(ui_index, tmp_path / "home")
    port = _free_port()
    log = (tmp_path / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        env=offline_env(home, ui_index[1]),
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError((tmp_path / "streamlit.log").read_text()[-3000:])
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _ask_and_check(page, url: str, width: int, problems: list[str]) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto(url)
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for(timeout=180_000)
    box.fill(QUESTION)
    box.press("Enter")
    page.get_by_text("Sources (", exact=False).first.wait_for(timeout=180_000)
    answer = page.get_by_test_id("stChatMessage").nth(1)
    # The sources list renders element by element after its heading: wait for each part
    # (expect retries) rather than reading the text once, which raced on a slow CI runner.
    expect(answer).to_contain_text("[1]", timeout=30_000)
    expect(answer).to_contain_text("Read the whole note", timeout=30_000)
    expect(answer).to_contain_text("reviewed 20", timeout=30_000)

    notice = page.get_by_text("not legal advice", exact=False).first
    assert notice.is_visible()
    rect = notice.bounding_box()
    viewport = page.viewport_size
    assert rect is not None and viewport is not None
    assert 0 <= rect["y"] and rect["y"] + rect["height"] <= viewport["height"], (
        "notice is off screen"
    )

    overflow = page.evaluate("document.documentElement.scrollWidth")
    if overflow > width + 1:
        problems.append(f"page is {overflow}px wide at {width}px")

    page.get_by_role("button", name="Read the whole note").first.click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=30_000)
    # The dialog fills in as the note is read: wait for the note's own text, not just the frame.
    dialog.get_by_text("In short", exact=False).first.wait_for(timeout=30_000)
    assert "In short" in dialog.inner_text()
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"app-{width}-note.png"))
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden", timeout=10_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / f"app-{width}.png"))
    page.screenshot(path=str(ARTIFACTS / f"app-{width}-full.png"), full_page=True)


def test_ask_read_sources_and_see_the_notice_at_desktop_and_phone_width(app_url: str) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    problems: list[str] = []
    failed: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for width, height in ((1280, 900), (390, 844)):
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.on(
                    "console",
                    lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None,
                )
                page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
                # Name the resource behind a "Failed to load resource" console line.
                page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
                _ask_and_check(page, app_url, width, problems)
                context.close()
        finally:
            browser.close()
    assert errors == [], f"failed requests: {failed}"
    assert problems == []
    for name in ("app-1280.png", "app-390.png", "app-1280-note.png", "app-390-note.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000
