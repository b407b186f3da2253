"""The tables of settlement."""
