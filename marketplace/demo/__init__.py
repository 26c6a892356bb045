"""The Bretagne demo: organisations, accounts and devices moved along the lifecycle (demo mode only)."""
