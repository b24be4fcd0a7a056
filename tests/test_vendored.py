"""The vendored JavaScript is exactly what its pinned npm packages give.

static/vendor/apache-annotator/apache-annotator-dom.js is committed, so `make run` needs
only Python. This test bundles the packages package-lock.json pins again, with the same
command (`npm run vendor`, to a temporary file), and fails if a byte differs: an edit by
hand, or a pin changed without rebuilding. It needs node_modules (`make test` runs `npm ci`
when npm is installed); without them it is skipped, and in CI it fails instead.
"""

import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENDORED = ROOT / "static" / "vendor" / "apache-annotator" / "apache-annotator-dom.js"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"


def vendor_command(outfile):
    """`npm run vendor` as package.json defines it, writing to `outfile` instead."""
    script = json.loads((ROOT / "package.json").read_text())["scripts"]["vendor"]
    words = shlex.split(script)
    assert words[0] == "esbuild"
    return [
        str(ESBUILD),
        *(w for w in words[1:] if not w.startswith("--outfile=")),
        f"--outfile={outfile}",
    ]


def test_the_vendored_annotator_is_the_pinned_packages_bundled(tmp_path):
    if not ESBUILD.exists():
        message = "node_modules/.bin/esbuild is missing: run `npm ci` (or `make test`)."
        if os.environ.get("MISSIVE_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    rebuilt = tmp_path / "apache-annotator-dom.js"

    subprocess.run(vendor_command(rebuilt), cwd=ROOT, check=True, capture_output=True)

    assert rebuilt.read_bytes() == VENDORED.read_bytes(), (
        f"{VENDORED.relative_to(ROOT)} is not what the pinned packages give: run `npm run vendor`."
    )


def test_the_readme_names_the_versions_package_lock_pins():
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    readme = (VENDORED.parent / "README.md").read_text()
    for package in (
        "@apache-annotator/dom",
        "@apache-annotator/selector",
        "@babel/runtime-corejs3",
        "core-js-pure",
        "optimal-select",
    ):
        version = lock[f"node_modules/{package}"]["version"]
        assert f"| {package} | {version} |" in readme, package
