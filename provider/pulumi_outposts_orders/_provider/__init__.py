"""Dynamic resource providers (the engine unpickles these by reference; they hold no state)."""
