"""The KC portal's news: articles written, reviewed and published by centre staff, the public news pages and the
feed."""
