"""Makes docs/screenshots/*.png: the main pages at phone (360x640) and desktop (1280x800) sizes.

It runs the browser tests' screenshot module (tests/browser/test_screenshots.py) against a test server with
demo data, in Debian's chromium. Usage: .venv/bin/python scripts/screenshots.py
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    subprocess.run(["bash", str(ROOT / "scripts" / "ensure_chromium.sh")], check=False)
    env = {**os.environ, "SCREENSHOTS_DIR": str(ROOT / "docs" / "screenshots")}
    command = [sys.executable, "-m", "pytest", "tests/browser/test_screenshots.py", "-q", "-rs", "-p", "no:randomly"]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
