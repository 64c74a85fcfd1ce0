"""One Processing algorithm per file."""
