"""Use cases over the database: plain Python, no Qt.  The GUI and the CLI both call these."""
