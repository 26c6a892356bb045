"""The auditors' reports (flows, reuse compliance, impact), their exports, and open data."""
