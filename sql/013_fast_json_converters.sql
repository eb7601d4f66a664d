-- makini-sync warehouse: the JSON converters of 006 without a subtransaction per call.
--
-- makini.jsonb_to_numeric, jsonb_to_bigint and jsonb_to_timestamptz (006) are plpgsql functions with an EXCEPTION
-- clause, so every call enters a subtransaction. Child tables call them for several columns of every element, and
-- the column backfill for every row: that was most of the cost of writing child rows. Each becomes an SQL function
-- (which the planner inlines) that converts with a plain cast the values whose text matches a pattern for which the
-- cast cannot fail, and hands every other value to the 006 function's body, kept unchanged as makini.jsonb_to_*_checked.
-- So every value converts exactly as before (tests compare both on a corpus of edge cases).

-- The 006 functions, unchanged, under new names (the views and statements that call the old names keep them).
CREATE FUNCTION makini.jsonb_to_numeric_checked(v jsonb) RETURNS numeric LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE t text;
BEGIN
    IF jsonb_typeof(v) = 'number' THEN RETURN (v #>> '{}')::numeric; END IF;
    IF jsonb_typeof(v) IS DISTINCT FROM 'string' THEN RETURN NULL; END IF;
    t := btrim(v #>> '{}', ' ');
    IF t !~ '^[0-9eE.+-]+$' THEN RETURN NULL; END IF;
    RETURN t::numeric;
EXCEPTION WHEN others THEN RETURN NULL;
END $$;
CREATE FUNCTION makini.jsonb_to_bigint_checked(v jsonb) RETURNS bigint LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE t text;
BEGIN
    IF jsonb_typeof(v) NOT IN ('number', 'string') THEN RETURN NULL; END IF;
    t := btrim(v #>> '{}', ' ');
    IF t !~ '^[+-]?[0-9]+$' THEN RETURN NULL; END IF;
    RETURN t::bigint;
EXCEPTION WHEN others THEN RETURN NULL;
END $$;
CREATE FUNCTION makini.jsonb_to_timestamptz_checked(v jsonb) RETURNS timestamptz LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE t text;
BEGIN
    IF jsonb_typeof(v) IS DISTINCT FROM 'string' THEN RETURN NULL; END IF;
    t := v #>> '{}';
    IF t ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN t := t || 'T00:00:00Z'; END IF;
    IF t !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}([.,][0-9]+)?([Zz]|[+-][0-9]{2}:?[0-9]{2})$' THEN
        RETURN NULL;
    END IF;
    RETURN replace(t, ',', '.')::timestamptz;
EXCEPTION WHEN others THEN RETURN NULL;
END $$;

-- A JSON number is stored as numeric, so its text always casts. Plain decimals cast; anything else is checked.
CREATE OR REPLACE FUNCTION makini.jsonb_to_numeric(v jsonb) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN jsonb_typeof(v) = 'number' THEN (v #>> '{}')::numeric
        WHEN jsonb_typeof(v) IS DISTINCT FROM 'string' THEN NULL
        WHEN btrim(v #>> '{}', ' ') ~ '^[+-]?[0-9]{1,100}(\.[0-9]{1,100})?$' THEN btrim(v #>> '{}', ' ')::numeric
        ELSE makini.jsonb_to_numeric_checked(v)
    END
$$;

-- At most 18 digits cannot overflow bigint.
CREATE OR REPLACE FUNCTION makini.jsonb_to_bigint(v jsonb) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN jsonb_typeof(v) IS DISTINCT FROM 'number' AND jsonb_typeof(v) IS DISTINCT FROM 'string' THEN NULL
        WHEN btrim(v #>> '{}', ' ') ~ '^[+-]?[0-9]{1,18}$' THEN btrim(v #>> '{}', ' ')::bigint
        ELSE makini.jsonb_to_bigint_checked(v)
    END
$$;

-- An ISO-8601 date-time whose every field is in range for every month (days up to 28, years 1000-9999, offsets
-- below 15 hours) cannot fail the cast; other days, date-only values and anything else are checked.
CREATE OR REPLACE FUNCTION makini.jsonb_to_timestamptz(v jsonb) RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN jsonb_typeof(v) IS DISTINCT FROM 'string' THEN NULL
        WHEN (v #>> '{}') ~ '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?([Zz]|[+-](0[0-9]|1[0-4]):?[0-5][0-9])$'
            THEN (v #>> '{}')::timestamptz
        ELSE makini.jsonb_to_timestamptz_checked(v)
    END
$$;

COMMENT ON FUNCTION makini.jsonb_to_numeric(jsonb) IS 'A JSON number or numeric string as numeric; NULL when it is not one (as makini-sync''s mapper converts).';
COMMENT ON FUNCTION makini.jsonb_to_bigint(jsonb) IS 'A JSON integer or integer string as bigint; NULL when it is not one (as makini-sync''s mapper converts).';
COMMENT ON FUNCTION makini.jsonb_to_timestamptz(jsonb) IS 'An ISO-8601 date-time or date string as timestamptz; NULL when it is not one (as makini-sync''s mapper converts).';
COMMENT ON FUNCTION makini.jsonb_to_numeric_checked(jsonb) IS 'makini.jsonb_to_numeric for the values its plain cast does not take (a subtransaction per call).';
COMMENT ON FUNCTION makini.jsonb_to_bigint_checked(jsonb) IS 'makini.jsonb_to_bigint for the values its plain cast does not take (a subtransaction per call).';
COMMENT ON FUNCTION makini.jsonb_to_timestamptz_checked(jsonb) IS 'makini.jsonb_to_timestamptz for the values its plain cast does not take (a subtransaction per call).';
