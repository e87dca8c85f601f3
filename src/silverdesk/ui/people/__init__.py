"""人员 — the roster screen, its table model and the person form."""
