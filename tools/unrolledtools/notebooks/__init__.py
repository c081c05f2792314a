"""Running notebooks: installing the Java kernel, executing a notebook headless, finding its exercises."""
