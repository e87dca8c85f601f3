"""人员 — the roster of retired cadres (离退休干部): records, search, sort keys."""
