"""Debug views of finished pages: an overlay PNG and a local browser viewer, both over ALTO files."""
