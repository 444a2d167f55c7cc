"""The method engine: pure Python, no web framework. Catalog, planner, progression, benchmarks."""
