"""Verifying the trail: hash chains and the daily digests of chain heads."""
