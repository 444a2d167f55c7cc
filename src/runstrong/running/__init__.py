"""Completed runs read from watch files: FIT, TCX, GPX, and zips of them (bulk exports)."""
