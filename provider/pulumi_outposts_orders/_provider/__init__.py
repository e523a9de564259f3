"""Where stacks written before 0.2 find their pickled providers (state keeps the class's module path)."""
