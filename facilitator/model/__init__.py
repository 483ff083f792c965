"""Pure data: content models (plans, curricula, handouts) and group records. No I/O here."""
