"""Browser tests: a real Aksi server on a throw-away SQLite database, driven by Debian's chromium.

Not pytest-django's live_server: its flush after every test would wipe the 91,599-region tree.
Instead one server per session, set up exactly like `make run` does (migrate, regions import,
catalogue load, demo seed) in a temporary AKSI_HOME. Browser tests never request the `db`
fixture; they see the application only through HTTP, as a user does.

Chromium: Playwright cannot download browsers here, so we launch Debian's /usr/bin/chromium
(`scripts/ensure-chromium.sh` installs it). Without it the browser tests are skipped with a
reason, or fail when AKSI_REQUIRE_BROWSER=true (CI).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("AKSI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 800}
SCREENSHOTS = ROOT / "aksi" / "guide" / "static" / "guide" / "screenshots"
DEMO_PASSWORD = "demo-aksi-2025"  # printed by `aksi demo seed`; see aksi/core/demo.py
STARTUP_TIMEOUT = 60.0
# Settings the person running the tests may have exported for something else; the test server
# must not pick them up (above all DATABASE_URL: `migrate` would run against that database).
SCRUBBED_ENV = [
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "BEHIND_PROXY",
    "AKSI_DEMO",
    "AKSI_TWO_FACTOR_REQUIRED",
    "DEBUG",
]


PAGE_WEIGHTS = pytest.StashKey[list[str]]()


def _env_true(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Everything under tests/browser/ is a browser test, so `-m "not browser"` leaves it out
    # even if a file forgets its `pytestmark`. tryfirst: before `-m` deselects.
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
    # All browser tests share one demo database. The few that change it (a module with
    # CHANGES_DEMO_DATA = True) run last, so the others, and the screenshots, see the demo as
    # `aksi demo seed` left it.
    items.sort(key=lambda item: getattr(getattr(item, "module", None), "CHANGES_DEMO_DATA", False))


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    # The page weights measured by test_page_weight.py, shown even with -q.
    weights = config.stash.get(PAGE_WEIGHTS, [])
    if weights:
        terminalreporter.section("page weight (cold load, all requests)")
        for line in weights:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def page_weight_report(pytestconfig: pytest.Config) -> list[str]:
    """Lines for the page-weight section of the test summary."""
    return pytestconfig.stash.setdefault(PAGE_WEIGHTS, [])


@pytest.fixture(scope="session", autouse=True)
def _chromium_available() -> None:
    if os.access(CHROMIUM, os.X_OK):
        return
    reason = (
        f"{CHROMIUM} is missing: install Debian's chromium (bash scripts/ensure-chromium.sh) "
        "to run the browser tests"
    )
    if _env_true("AKSI_REQUIRE_BROWSER"):
        pytest.fail(f"AKSI_REQUIRE_BROWSER=true but {reason}", pytrace=False)
    pytest.skip(reason)


def _aksi_command() -> list[str]:
    script = Path(sys.executable).with_name("aksi")
    return [str(script)] if script.exists() else [sys.executable, "-m", "aksi"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


@dataclass
class AksiServer:
    """A running `aksi runserver`, its environment and its log."""

    name: str
    home: Path
    env: dict[str, str]
    log_path: Path
    url: str = ""
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run an `aksi` command with this server's environment; fail the session on errors."""
        started = time.perf_counter()
        result = subprocess.run(
            [*_aksi_command(), *args],
            env=self.env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=600,
        )
        output = result.stdout + result.stderr
        with self.log_path.open("a") as log:
            took = time.perf_counter() - started
            log.write(f"$ aksi {' '.join(args)}  ({took:.1f}s)\n{output}\n")
        if result.returncode != 0:
            pytest.fail(
                f"`aksi {' '.join(args)}` failed ({result.returncode}):\n{output[-3000:]}",
                pytrace=False,
            )
        return result

    def start(self) -> None:
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [*_aksi_command(), "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=self.env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"The {self.name} server exited ({self.process.returncode}):\n"
                    f"{_tail(self.log_path)}",
                    pytrace=False,
                )
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if json.load(response).get("status") == "ok":
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
                pass
            time.sleep(0.2)
        self.stop()
        pytest.fail(
            f"The {self.name} server did not answer /healthz within {STARTUP_TIMEOUT:.0f}s:\n"
            f"{_tail(self.log_path)}",
            pytrace=False,
        )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_since(self, offset: int) -> str:
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")


def _server_env(home: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env.update(
        {
            "AKSI_HOME": str(home),
            "DJANGO_SETTINGS_MODULE": "aksi.settings",
            "PYTHONUNBUFFERED": "1",
            "DEBUG": "true",
            **overrides,
        }
    )
    return env


@pytest.fixture(scope="session")
def aksi_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Under pytest's basetemp: the last three runs' databases and server logs stay for a look.
    return tmp_path_factory.mktemp("aksi-home")


@pytest.fixture(scope="session")
def aksi_server(aksi_home: Path, _chromium_available: None) -> Iterator[AksiServer]:
    """The demo installation (DEBUG=true, like `make run`), served on a free local port."""
    server = AksiServer("Aksi", aksi_home, _server_env(aksi_home), aksi_home / "server.log")
    server.run("migrate", "--noinput", "-v0")
    server.run("regions", "import")
    server.run("catalogue", "load")
    server.run("prevalence", "load")
    server.run("demo", "seed")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def production_server(aksi_server: AksiServer, aksi_home: Path) -> Iterator[AksiServer]:
    """A second server on the same database with DEBUG=false: Aksi's own 404 and 500 pages,
    hashed static files served by WhiteNoise. Started only by the tests that ask for it."""
    env = _server_env(
        aksi_home,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="false",  # plain http on 127.0.0.1
        SECURE_HSTS_SECONDS="0",
        AKSI_DEMO="true",
    )
    server = AksiServer("production-mode Aksi", aksi_home, env, aksi_home / "server-production.log")
    server.run("collectstatic", "--noinput", "-v0")
    server.start()
    yield server
    server.stop()


SERVER_ERROR = re.compile(r'^Internal Server Error: |" 5\d\d \d+$', re.MULTILINE)


@pytest.fixture(autouse=True)
def _no_server_errors(aksi_server: AksiServer) -> Iterator[None]:
    # A server error (500) during a test fails that test, even if the page looked fine.
    # (403 and 404 are logged with tracebacks too; they are answers, not errors.)
    offset = aksi_server.log_size()
    yield
    output = aksi_server.log_since(offset)
    assert not SERVER_ERROR.search(output), f"The server answered with an error:\n{output[-3000:]}"


@pytest.fixture(scope="session")
def base_url(aksi_server: AksiServer) -> str:
    return aksi_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # An Indonesian officer's browser: Accept-Language id, Jakarta time, a laptop-sized window.
    return {
        **browser_context_args,
        "viewport": VIEWPORT,
        "locale": "id-ID",
        "timezone_id": "Asia/Jakarta",
    }


def _watch(page: Page, problems: list[str]) -> Page:
    """Collect uncaught JavaScript errors and Content-Security-Policy violations of a page."""
    page.set_default_timeout(10_000)
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"{message.type}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return page


@pytest.fixture
def page_problems() -> Iterator[list[str]]:
    problems: list[str] = []
    yield problems
    assert not problems, "Problems in the browser:\n" + "\n".join(problems)


@pytest.fixture
def page(page: Page, page_problems: list[str]) -> Page:
    """Playwright's page; the test fails on any JavaScript error or CSP violation."""
    return _watch(page, page_problems)


def _log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


@pytest.fixture(scope="session")
def log_in() -> Callable[..., None]:
    """Log a page in through the form: log_in(page, "pusat.admin"[, password])."""
    return _log_in


@pytest.fixture
def signed_in(
    new_context: Callable[..., BrowserContext], page_problems: list[str]
) -> Callable[[str], Page]:
    """A fresh page (own context, own cookies) signed in as a demo account."""

    def _signed_in(username: str) -> Page:
        page = _watch(new_context().new_page(), page_problems)
        _log_in(page, username)
        assert page.locator("form[action='/logout/']").count() == 1, (
            f"could not log in as {username}"
        )
        return page

    return _signed_in


@pytest.fixture(scope="session")
def screenshot() -> Callable[..., Path]:
    """Save a screenshot for the user guide (or, with to=…, elsewhere in the repository)."""

    def _screenshot(
        page: Page,
        name: str,
        *,
        full_page: bool = True,
        to: Path | None = None,
        caret: str = "hide",
    ) -> Path:
        target = to or SCREENSHOTS / name
        target.parent.mkdir(parents=True, exist_ok=True)
        page.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=str(target), full_page=full_page, animations="disabled", caret=caret)
        return target

    return _screenshot
