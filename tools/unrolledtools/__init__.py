"""Tooling for the Unrolled curriculum: set-up of the Java kernel, executing notebooks, building the book."""
