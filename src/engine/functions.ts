/**
 * SQL functions ccql adds to the engine so that queries written for StackQL's SQLite dialect
 * keep working next to Postgres' own jsonb operators. They live in the schema `ccql` (on both
 * engines), which every engine session has on its search_path (`"$user", public, ccql`), so that
 * user SQL finds them by their bare names and a user's own function of the same name in public
 * comes first.
 *
 * `ccql.version()` returns FUNCTIONS_VERSION: a PostgreSQL server shared by several ccql
 * processes gets them installed (or upgraded) once, under an advisory lock, by the first process
 * that finds an older version or none. Bump FUNCTIONS_VERSION with any change below.
 *
 * `json_extract(doc, '$.a.b[0]')` follows SQLite: `$` is the document, `.key` or `."key"` a
 * member, `[n]` an array element (`[#-1]` the last one); a scalar comes back as text (strings
 * unquoted), an object or array as its JSON text, JSON null or a missing path as NULL.
 *
 * The others, as SQLite (and so StackQL) has them:
 * - `json_array_length(doc [, path])`: the length of an array, 0 for any other value, NULL for NULL.
 * - `json_each(doc [, path])`, a table function: one row per array element or object member
 *   with SQLite's columns `key` (the member name, or the element's index as text), `value`
 *   (jsonb), `type` (null, true, false, integer, real, text, array, object), `atom` (a scalar
 *   as text, NULL for arrays and objects), `id`, `parent`, `fullkey`, `path`. A scalar
 *   document is one row with key NULL. Postgres' own json_each(json) stays for json values.
 * - `ifnull(a, b)`: coalesce of two values.
 * - `group_concat(x [, separator])`: the aggregate of the non-null values as text, joined by
 *   the separator (`,` when none is given); DISTINCT and ORDER BY work as for any aggregate.
 * - `string(x)`: x as text; a jsonb string without its quotes, an object or array as JSON text.
 *
 * Each takes jsonb (ccql's JSON columns), and text or json where Postgres would not convert.
 */
export const FUNCTIONS_VERSION = 2;

/** The schema that holds them. */
export const FUNCTIONS_SCHEMA = 'ccql';

/** The search_path every engine session starts with. */
export const SEARCH_PATH = '"$user", public, ccql';

export const FUNCTIONS_SQL = `
CREATE SCHEMA IF NOT EXISTS ccql;
COMMENT ON SCHEMA ccql IS 'functions of ccql (json_extract…), installed by ccql itself';
GRANT USAGE ON SCHEMA ccql TO PUBLIC;
CREATE OR REPLACE FUNCTION ccql.ccql_json_path(path text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT AS $fn$
DECLARE
  rest text;
  out text[] := '{}';
  m text[];
BEGIN
  IF left(path, 1) <> '$' THEN
    RAISE EXCEPTION 'JSON path must start with $: %', path USING ERRCODE = '22023';
  END IF;
  rest := substr(path, 2);
  WHILE rest <> '' LOOP
    m := regexp_match(rest, '^\\.("((?:[^"]|"")*)"|([^.\\[]+))');
    IF m IS NOT NULL THEN
      out := out || coalesce(replace(m[2], '""', '"'), m[3]);
      rest := substr(rest, length(m[1]) + 2);
      CONTINUE;
    END IF;
    m := regexp_match(rest, '^\\[(#-)?(\\d+)\\]');
    IF m IS NOT NULL THEN
      out := out || CASE WHEN m[1] IS NULL THEN m[2] ELSE '-' || m[2] END;
      rest := substr(rest, length(coalesce(m[1], '')) + length(m[2]) + 3);
      CONTINUE;
    END IF;
    RAISE EXCEPTION 'malformed JSON path: %', path USING ERRCODE = '22023';
  END LOOP;
  RETURN out;
END
$fn$;

CREATE OR REPLACE FUNCTION ccql.json_extract(doc jsonb, path text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE jsonb_typeof(v)
           WHEN 'object' THEN v::text
           WHEN 'array' THEN v::text
           WHEN 'null' THEN NULL
           ELSE v #>> '{}'
         END
  FROM (SELECT doc #> ccql.ccql_json_path(path) AS v) AS s
$fn$;

CREATE OR REPLACE FUNCTION ccql.json_extract(doc json, path text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$ SELECT ccql.json_extract(doc::jsonb, path) $fn$;

CREATE OR REPLACE FUNCTION ccql.json_extract(doc text, path text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$ SELECT ccql.json_extract(doc::jsonb, path) $fn$;

CREATE OR REPLACE FUNCTION ccql.string(v text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$ SELECT v $fn$;

CREATE OR REPLACE FUNCTION ccql.string(v jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE WHEN jsonb_typeof(v) IN ('object', 'array') THEN v::text ELSE v #>> '{}' END
$fn$;

CREATE OR REPLACE FUNCTION ccql.string(v anyelement) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$ SELECT v::text $fn$;

CREATE OR REPLACE FUNCTION ccql.ifnull(a anycompatible, b anycompatible) RETURNS anycompatible
LANGUAGE sql IMMUTABLE AS $fn$ SELECT coalesce(a, b) $fn$;

CREATE OR REPLACE FUNCTION ccql.ccql_group_concat(acc text, v text, sep text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v ELSE acc || coalesce(sep, '') || v END
$fn$;

CREATE OR REPLACE FUNCTION ccql.ccql_group_concat(acc text, v text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$ SELECT ccql.ccql_group_concat(acc, v, ',') $fn$;

CREATE OR REPLACE FUNCTION ccql.ccql_group_concat(acc text, v anyelement, sep text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$ SELECT ccql.ccql_group_concat(acc, ccql.string(v), sep) $fn$;

CREATE OR REPLACE FUNCTION ccql.ccql_group_concat(acc text, v anyelement) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$ SELECT ccql.ccql_group_concat(acc, ccql.string(v), ',') $fn$;

-- text first: a literal argument (unknown) resolves to it rather than failing as polymorphic.
CREATE OR REPLACE AGGREGATE ccql.group_concat(text) (SFUNC = ccql.ccql_group_concat, STYPE = text);
CREATE OR REPLACE AGGREGATE ccql.group_concat(text, text) (SFUNC = ccql.ccql_group_concat, STYPE = text);
CREATE OR REPLACE AGGREGATE ccql.group_concat(anyelement) (SFUNC = ccql.ccql_group_concat, STYPE = text);
CREATE OR REPLACE AGGREGATE ccql.group_concat(anyelement, text) (SFUNC = ccql.ccql_group_concat, STYPE = text);

CREATE OR REPLACE FUNCTION ccql.json_array_length(doc jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE WHEN doc IS NULL THEN NULL WHEN jsonb_typeof(doc) = 'array' THEN jsonb_array_length(doc) ELSE 0 END
$fn$;

CREATE OR REPLACE FUNCTION ccql.json_array_length(doc text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $fn$ SELECT ccql.json_array_length(doc::jsonb) $fn$;

CREATE OR REPLACE FUNCTION ccql.json_array_length(doc jsonb, path text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $fn$ SELECT ccql.json_array_length(doc #> ccql.ccql_json_path(path)) $fn$;

CREATE OR REPLACE FUNCTION ccql.json_array_length(doc json, path text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $fn$ SELECT ccql.json_array_length(doc::jsonb, path) $fn$;

CREATE OR REPLACE FUNCTION ccql.json_array_length(doc text, path text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $fn$ SELECT ccql.json_array_length(doc::jsonb, path) $fn$;

CREATE OR REPLACE FUNCTION ccql.ccql_json_type(v jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE jsonb_typeof(v)
           WHEN 'number' THEN CASE WHEN v::text ~ '^-?[0-9]+$' THEN 'integer' ELSE 'real' END
           WHEN 'boolean' THEN v::text
           WHEN 'string' THEN 'text'
           ELSE jsonb_typeof(v)
         END
$fn$;

CREATE OR REPLACE FUNCTION ccql.json_each(doc jsonb)
RETURNS TABLE (key text, value jsonb, type text, atom text, id bigint, parent bigint, fullkey text, path text)
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT e.k, e.v, ccql.ccql_json_type(e.v),
         CASE WHEN jsonb_typeof(e.v) IN ('object', 'array') THEN NULL ELSE e.v #>> '{}' END,
         e.n, NULL::bigint, e.fk, '$'
  FROM (
    -- jsonb_each and jsonb_array_elements raise on the other kind: each gets an empty stand-in.
    SELECT o.key AS k, o.value AS v, o.n,
           '$.' || CASE WHEN o.key ~ '^[A-Za-z_][A-Za-z0-9_]*$' THEN o.key ELSE '"' || replace(o.key, '"', '""') || '"' END AS fk
    FROM jsonb_each(CASE WHEN jsonb_typeof(doc) = 'object' THEN doc ELSE '{}'::jsonb END) WITH ORDINALITY AS o(key, value, n)
    UNION ALL
    SELECT (a.n - 1)::text, a.value, a.n, '$[' || (a.n - 1) || ']'
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(doc) = 'array' THEN doc ELSE '[]'::jsonb END) WITH ORDINALITY AS a(value, n)
    UNION ALL
    SELECT NULL, doc, 1, '$' WHERE jsonb_typeof(doc) NOT IN ('object', 'array')
  ) AS e
  ORDER BY e.n
$fn$;

CREATE OR REPLACE FUNCTION ccql.json_each(doc text)
RETURNS TABLE (key text, value jsonb, type text, atom text, id bigint, parent bigint, fullkey text, path text)
LANGUAGE sql IMMUTABLE AS $fn$ SELECT * FROM ccql.json_each(doc::jsonb) $fn$;

-- (The path argument cannot be called path: that is an output column.)
CREATE OR REPLACE FUNCTION ccql.json_each(doc jsonb, json_path text)
RETURNS TABLE (key text, value jsonb, type text, atom text, id bigint, parent bigint, fullkey text, path text)
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT e.key, e.value, e.type, e.atom, e.id, e.parent, json_path || substr(e.fullkey, 2), json_path
  FROM ccql.json_each(doc #> ccql.ccql_json_path(json_path)) AS e
$fn$;

CREATE OR REPLACE FUNCTION ccql.json_each(doc text, json_path text)
RETURNS TABLE (key text, value jsonb, type text, atom text, id bigint, parent bigint, fullkey text, path text)
LANGUAGE sql IMMUTABLE AS $fn$ SELECT * FROM ccql.json_each(doc::jsonb, json_path) $fn$;

CREATE OR REPLACE FUNCTION ccql.version() RETURNS integer
LANGUAGE sql IMMUTABLE AS $fn$ SELECT ${FUNCTIONS_VERSION} $fn$;
`;
