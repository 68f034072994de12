"""Pure normalisation helpers: numbers, dates, classification symbols, statuses, names, regions."""
