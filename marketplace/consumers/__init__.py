"""What the workers do with a batch of records, and how one bad message is kept from blocking the rest."""
