"""The analysis core: pure Python on shapely and numpy, no QGIS (tests/core runs it without).

Reading and writing through QGIS lives in ``qgis_io``; the front ends (processing, ui) call both.
"""
