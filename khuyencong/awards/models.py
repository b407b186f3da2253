"""The tables of awards."""
