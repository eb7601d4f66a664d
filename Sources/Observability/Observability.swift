// Observability module.
