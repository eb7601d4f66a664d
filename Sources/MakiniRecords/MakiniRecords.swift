// MakiniRecords module.
