"""The pages of the events module, one module per aggregate; urls.py names them."""
