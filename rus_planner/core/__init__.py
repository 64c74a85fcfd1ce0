"""The analysis core: no widgets, no iface; shared by Processing and the panel."""
