"""The Kafka side: topic catalogue, broker factory, idempotent consumers, provisioning."""
