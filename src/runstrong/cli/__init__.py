"""The `runstrong` command line."""
