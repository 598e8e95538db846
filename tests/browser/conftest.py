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
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
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
README_SCREENSHOT = ROOT / "docs" / "screenshot.png"
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
    "DEBUG",
]


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

    def run(self, *args: str, allow_unknown: bool = False) -> subprocess.CompletedProcess[str]:
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
            log.write(f"$ aksi {' '.join(args)}  ({time.perf_counter() - started:.1f}s)\n{output}\n")
        if result.returncode != 0:
            if allow_unknown and "Unknown command" in output:
                return result
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
    # TODO(catalogue): require `catalogue load` once the command lands.
    if server.run("catalogue", "load", allow_unknown=True).returncode != 0:
        warnings.warn("`aksi catalogue load` does not exist yet: no catalogue", stacklevel=1)
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


@pytest.fixture(autouse=True)
def _no_server_errors(aksi_server: AksiServer) -> Iterator[None]:
    # A traceback in the server log during a test fails that test, even if the page looked fine.
    offset = aksi_server.log_size()
    yield
    output = aksi_server.log_since(offset)
    assert "Traceback" not in output, f"The server logged an error:\n{output[-3000:]}"


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


@pytest.fixture
def page(page: Page) -> Iterator[Page]:
    """Playwright's page, failing the test on any uncaught JavaScript error."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(10_000)
    yield page
    assert not errors, f"JavaScript errors on the page: {errors}"


def _log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture(scope="session")
def log_in() -> Callable[..., None]:
    """Log a page in through the form: log_in(page, "pusat.admin"[, password])."""
    return _log_in


@pytest.fixture
def signed_in(new_context: Callable[..., BrowserContext]) -> Callable[[str], Page]:
    """A fresh page signed in as a demo account: signed_in("pusat.admin")."""

    def _signed_in(username: str) -> Page:
        page = new_context().new_page()
        page.set_default_timeout(10_000)
        _log_in(page, username)
        assert page.locator("form[action='/logout/']").count() == 1, (
            f"could not log in as {username}"
        )
        return page

    return _signed_in


@pytest.fixture(scope="session")
def screenshot() -> Callable[..., Path]:
    """Save a screenshot for the user guide (or, with to=…, elsewhere in the repository)."""

    def _screenshot(page: Page, name: str, *, full_page: bool = True, to: Path | None = None) -> Path:
        target = to or SCREENSHOTS / name
        target.parent.mkdir(parents=True, exist_ok=True)
        page.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=str(target), full_page=full_page, animations="disabled")
        return target

    return _screenshot
