#!/usr/bin/env bash
# Every test Ventana has: the Swift suites, then the console driven in a headless Chromium
# (Tests/browser, pytest + Selenium) — each on SQLite, and on PostgreSQL too when POSTGRES_URL
# is set.
# Needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver); installs
# the Python packages it needs with pip when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

swift test
swift build --product ventana

if ! python3 -c "import selenium, pytest" 2>/dev/null; then
  echo "== installing selenium and pytest with pip"
  python3 -m pip install --quiet --user selenium pytest 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages selenium pytest
fi
for tool in chromedriver; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install chromium chromium-driver (or run bash .ci/run)"; exit 2; }
done
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null \
  || { echo "Chromium is missing: apt-get install chromium chromium-driver (or run bash .ci/run)"; exit 2; }
echo "== console tests in Chromium (screenshots in test-output/screenshots)"
python3 -m pytest -q Tests/browser
