"""Numbers as a reader writes them: Swedish 1 234,5 (space before thousands, decimal comma),
English 1,234.5. One place for the tables, the panel, the logs and the reports."""

from __future__ import annotations

# A no-break space: "1 200 m" never splits over two lines.
THOUSANDS_SPACE = "\u00a0"


def grouped(value: float, decimals: int = 0, language: str = "sv") -> str:
    """``value`` rounded to ``decimals`` with thousands grouped in the language's way."""
    text = f"{float(value):,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0"
    if language != "sv":
        return text
    return text.replace(",", THOUSANDS_SPACE).replace(".", ",")
