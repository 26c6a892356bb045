"""Adapters: the only place that imports asyncpg."""
