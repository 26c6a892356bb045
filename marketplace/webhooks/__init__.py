"""Signed webhooks: registrations (`service.py`), signatures (`signing.py`), the delivery worker (`delivery.py`)."""
