#!/usr/bin/env python3
"""Build the plugin ZIP for Plugins › Install from ZIP (and the plugin repository).

The ZIP holds one folder, rus_planner/, with what a user needs: the code, resources, the
compiled translation, metadata, licence and README. No tests, caches or development files.
"""

from __future__ import annotations

import argparse
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


def build(output: Path) -> Path:
    if not (REPO / "i18n" / f"{PLUGIN}_sv.qm").exists():
        sys.exit("i18n/rus_planner_sv.qm is missing: run `make transcompile` first")
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in plugin_files():
            archive.write(path, f"{PLUGIN}/{path.relative_to(REPO).as_posix()}")
    return output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=REPO / "dist" / f"{PLUGIN}.zip")
    args = parser.parse_args()
    path = build(args.output)
    print(f"{path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
