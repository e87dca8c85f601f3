"""组织 — the bureau's organisation: the unit tree, configurable lists and the 资源/需求 category tree, volunteer teams and party organisations."""
