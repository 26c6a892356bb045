"""Long-running workers: outbox relay, intake, router."""
