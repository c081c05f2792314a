"""Shared by every audience: repository paths, ANSI colour codes, the browser tests' runner."""
