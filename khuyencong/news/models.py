"""The tables of news."""
