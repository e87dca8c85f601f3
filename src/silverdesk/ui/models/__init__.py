"""Qt item models, one per module; big tables hold ids and fetch rows in pages."""
