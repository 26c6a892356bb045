"""Running the product: the command line, the embedded services, the supervisor, database set-up."""
