#!/usr/bin/env python3
"""Fill Swedish translations into the Qt .ts file, or list the strings still untranslated.

  scripts/i18n_fill.py i18n/rus_planner_sv.ts --missing          # print untranslated sources
  scripts/i18n_fill.py i18n/rus_planner_sv.ts new.tsv [more.tsv]  # apply "source<TAB>translation" lines

The .ts file (refreshed by `make transup`) stays the one source of truth for translations;
this only saves hand-editing XML. Escapes: write \\n for a newline and \\t for a tab in a TSV cell.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def _cell(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t")


def read_tsv(path: Path) -> dict[str, str]:
    pairs = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if "\t" not in line:
            raise SystemExit(f"{path}:{number}: expected 'source<TAB>translation'")
        source, translation = line.split("\t", 1)
        pairs[_cell(source)] = _cell(translation)
    return pairs


def main(argv: list[str]) -> int:
    ts_path = Path(argv[1])
    tree = ET.parse(ts_path)
    messages = tree.getroot().iter("message")
    if argv[2:] == ["--missing"]:
        missing = 0
        for message in messages:
            translation = message.find("translation")
            if translation.get("type") == "unfinished" or not (translation.text or "").strip():
                print(message.findtext("source").replace("\n", "\\n"))
                missing += 1
        return 1 if missing else 0
    pairs: dict[str, str] = {}
    for tsv in argv[2:]:
        pairs.update(read_tsv(Path(tsv)))
    filled = 0
    for message in messages:
        source = message.findtext("source")
        if source in pairs:
            translation = message.find("translation")
            translation.text = pairs[source]
            translation.attrib.pop("type", None)
            filled += 1
    tree.getroot().set("language", "sv_SE")
    tree.write(ts_path, encoding="utf-8", xml_declaration=True)
    text = ts_path.read_text(encoding="utf-8")
    if "<!DOCTYPE TS>" not in text:
        text = text.replace("?>\n", "?>\n<!DOCTYPE TS>\n", 1)
        ts_path.write_text(text, encoding="utf-8")
    print(f"filled {filled} of {len(pairs)} translations into {ts_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
