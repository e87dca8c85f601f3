"""Demo data (services/demo/)."""
