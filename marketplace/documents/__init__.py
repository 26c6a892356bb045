"""Documents made from the trail (PDF), each reproducible byte for byte so that its SHA-256 can be checked."""
