"""Signing in: password hashes and session tokens."""
