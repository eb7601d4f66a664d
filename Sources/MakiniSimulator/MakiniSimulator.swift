// MakiniSimulator module.
