"""One module per page, each with its own state (a substate of `ui.state.SessionState`)."""
