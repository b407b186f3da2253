"""The tables of clusters."""
