/**
 * SQL functions ccql adds to the engine so that queries written for StackQL's SQLite dialect
 * keep working next to Postgres' own jsonb operators.
 *
 * `json_extract(doc, '$.a.b[0]')` follows SQLite: `$` is the document, `.key` or `."key"` a
 * member, `[n]` an array element (`[#-1]` the last one); a scalar comes back as text (strings
 * unquoted), an object or array as its JSON text, JSON null or a missing path as NULL.
 */
export const FUNCTIONS_SQL = `
CREATE OR REPLACE FUNCTION public.ccql_json_path(path text) RETURNS text[]
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

CREATE OR REPLACE FUNCTION public.json_extract(doc jsonb, path text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE jsonb_typeof(v)
           WHEN 'object' THEN v::text
           WHEN 'array' THEN v::text
           WHEN 'null' THEN NULL
           ELSE v #>> '{}'
         END
  FROM (SELECT doc #> public.ccql_json_path(path) AS v) AS s
$fn$;

CREATE OR REPLACE FUNCTION public.json_extract(doc json, path text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$ SELECT public.json_extract(doc::jsonb, path) $fn$;

CREATE OR REPLACE FUNCTION public.json_extract(doc text, path text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$ SELECT public.json_extract(doc::jsonb, path) $fn$;
`;
