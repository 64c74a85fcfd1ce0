"""QGIS-facing input and output: what turns the user's layers into the core's inputs and back."""
