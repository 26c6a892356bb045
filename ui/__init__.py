"""The Seconde Vie web app (Reflex). It calls marketplace services in-process and never talks to Kafka."""
