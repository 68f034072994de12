"""Patent navigation (专利导航): analyses over any selection, as ibis expressions over the warehouse."""
