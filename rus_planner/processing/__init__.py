"""Processing front end: the provider and one file per algorithm."""
