"""Kernels colour their messages with ANSI escape codes; reports and checks read them without."""
import re

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip(text: str) -> str:
    return _ANSI.sub("", text)
