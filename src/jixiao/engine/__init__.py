"""The evaluation engine: formulas, scoring rules, and evaluations that explain themselves."""
