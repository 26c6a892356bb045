"""Command handlers: plain async functions `(command, uow) -> result`, one per command."""
