"""The A–D palette reads for everyone: apart under simulated colour-vision deficiency and in
grey scale (scripts/palette_check.py), with the colour maths checked against published values."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from rus_planner.rus_planner.core.vocabulary import SEVERITY_BACKGROUND, SEVERITY_COLOURS

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "palette_check.py"
spec = importlib.util.spec_from_file_location("palette_check", SCRIPT)
palette_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(palette_check)


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [
        # Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula", table 1, pairs 1, 7, 17, 18, 25.
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((50.0, 2.5, 0.0), (61.0, -5.0, 29.0), 22.8977),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_matches_the_published_test_pairs(lab1, lab2, expected):
    assert palette_check.ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_srgb_to_lab_matches_known_values():
    # sRGB red and mid grey in CIELAB D65 (as in Bruce Lindbloom's calculator): (53.2408, 80.0925, 67.2032), L* 53.585.
    assert palette_check.lab(palette_check.linear_rgb("#ff0000")) == pytest.approx(
        [53.2408, 80.0925, 67.2032], abs=0.005
    )
    assert palette_check.lab(palette_check.linear_rgb("#808080")) == pytest.approx([53.585, 0, 0], abs=0.005)
    assert palette_check.text_contrast("#ffffff") == pytest.approx(21.0)


def test_simulations_keep_neutral_greys_and_fold_the_confused_colours():
    grey = palette_check.linear_rgb("#808080")
    for matrix in palette_check.SIMULATIONS.values():
        assert matrix @ grey == pytest.approx(grey, abs=2e-3)  # rows sum to one: white stays white
    # A deuteranope cannot tell red from a green of the same lightness; a tritanope blue from green.
    red, green = palette_check.linear_rgb("#c05030"), palette_check.linear_rgb("#6a7a20")
    deut = palette_check.SIMULATIONS["deuteranopia"]
    assert palette_check.ciede2000(palette_check.lab(deut @ red), palette_check.lab(deut @ green)) < 0.4 * (
        palette_check.ciede2000(palette_check.lab(red), palette_check.lab(green))
    )
    assert np.all(np.abs(palette_check.SIMULATIONS["tritanopia"].sum(axis=1) - 1) < 1e-3)


def test_the_palette_is_apart_for_every_view_and_carries_black_text():
    table = palette_check.pair_differences(SEVERITY_COLOURS)
    assert set(table) == {
        "normal vision",
        "deuteranopia",
        "protanopia",
        "tritanopia",
        palette_check.GREYSCALE,
    }
    assert palette_check.problems(SEVERITY_COLOURS) == []
    assert min(table["deuteranopia"].values()) >= palette_check.MIN_DELTA_E
    assert min(table[palette_check.GREYSCALE].values()) >= palette_check.MIN_DELTA_L
    assert SEVERITY_BACKGROUND == SEVERITY_COLOURS


def test_the_old_palette_fails_the_check():
    """The red/orange/yellow/grey palette before #20: D and B too close in grey, A–D under deuteranopia."""
    old = {"A": "#d7191c", "B": "#fd8d3c", "C": "#fed976", "D": "#969696"}
    found = palette_check.problems(old)
    assert any(p.startswith("grey-scale") for p in found)
    assert any(p.startswith("deuteranopia") for p in found)
