"""QR labels: the codes, the printable sheets, and who may print them."""
