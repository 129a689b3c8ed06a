"""Starts a real Ventana (the built `ventana` binary, sandbox mode, a fresh SQLite file) and a
headless Chromium driven by Selenium, for the console tests. Screenshots go to
test-output/screenshots/."""
import json
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
ADMIN = ("admin@example.com", "browser-pass-1")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Ventana:
    """A running server and small helpers for its REST and sandbox APIs."""

    def __init__(self, url):
        self.url = url
        self.token = None

    def call(self, method, path, body=None, token=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token or self.token:
            request.add_header("Authorization", "Bearer " + (token or self.token))
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def login(self):
        status, answer = self.call("POST", "/api/v1/auth/login", {"email": ADMIN[0], "password": ADMIN[1]})
        assert status == 200, answer
        self.token = answer["token"]

    def contact_writes(self, wa_id, name, text):
        status, answer = self.call("POST", "/sandbox/api/messages", {"wa_id": wa_id, "name": name, "text": text})
        assert status == 200, answer
        return answer["id"]

    def advance(self, seconds):
        status, answer = self.call("POST", "/sandbox/api/clock", {"advance_seconds": seconds})
        assert status == 200, answer

    def hold_statuses(self, held):
        status, answer = self.call("POST", "/sandbox/api/network", {"hold_statuses": held})
        assert status == 200, answer

    def phone(self):
        return self.call("GET", "/sandbox/api/state")[1]

    def chat_of(self, wa_id):
        status, page = self.call("GET", "/api/v1/conversations?view=all&q=" + wa_id)
        assert status == 200 and page["items"], page
        return page["items"][0]


@pytest.fixture(scope="session", autouse=True)
def fresh_screenshots():
    """Each run's screenshots only: the folder is emptied when the run starts."""
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True, exist_ok=True)


# Like the Swift suites: SQLite always, and PostgreSQL too when POSTGRES_URL names a database.
DATABASES = ["sqlite"] + (["postgres"] if os.environ.get("POSTGRES_URL") else [])


def database_url(kind, work):
    if kind == "sqlite":
        return f"sqlite://{work}/ventana.sqlite"
    base = os.environ["POSTGRES_URL"]
    # A fresh schema per run (Ventana creates it), so runs never see each other's rows.
    return f"{base}{'&' if '?' in base else '?'}search_path=browser_{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session", params=DATABASES)
def ventana(request):
    binary = ROOT / ".build" / "debug" / "ventana"
    assert binary.exists(), f"build first: swift build --product ventana ({binary} is missing)"
    work = tempfile.mkdtemp(prefix="ventana-browser-")
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url(request.param, work), PORT=str(port), LOG_LEVEL="warning",
               VENTANA_ADMIN_EMAIL=ADMIN[0], VENTANA_ADMIN_PASSWORD=ADMIN[1])
    for key in [k for k in env if k.startswith("WHATSAPP_")]:
        del env[key]
    log = open(pathlib.Path(work) / "server.log", "w")
    server = subprocess.Popen([str(binary), "serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        raise RuntimeError("ventana did not start: " + (pathlib.Path(work) / "server.log").read_text())
    instance = Ventana(url)
    instance.login()
    yield instance
    server.terminate()
    server.wait(10)
    log.close()
    shutil.rmtree(work, ignore_errors=True)


def chromium(language="en-US", width=1280, height=900, phone=False):
    options = webdriver.ChromeOptions()
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            options.binary_location = found
            break
    options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")
    options.add_argument("--disable-dev-shm-usage")
    if phone:
        # A desktop window cannot be narrower than 500 px: emulate the phone's screen instead.
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2}})
    else:
        options.add_argument(f"--window-size={width},{height}")
    options.add_argument(f"--lang={language}")
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = shutil.which("chromedriver")
    assert driver_path, "chromedriver is missing: apt-get install chromium chromium-driver"
    return webdriver.Chrome(service=Service(driver_path), options=options)


@pytest.fixture()
def browser():
    driver = chromium()
    yield driver
    driver.quit()


@pytest.fixture()
def shot(request):
    """Saves a screenshot per step: test-output/screenshots/<test>-<nn>-<step>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def take(driver, step):
        counter["n"] += 1
        name = request.node.name.replace("[", "-").replace("]", "")
        path = SHOTS / f"{name}-{counter['n']:02d}-{step}.png"
        driver.save_screenshot(str(path))
        return path

    return take
