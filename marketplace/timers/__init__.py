"""The deadlines that keep devices moving (expiries, no-shows, holds, reconciliation) and the loop that runs them."""
