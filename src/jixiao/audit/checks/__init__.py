"""The checks. Each module has one ``check(doc) -> list[Issue]`` and documents its codes."""
