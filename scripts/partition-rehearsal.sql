-- Convert Aksi's big tables to tables partitioned by year (PostgreSQL 15+).
-- Rehearsed by scripts/partition-rehearsal.sh; explained in docs/scale-out.md ("Partitioning").
--
--   reporting_coveragevalue        RANGE (period)      one partition per year: ['2025', '2026')
--   analytics_coveragerollup       RANGE (period)      idem
--   reporting_coveragevaluechange  RANGE (changed_at)  one partition per calendar year (WIB)
--
-- Why RANGE on `period` itself and no `year` column: every period code starts with its year
-- ("2025", "2025S1", "2025Q3", "202507"), so all codes of 2025 sort in ['2025', '2026'). The
-- partition key must be part of every unique constraint and of the primary key: the
-- (indicator, region, period) uniques already contain `period`, and the primary key becomes
-- (id, period). A generated `year` column cannot be a partition key, and an expression key
-- (substr(period, 1, 4)) cannot carry a unique constraint at all.
--
-- Consequences (see the document for what Django needs):
--   * No foreign key can point at coveragevalue(id) any more (id alone is not unique in the
--     database's eyes): the history's value_id FK is dropped; Django keeps the relation
--     (ForeignKey(db_constraint=False)) and its ORM cascade; the services stay the only writers.
--   * `LIKE` does not copy the identity: `id` takes its default from a sequence owned by the
--     column (what Django's old `serial` columns were), set past the highest copied id.
--   * A DEFAULT partition catches a period outside the prepared years instead of failing
--     the write; `aksi_year_partitions_ensure` creates next year's partition ahead of time.
--
-- Each table is converted in its own transaction, with the table locked: reads and writes of
-- that table wait for the copy (the timings in the document give the downtime).

\set ON_ERROR_STOP on

CREATE OR REPLACE FUNCTION aksi_year_bounds(kind text, y int) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE kind
        WHEN 'period' THEN ARRAY[quote_literal(y::text), quote_literal((y + 1)::text)]
        ELSE ARRAY[quote_literal(format('%s-01-01 00:00:00+07', y)),
                   quote_literal(format('%s-01-01 00:00:00+07', y + 1))]
    END
$$;

-- Create the yearly partitions [from_year, to_year] that do not exist yet.
CREATE OR REPLACE FUNCTION aksi_year_partitions_ensure(
    parent text, kind text, from_year int, to_year int
) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    y int;
    made int := 0;
    bounds text[];
BEGIN
    FOR y IN from_year..to_year LOOP
        IF to_regclass(format('%s_y%s', parent, y)) IS NULL THEN
            bounds := aksi_year_bounds(kind, y);
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s)',
                           format('%s_y%s', parent, y), parent, bounds[1], bounds[2]);
            made := made + 1;
        END IF;
    END LOOP;
    RETURN made;
END $$;

-- Rebuild `tbl` as a table partitioned by year of `key_col` (kind 'period' or 'timestamp'),
-- keeping its columns, defaults, checks, indexes, unique constraints and outgoing foreign
-- keys under their Django names. Foreign keys that pointed at `tbl` are dropped and reported.
CREATE OR REPLACE FUNCTION aksi_partition_by_year(
    tbl text, key_col text, kind text, ahead int DEFAULT 2
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    old text := tbl || '_unpartitioned';
    seq text := tbl || '_id_seq';
    r record;
    min_year int;
    max_year int;
    rows_copied bigint;
    started timestamptz;
BEGIN
    IF (SELECT relkind FROM pg_class WHERE oid = tbl::regclass) = 'p' THEN
        RAISE NOTICE '% is already partitioned', tbl;
        RETURN;
    END IF;
    EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', tbl);

    -- What to recreate, captured before anything moves.
    CREATE TEMP TABLE aksi_defs ON COMMIT DROP AS
        SELECT 'index' AS what, i.relname::text AS name, pg_get_indexdef(i.oid) AS def
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = tbl::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
        UNION ALL
        SELECT CASE contype WHEN 'u' THEN 'unique' ELSE 'fk' END, conname::text,
               pg_get_constraintdef(oid)
        FROM pg_constraint WHERE conrelid = tbl::regclass AND contype IN ('u', 'f')
        UNION ALL
        SELECT 'incoming', conname::text,
               format('%s: %s', conrelid::regclass, pg_get_constraintdef(oid))
        FROM pg_constraint
        WHERE confrelid = tbl::regclass AND contype = 'f' AND conparentid = 0;

    FOR r IN SELECT * FROM aksi_defs WHERE what = 'incoming' LOOP
        RAISE NOTICE 'dropping foreign key % (%): the partitioned table''s id is not unique alone',
            r.name, r.def;
    END LOOP;

    EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, old);
    -- Checks and defaults come along; the identity does not (a sequence replaces it below).
    EXECUTE format(
        'CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)'
        ' PARTITION BY RANGE (%I)', tbl, old, key_col);
    EXECUTE format('SELECT min(substr(%1$I::text, 1, 4)::int), max(substr(%1$I::text, 1, 4)::int)'
                   ' FROM %2$I', key_col, old) INTO min_year, max_year;
    min_year := coalesce(min_year, extract(year FROM now())::int);
    max_year := greatest(coalesce(max_year, min_year), extract(year FROM now())::int) + ahead;
    PERFORM aksi_year_partitions_ensure(tbl, kind, min_year, max_year);
    EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', tbl || '_default', tbl);

    started := clock_timestamp();
    EXECUTE format('INSERT INTO %I SELECT * FROM %I', tbl, old);
    GET DIAGNOSTICS rows_copied = ROW_COUNT;
    RAISE NOTICE '%: % rows copied into % yearly partitions (%-%) in %', tbl, rows_copied,
        max_year - min_year + 1, min_year, max_year, clock_timestamp() - started;

    EXECUTE format('DROP TABLE %I CASCADE', old);
    EXECUTE format('CREATE SEQUENCE %I OWNED BY %I.id', seq, tbl);
    EXECUTE format('SELECT setval(%L, coalesce((SELECT max(id) FROM %I), 0) + 1, false)', seq, tbl);
    EXECUTE format('ALTER TABLE %I ALTER COLUMN id SET DEFAULT nextval(%L)', tbl, seq);

    started := clock_timestamp();
    -- The partition key joins the primary key: Django still sees `id` as the primary key.
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (id, %I)',
                   tbl, tbl || '_pkey', key_col);
    FOR r IN SELECT * FROM aksi_defs WHERE what IN ('unique', 'fk') ORDER BY what DESC LOOP
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', tbl, r.name, r.def);
    END LOOP;
    FOR r IN SELECT * FROM aksi_defs WHERE what = 'index' LOOP
        -- Captured before the rename: the definition already names the new table.
        EXECUTE r.def;
    END LOOP;
    RAISE NOTICE '%: keys, constraints and indexes rebuilt in %', tbl, clock_timestamp() - started;
    DROP TABLE aksi_defs;
END $$;

\timing on
\echo '-- reporting_coveragevaluechange (history, by changed_at)'
BEGIN;
SELECT aksi_partition_by_year('reporting_coveragevaluechange', 'changed_at', 'timestamp');
COMMIT;
\echo '-- reporting_coveragevalue (by period)'
BEGIN;
SELECT aksi_partition_by_year('reporting_coveragevalue', 'period', 'period');
COMMIT;
\echo '-- analytics_coveragerollup (by period)'
BEGIN;
SELECT aksi_partition_by_year('analytics_coveragerollup', 'period', 'period');
COMMIT;
\echo '-- statistics for the planner'
ANALYZE reporting_coveragevalue, reporting_coveragevaluechange, analytics_coveragerollup;
\timing off
