"""The tables of consulting."""
