-- Issue 13 (OBLIGATIONS BEN-1, END-5): the anonymous sector benchmark.
--
-- Three layers, each with less in it than the one before:
--  1. benchmark_own (tenant table, row-level security): a customer's own aggregate per sector x key
--     type x quarter, and the random id of its contribution. This is the only link between a customer
--     and a contribution; it is a tenant table, so erase-key and the deletion at the end remove it.
--  2. benchmark_contributions (global, closed to peil_app): the same aggregates keyed by that random id
--     only. No tenant column, no time column: after the link is gone nothing ties a row to a customer
--     (END-5: anonymised aggregates may be kept).
--  3. benchmark_cell_stats (global, closed) holds each cell (sector x key type x quarter) computed once,
--     after its quarter closed; benchmark_cells (global, readable) is what is published from them under
--     the operator's current settings: published cells with their numbers, suppressed cells with
--     nothing but a reason. No contributor or customer id anywhere in 3.

-- Sectors: the operator's list; tenants.sector holds a code.
CREATE TABLE benchmark_sectors (
  code       text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  name_nl    text NOT NULL CHECK (length(name_nl) BETWEEN 1 AND 200),
  name_en    text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Existing free-text sectors become codes: lower case, runs of other characters one dash; the text as
-- it was becomes both names (the operator can rename). Empty values become NULL.
UPDATE tenants SET sector = NULL WHERE sector IS NOT NULL AND btrim(regexp_replace(lower(sector), '[^a-z0-9]+', '-', 'g'), '-') = '';
INSERT INTO benchmark_sectors (code, name_nl, name_en)
SELECT DISTINCT ON (code) code, left(btrim(sector), 200), left(btrim(sector), 200)
  FROM (SELECT sector, left(btrim(regexp_replace(lower(sector), '[^a-z0-9]+', '-', 'g'), '-'), 40) AS code
          FROM tenants WHERE sector IS NOT NULL) s
 ORDER BY code, sector;
UPDATE tenants SET sector = left(btrim(regexp_replace(lower(sector), '[^a-z0-9]+', '-', 'g'), '-'), 40) WHERE sector IS NOT NULL;

-- The disclosure rules (one row), set by the operator (audited in the system log).
CREATE TABLE benchmark_settings (
  id                     boolean PRIMARY KEY DEFAULT true CHECK (id),
  min_customers          integer NOT NULL DEFAULT 5 CHECK (min_customers BETWEEN 3 AND 1000),
  min_respondents        integer NOT NULL DEFAULT 100 CHECK (min_respondents BETWEEN 10 AND 1000000),
  dominance_one_percent  integer NOT NULL DEFAULT 50 CHECK (dominance_one_percent BETWEEN 10 AND 100),
  dominance_two_percent  integer NOT NULL DEFAULT 75 CHECK (dominance_two_percent BETWEEN 20 AND 100),
  quartile_min_customers integer NOT NULL DEFAULT 10 CHECK (quartile_min_customers BETWEEN 5 AND 1000),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CHECK (quartile_min_customers >= min_customers),
  CHECK (dominance_two_percent >= dominance_one_percent)
);
INSERT INTO benchmark_settings DEFAULT VALUES;

-- Contributions: counts[v + 1] = answers with score v (0..10; CSAT uses 1..5, CES 1..7).
-- percentile: this contribution's place in its cell, set when the cell is computed.
CREATE TABLE benchmark_contributions (
  id         uuid PRIMARY KEY,
  sector     text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('nps', 'enps', 'csat', 'ces')),
  period     text NOT NULL CHECK (period ~ '^[0-9]{4}-Q[1-4]$'),
  counts     integer[] NOT NULL CHECK (cardinality(counts) = 11),
  percentile integer
);
CREATE INDEX benchmark_contributions_cell ON benchmark_contributions (period, sector, kind);

-- The link (and the customer's own numbers, which are its own data). shielded: answers of
-- confidential or anonymous surveys in it (its own score is then not shown: a quarter is another cut
-- through answers that results release only in steps).
CREATE TABLE benchmark_own (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  contribution_id uuid NOT NULL,
  sector          text NOT NULL,
  kind            text NOT NULL,
  period          text NOT NULL,
  counts          integer[] NOT NULL,
  shielded        integer NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, contribution_id),
  UNIQUE (tenant_id, sector, kind, period)
);
ALTER TABLE benchmark_own ENABLE ROW LEVEL SECURITY;
ALTER TABLE benchmark_own FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON benchmark_own USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- Where the job stands per customer: answers submitted before processed_to are counted (NULL: none
-- yet, count from the beginning). A customer put in a sector by the operator starts at that moment, so
-- quarters that are already published never change (no differencing by joining).
CREATE TABLE benchmark_cursors (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  processed_to timestamptz,
  PRIMARY KEY (tenant_id)
);
ALTER TABLE benchmark_cursors ENABLE ROW LEVEL SECURITY;
ALTER TABLE benchmark_cursors FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON benchmark_cursors USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());
-- Customers that had a sector before this migration count from the beginning: nothing is published yet.
INSERT INTO benchmark_cursors (tenant_id, processed_to) SELECT id, NULL FROM tenants WHERE sector IS NOT NULL;

-- A cell as computed once, after its quarter closed (every contribution to it is final then).
CREATE TABLE benchmark_cell_stats (
  sector      text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('nps', 'enps', 'csat', 'ces')),
  period      text NOT NULL,
  customers   integer NOT NULL,
  respondents integer NOT NULL,
  top1        integer NOT NULL,
  top2        integer NOT NULL,
  value       double precision,
  margin      double precision,
  low         double precision,
  high        double precision,
  q1          double precision,
  median      double precision,
  q3          double precision,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sector, kind, period)
);

-- What is published: rebuilt from benchmark_cell_stats under the current settings.
CREATE TABLE benchmark_cells (
  sector      text NOT NULL,
  kind        text NOT NULL,
  period      text NOT NULL,
  published   boolean NOT NULL,
  customers   integer,
  respondents integer,
  value       double precision,
  margin      double precision,
  low         double precision,
  high        double precision,
  q1          double precision,
  median      double precision,
  q3          double precision,
  PRIMARY KEY (sector, kind, period),
  CHECK (published OR (customers IS NULL AND respondents IS NULL AND value IS NULL AND q1 IS NULL))
);

-- The percentile of the calling transaction's own contributions in published cells (the one column
-- of the closed contributions table a customer sees, only for its own rows, never in a suppressed cell).
CREATE FUNCTION peil_benchmark_percentiles()
  RETURNS TABLE (contribution_id uuid, percentile integer)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT c.id, c.percentile
      FROM public.benchmark_own o
      JOIN public.benchmark_contributions c ON c.id = o.contribution_id
      JOIN public.benchmark_cells p ON p.sector = c.sector AND p.kind = c.kind AND p.period = c.period AND p.published
     WHERE o.tenant_id = public.peil_current_tenant()
  $$;
REVOKE ALL ON FUNCTION peil_benchmark_percentiles() FROM PUBLIC;
