"""Service records: canonical tables, importers with quarantine, synthetic data, calendar."""
