// Warehouse module.
