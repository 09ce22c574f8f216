namespace Desk.Web.Data.Postgres;

/// <summary>SQL every PostgreSQL desk needs apart from a feature's own.</summary>
public static class PostgresSql
{
    /// <summary>
    /// Moves every identity column's sequence past the highest id in its table: rows written with explicit ids (the
    /// model's seed data, the demo load's COPY) do not advance it, and the next generated id would collide.
    /// </summary>
    public const string ResetIdentitySequences = """
        DO $fn$
        DECLARE c record;
        BEGIN
            FOR c IN SELECT a.attrelid::regclass AS tbl, a.attname AS col, pg_get_serial_sequence(a.attrelid::regclass::text, a.attname) AS seq
                     FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid JOIN pg_namespace n ON n.oid = r.relnamespace
                     WHERE a.attidentity <> '' AND n.nspname = current_schema() AND r.relkind = 'r'
            LOOP
                EXECUTE format('SELECT setval(%L, GREATEST(COALESCE((SELECT MAX(%I) FROM %s), 0), 1), (SELECT MAX(%I) FROM %s) IS NOT NULL)',
                    c.seq, c.col, c.tbl, c.col, c.tbl);
            END LOOP;
        END $fn$;
        """;
}
