#!/usr/bin/env python3
"""Build the plugin ZIP for Plugins › Install from ZIP (and the plugin repository).

The ZIP holds one folder, rus_planner/, with what a user needs: the code, resources, the
compiled translation, metadata, licence and README. No tests, caches or development files.

The project's public addresses (homepage, tracker, repository) and contact e-mail are not in the
work tree's metadata.txt until the project has a public home: they are given when packaging
(`make package HOMEPAGE=... TRACKER=... REPOSITORY=... EMAIL=...`) and written into the ZIP's copy.
A release build (`--release`, `make package RELEASE=1`) refuses to run without all four, since the
official plugin repository rejects a plugin without them.
"""

from __future__ import annotations

import argparse
import configparser
import re
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLUGIN = "rus_planner"
TOP_FILES = ("metadata.txt", "__init__.py", "LICENSE", "README.md")
TREES = ("rus_planner", "resources", "i18n")
SKIP_SUFFIXES = {".pyc", ".pyo", ".ts"}
SKIP_PARTS = {"__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}


def plugin_files() -> list[Path]:
    files = [REPO / name for name in TOP_FILES]
    for tree in TREES:
        for path in sorted((REPO / tree).rglob("*")):
            if path.is_file() and path.suffix not in SKIP_SUFFIXES and not SKIP_PARTS & set(path.parts):
                files.append(path)
    return files


ADDRESS_KEYS = ("homepage", "tracker", "repository", "email")


def release_metadata(addresses: dict[str, str], release: bool) -> str:
    """metadata.txt with the given addresses filled in; a release needs every one of them."""
    text = (REPO / "metadata.txt").read_text(encoding="utf-8")
    parser = configparser.RawConfigParser()
    parser.read_string(text)
    for key in ADDRESS_KEYS:
        value = (addresses.get(key) or parser.get("general", key, fallback="")).strip()
        if "example.org" in value or "example.com" in value:
            value = ""
        if key != "email" and value and not re.match(r"https://[^\s/]+\.[^\s/]+", value):
            raise SystemExit(f"{key} must be an https:// address, not {value!r}")
        if key == "email" and value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise SystemExit(f"email must be an e-mail address, not {value!r}")
        if release and not value:
            raise SystemExit(
                f"a release needs the project's {key}: make package RELEASE=1 "
                "HOMEPAGE=https://... TRACKER=https://... REPOSITORY=https://... EMAIL=...@..."
            )
        text = re.sub(rf"(?m)^{key}=.*$", f"{key}={value}", text)
    return text


def build(output: Path, addresses: dict[str, str] | None = None, release: bool = False) -> Path:
    if not (REPO / "i18n" / f"{PLUGIN}_sv.qm").exists():
        sys.exit("i18n/rus_planner_sv.qm is missing: run `make transcompile` first")
    metadata = release_metadata(addresses or {}, release)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in plugin_files():
            name = f"{PLUGIN}/{path.relative_to(REPO).as_posix()}"
            if path.name == "metadata.txt" and path.parent == REPO:
                archive.writestr(name, metadata.encode("utf-8"))
            else:
                archive.write(path, name)
    with zipfile.ZipFile(partial) as archive:  # a ZIP that cannot be read back is not moved into place
        if archive.testzip() is not None:
            raise SystemExit(f"{partial} is damaged")
    partial.replace(output)
    return output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=REPO / "dist" / f"{PLUGIN}.zip")
    parser.add_argument("--release", action="store_true", help="refuse to build without the addresses")
    for key in ADDRESS_KEYS:
        parser.add_argument(f"--{key}", default="", help=f"the project's {key} for metadata.txt")
    args = parser.parse_args()
    addresses = {key: getattr(args, key) for key in ADDRESS_KEYS}
    path = build(args.output, addresses, args.release)
    print(f"{path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
