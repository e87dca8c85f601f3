"""活动 — the activity log screen, quick entry, the activity form and the table model."""
