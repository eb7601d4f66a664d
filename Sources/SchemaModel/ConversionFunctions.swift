/// SQL functions converting a jsonb value to a column type with the rules of the mapper's `ColumnValueConverter`
/// (NULL when the value does not fit): used by ALTER ... TYPE, child tables and the backfill of added columns.
public enum ConversionFunctions {
    public static let sql = """
        -- Conversions: jsonb value -> column type, NULL when it does not fit (the mapper's rules) --------------

        CREATE FUNCTION makini.jsonb_to_text(v jsonb) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT CASE jsonb_typeof(v) WHEN 'null' THEN NULL WHEN 'string' THEN v #>> '{}' ELSE v::text END
        $$;
        CREATE FUNCTION makini.jsonb_to_jsonb(v jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT CASE WHEN v IS NULL OR jsonb_typeof(v) = 'null' THEN NULL ELSE v END
        $$;
        CREATE FUNCTION makini.jsonb_to_numeric(v jsonb) RETURNS numeric LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
        DECLARE t text;
        BEGIN
            IF jsonb_typeof(v) = 'number' THEN RETURN (v #>> '{}')::numeric; END IF;
            IF jsonb_typeof(v) IS DISTINCT FROM 'string' THEN RETURN NULL; END IF;
            t := btrim(v #>> '{}', ' ');
            IF t !~ '^[0-9eE.+-]+$' THEN RETURN NULL; END IF;
            RETURN t::numeric;
        EXCEPTION WHEN others THEN RETURN NULL;
        END $$;
        CREATE FUNCTION makini.jsonb_to_bigint(v jsonb) RETURNS bigint LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
        DECLARE t text;
        BEGIN
            IF jsonb_typeof(v) NOT IN ('number', 'string') THEN RETURN NULL; END IF;
            t := btrim(v #>> '{}', ' ');
            IF t !~ '^[+-]?[0-9]+$' THEN RETURN NULL; END IF;
            RETURN t::bigint;
        EXCEPTION WHEN others THEN RETURN NULL;
        END $$;
        CREATE FUNCTION makini.jsonb_to_boolean(v jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT CASE jsonb_typeof(v)
                WHEN 'boolean' THEN (v #>> '{}')::boolean
                WHEN 'string' THEN CASE
                    WHEN lower(v #>> '{}') IN ('true', 't', 'yes', 'y', '1') THEN true
                    WHEN lower(v #>> '{}') IN ('false', 'f', 'no', 'n', '0') THEN false END
                WHEN 'number' THEN CASE v #>> '{}' WHEN '1' THEN true WHEN '0' THEN false END
            END
        $$;
        CREATE FUNCTION makini.jsonb_to_timestamptz(v jsonb) RETURNS timestamptz LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
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
        COMMENT ON FUNCTION makini.jsonb_to_numeric(jsonb) IS 'A JSON number or numeric string as numeric; NULL when it is not one (as makini-sync''s mapper converts).';
        COMMENT ON FUNCTION makini.jsonb_to_timestamptz(jsonb) IS 'An ISO-8601 date-time or date string as timestamptz; NULL when it is not one (as makini-sync''s mapper converts).';

        """
}
