"""A deadline week on Aksi: operators saving cells and uploading Excel files, verifiers working
their inbox, viewers opening dashboards, the public reading the public pages.

Accounts and regions come from $LOADTEST_USERS_FILE (written by loadtest/setup.sh). Every
request is named by its page type (the rows of the report); a response that is not the page
we expect (wrong status, a cell that did not save, an upload that did not preview) is a failure.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import threading
from typing import Any

from locust import HttpUser, between, task
from locust.exception import StopUser

USERS: dict[str, Any] = json.loads(open(os.environ["LOADTEST_USERS_FILE"]).read())  # noqa: SIM115
PERIOD: str = USERS["period"]
PASSWORD: str = USERS["password"]

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
CELL = re.compile(
    r'<form hx-post="(/entry/[^"]+/\d+/)"[^>]*>\s*'
    r'<input type="hidden" name="version" id="version-([^"]+)" value="(\d*)"'
)
VERSION = re.compile(r'name="version" id="version-([^"]+)" value="(\d*)"')
SUBMISSION = re.compile(r'href="/review/(\d+)/"')
APPLY_TOKEN = re.compile(r'name="token" value="([^"]+)"')
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Pool:
    """Hands each simulated user an account of its kind that no other user holds."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self._items = list(items)
        random.Random(7).shuffle(self._items)
        self._lock = threading.Lock()
        self._next = 0

    def take(self) -> dict[str, Any]:
        with self._lock:
            if self._next >= len(self._items):
                raise StopUser  # more simulated users than accounts: a setup problem
            item = self._items[self._next]
            self._next += 1
            return item


OPERATORS = _Pool(USERS["operators"])
VERIFIERS = _Pool([v for v in USERS["verifiers"] if v["region"].count(".") == 1])
VIEWERS = _Pool(USERS["viewers"])


def _csrf(text: str) -> str:
    match = CSRF_HEADER.search(text) or CSRF_INPUT.search(text)
    return match.group(1) if match else ""


class _SignedIn(HttpUser):
    abstract = True
    pool: _Pool
    account: dict[str, Any]
    csrf: str = ""

    def on_start(self) -> None:
        self.account = self.pool.take()
        page = self.client.get("/login/", name="login page")
        with self.client.post(
            "/login/",
            data={
                "username": self.account["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": _csrf(page.text),
            },
            headers={"Referer": f"{self.host}/login/"},
            name="login",
            catch_response=True,
        ) as response:
            if 'name="password"' in response.text and "/login/" in response.url:
                response.failure("login refused")
                raise StopUser
        self.csrf = _csrf(response.text)

    def page(self, url: str, name: str, expect: str = "") -> str:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return ""
            if expect and expect not in response.text:
                response.failure(f"missing {expect!r}")
                return ""
            text = response.text
            self.csrf = _csrf(text) or self.csrf
            return text

    def post(self, url: str, name: str, data: dict[str, Any], **kwargs: Any) -> Any:
        headers = {"X-CSRFToken": self.csrf, "Referer": f"{self.host}{url}"}
        headers.update(kwargs.pop("headers", {}))
        return self.client.post(
            url, data=data, headers=headers, name=name, catch_response=True, **kwargs
        )


class Operator(_SignedIn):
    """A kecamatan operator in the week before the deadline: fills the grid, sometimes by Excel."""

    weight = 5
    wait_time = between(2, 6)  # typing a numerator/denominator pair and tabbing on
    pool = OPERATORS

    def on_start(self) -> None:
        super().on_start()
        self.kecamatan = self.account["subdistrict"]
        self.grid_url = f"/entry/{PERIOD}/{self.kecamatan}/"
        self.cells: list[tuple[str, str, bool]] = []  # (save URL, key, yes/no cell)
        self.versions: dict[str, str] = {}
        self.open_grid()

    def open_grid(self) -> None:
        text = self.page(self.grid_url, "entry grid", expect="hx-post")
        if not text:
            return
        self.cells = []
        self.versions = {}
        for match in CELL.finditer(text):
            url, key, version = match.groups()
            self.versions[key] = version
            before, _found, after = text.partition(f'id="n-{key}"')
            if not after.startswith(" disabled"):
                binary = before[before.rfind("<") :].startswith("<select")
                self.cells.append((url, key, binary))

    @task(20)
    def save_cell(self) -> None:
        if not self.cells:
            self.open_grid()
            return
        url, key, binary = random.choice(self.cells)
        denominator = random.randint(20, 400)
        numerator = random.randint(0, denominator)
        data = {
            "numerator": str(random.randint(0, 1) if binary else numerator),
            "version": self.versions.get(key, ""),
        }
        if not binary:  # a yes/no cell sends only its select
            data["denominator"] = str(denominator)
        headers = {"HX-Request": "true", "HX-Target": f"state-{key}"}
        with self.post(url, "cell save", data, headers=headers) as response:
            found = VERSION.search(response.text or "")
            if found:
                self.versions[key] = found.group(2)
            if response.status_code != 200 or "state-saved" not in response.text:
                state = re.search(r"state-(\w+)", response.text or "")
                response.failure(
                    f"status {response.status_code}, state {state.group(1) if state else '?'}"
                )

    @task(3)
    def reopen_grid(self) -> None:
        self.open_grid()

    @task(1)
    def entry_index(self) -> None:
        self.page("/entry/", "entry index", expect=self.kecamatan)

    @task(1)
    def home(self) -> None:
        self.page("/", "home")

    @task(1)
    def excel_round_trip(self) -> None:
        """Download the kecamatan's template, change a few pairs, upload, preview, apply."""
        base = f"/entry/{PERIOD}/{self.kecamatan}/excel/"
        with self.client.get(base, name="excel template", catch_response=True) as response:
            if response.status_code != 200 or not response.content.startswith(b"PK"):
                response.failure(f"status {response.status_code}, not an xlsx")
                return
            content = response.content
        workbook = _edited(content)
        self.page(f"{base}upload/", "excel upload form")
        with self.post(
            f"{base}upload/",
            "excel upload (preview)",
            {"csrfmiddlewaretoken": self.csrf},
            files={"file": ("template.xlsx", workbook, XLSX)},
        ) as response:
            token = APPLY_TOKEN.search(response.text or "")
            if response.status_code != 200 or not token:
                response.failure(f"status {response.status_code}, no preview to apply")
                return
        with self.post(
            f"{base}apply/",
            "excel apply",
            {"token": token.group(1), "csrfmiddlewaretoken": self.csrf},
        ) as response:
            if response.status_code != 200 or "excel/upload/" in response.url:
                response.failure(f"status {response.status_code}, apply refused")
        self.open_grid()  # the versions changed


def _edited(content: bytes) -> bytes:
    """The template with a few numerator/denominator pairs changed (valid counts)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    sheet = book["Data"]
    header = [str(c.value or "") for c in sheet[2]]
    pairs = [
        (i, header.index(h.replace(" pembilang", " penyebut")))
        for i, h in enumerate(header)
        if h.endswith(" pembilang") and h.replace(" pembilang", " penyebut") in header
    ]
    rows = [r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value]
    # A yes/no indicator's denominator cell is locked (always 1): leave those pairs alone.
    pairs = [p for p in pairs if rows and not sheet.cell(rows[0], p[1] + 1).protection.locked]
    for _ in range(5):
        if not pairs or not rows:
            break
        numerator_col, denominator_col = random.choice(pairs)
        row = random.choice(rows)
        denominator = random.randint(20, 400)
        sheet.cell(row, denominator_col + 1).value = denominator
        sheet.cell(row, numerator_col + 1).value = random.randint(0, denominator)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class Verifier(_SignedIn):
    """A kabupaten verifier: works the inbox, reads submissions, verifies some."""

    weight = 2
    wait_time = between(3, 10)
    pool = VERIFIERS

    def on_start(self) -> None:
        super().on_start()
        self.inbox_url = f"/review/?period={PERIOD}"
        self.submissions: list[str] = []

    @task(5)
    def inbox(self) -> None:
        text = self.page(self.inbox_url, "review inbox")
        self.submissions = SUBMISSION.findall(text)

    @task(5)
    def submission(self) -> None:
        if not self.submissions:
            self.inbox()
            return
        pk = random.choice(self.submissions)
        text = self.page(f"/review/{pk}/", "review submission")
        if f"/review/{pk}/verify/" in text and random.random() < 0.3:
            with self.post(
                f"/review/{pk}/verify/",
                "review verify",
                {"note": "", "next": self.inbox_url, "csrfmiddlewaretoken": self.csrf},
            ) as response:
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
            self.submissions.remove(pk)

    @task(1)
    def dashboard(self) -> None:
        self.page(f"/analytics/{self.account['region']}/", "dashboard")


class Viewer(_SignedIn):
    """A Bappeda/ministry viewer: dashboards, scorecards, the map, prevalence."""

    weight = 2
    wait_time = between(3, 10)
    pool = VIEWERS

    @task(6)
    def dashboard(self) -> None:
        self.page(f"/analytics/{self.account['region']}/", "dashboard")

    @task(3)
    def scorecard(self) -> None:
        self.page(f"/analytics/{self.account['region']}/scorecard/", "scorecard")

    @task(2)
    def map(self) -> None:
        self.page(f"/map/{self.account['region']}/", "map")

    @task(1)
    def prevalence(self) -> None:
        self.page(f"/prevalence/{self.account['region']}/", "prevalence")

    @task(1)
    def home(self) -> None:
        self.page("/", "home")


class Public(HttpUser):
    """Anyone: the public national page and regional pages."""

    weight = 2
    wait_time = between(2, 8)

    @task(1)
    def national(self) -> None:
        with self.client.get("/public/", name="public page", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")

    @task(4)
    def region(self) -> None:
        code = random.choice(USERS["provinces"] + USERS["districts"])
        with self.client.get(
            f"/public/{code}/", name="public page", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
