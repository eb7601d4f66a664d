// MakiniAPI module.
