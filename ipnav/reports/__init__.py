"""Reports of a navigation pack: Excel workbooks with native charts (Word/PDF to follow)."""
