#!/usr/bin/env python3
"""Can everyone tell the classes A–D apart? The palette under simulated colour-vision deficiency
and in grey-scale print, as a table (``make palette-check``; tests/core/test_core_palette.py
asserts the same minimums).

Method:
- colour-vision deficiency: Machado, Oliveira & Fernandes (2009), "A physiologically-based model
  for simulation of color vision deficiency", IEEE TVCG 15(6), doi:10.1109/TVCG.2009.113 — their
  matrices for protanopia, deuteranopia and tritanopia at severity 1.0 (the strongest form),
  applied to linear sRGB;
- difference: CIEDE2000 (CIE 142-2001; formulae as in Sharma, Wu & Dalal 2005) between every
  pair of classes in CIELAB (sRGB, D65), for normal vision and each simulation;
- grey-scale print: the difference in CIE lightness L* of the colours' luminance (what a
  black-and-white printer keeps);
- text on the colour (table cells, the reports' class cells): the WCAG 2 contrast ratio of
  black text on each colour.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np

# Machado et al. 2009, severity 1.0, rows map linear (R, G, B) to the simulated linear RGB.
SIMULATIONS = {
    "normal vision": np.eye(3),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
GREYSCALE = "grey-scale print (ΔL*)"
# The minimums the palette must keep (tests/core/test_core_palette.py): ΔE00 about 15 is a
# difference no one takes for the same class on a map; 10 lightness steps print apart.
MIN_DELTA_E = 15.0
MIN_DELTA_L = 10.0
MIN_TEXT_CONTRAST = 4.5  # WCAG 2 AA for normal text

SRGB_TO_XYZ = np.array(  # IEC 61966-2-1 primaries, D65
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
D65 = np.array([0.95047, 1.0, 1.08883])


def linear_rgb(hex_colour: str) -> np.ndarray:
    """'#rrggbb' as linear-light sRGB in 0..1 (the sRGB transfer curve undone)."""
    value = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0
    return np.where(value <= 0.04045, value / 12.92, ((value + 0.055) / 1.055) ** 2.4)


def lab(linear: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of a linear sRGB colour (clipped to the display's gamut first)."""
    xyz = SRGB_TO_XYZ @ np.clip(linear, 0.0, 1.0) / D65
    delta = 6 / 29
    f = np.where(xyz > delta**3, np.cbrt(xyz), xyz / (3 * delta**2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def luminance(hex_colour: str) -> float:
    """Relative luminance Y (0 black .. 1 white), as WCAG and a grey-scale printer take it."""
    return float((SRGB_TO_XYZ @ linear_rgb(hex_colour))[1])


def ciede2000(lab1, lab2) -> float:
    """CIEDE2000 colour difference (kL = kC = kH = 1)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1 = np.degrees(np.arctan2(b1, a1p)) % 360
    h2 = np.degrees(np.arctan2(b2, a2p)) % 360
    chroma_zero = c1p * c2p == 0
    dh = 0.0 if chroma_zero else (h2 - h1 + 180) % 360 - 180
    d_big_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if chroma_zero:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(h_mean - 30))
        + 0.24 * np.cos(np.radians(2 * h_mean))
        + 0.32 * np.cos(np.radians(3 * h_mean + 6))
        - 0.20 * np.cos(np.radians(4 * h_mean - 63))
    )
    rotation = 30 * np.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -np.sin(np.radians(2 * rotation)) * r_c
    dl, dc, dh_term = (l2 - l1) / s_l, (c2p - c1p) / s_c, d_big_h / s_h
    return float(np.sqrt(dl**2 + dc**2 + dh_term**2 + r_t * dc * dh_term))


def pair_differences(palette: dict[str, str]) -> dict[str, dict[str, float]]:
    """Per view (normal vision, each simulation, grey-scale print): the difference of every pair."""
    pairs = list(itertools.combinations(palette, 2))
    table = {}
    for view, matrix in SIMULATIONS.items():
        seen = {key: lab(matrix @ linear_rgb(colour)) for key, colour in palette.items()}
        table[view] = {f"{a}–{b}": ciede2000(seen[a], seen[b]) for a, b in pairs}
    lightness = {key: lab(linear_rgb(colour))[0] for key, colour in palette.items()}
    table[GREYSCALE] = {f"{a}–{b}": abs(lightness[a] - lightness[b]) for a, b in pairs}
    return table


def text_contrast(hex_colour: str) -> float:
    """WCAG 2 contrast ratio of black text on the colour."""
    return (luminance(hex_colour) + 0.05) / 0.05


def render(palette: dict[str, str]) -> str:
    """The check as a plain-text table, one row per view, one column per pair, and the minimum."""
    table = pair_differences(palette)
    pairs = list(next(iter(table.values())))
    width = max(len(view) for view in table) + 2
    lines = [
        "Palette: " + ", ".join(f"{key} {colour}" for key, colour in palette.items()),
        "ΔE00 (CIEDE2000) between classes; Machado et al. 2009 simulations at severity 1.0",
        "view".ljust(width) + "".join(p.rjust(7) for p in pairs) + "    min  needed",
    ]
    for view, values in table.items():
        needed = MIN_DELTA_L if view == GREYSCALE else MIN_DELTA_E
        lines.append(
            view.ljust(width)
            + "".join(f"{values[p]:7.1f}" for p in pairs)
            + f"{min(values.values()):7.1f}  ≥ {needed:.0f}"
        )
    lines.append(
        "black text contrast".ljust(width)
        + "  ".join(f"{key} {text_contrast(colour):.2f}" for key, colour in palette.items())
        + f"  (≥ {MIN_TEXT_CONTRAST}:1)"
    )
    return "\n".join(lines)


def problems(palette: dict[str, str]) -> list[str]:
    """Every pair and view below its minimum, and every colour black text does not read on."""
    found = []
    for view, values in pair_differences(palette).items():
        needed = MIN_DELTA_L if view == GREYSCALE else MIN_DELTA_E
        found += [
            f"{view}: {pair} {value:.1f} < {needed}" for pair, value in values.items() if value < needed
        ]
    for key, colour in palette.items():
        if text_contrast(colour) < MIN_TEXT_CONTRAST:
            found.append(f"black text on {key} ({colour}): {text_contrast(colour):.2f} < {MIN_TEXT_CONTRAST}")
    return found


def main() -> int:
    plugins = Path(__file__).resolve().parent.parent / ".build" / "plugins"
    sys.path.insert(0, str(plugins))
    from rus_planner.rus_planner.core.vocabulary import SEVERITY_COLOURS

    print(render(SEVERITY_COLOURS))
    found = problems(SEVERITY_COLOURS)
    for problem in found:
        print("TOO CLOSE:", problem)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
