-- The dashboard as the route serves it, kept beside the document: GET
-- /api/db/dashboard reads `served` and only splices the presigned URLs in.
--
-- Until V6 the function read the stored document, parsed it (serde_json),
-- replaced each resume's `storage_path` by a presigned `file_url`, added
-- `success` and wrote it out again: ~40 µs of the request, as much as the
-- database's whole share above `SELECT 1` (bench/dashboard.sh). `served` is
-- that response already written, computed once when the document changes (a
-- stored generated column, so every writer of `document` keeps it in step and
-- nothing else changes): `{"success": true, "resumes": [...], <the rest of the
-- document>}`, each resume with `"file_url": <U+0001><key><U+0001>` (or
-- `null` without a file) in place of `storage_path`. U+0001 cannot occur in
-- JSON text as Postgres writes it (control characters inside strings are
-- escaped as \u0001) nor in a key (checked here), so the function only splits
-- on it, presigns every second piece and writes the pieces back: no parse.
--
-- `document` stays as it was for the Data API's owner reads (docs/deploy.md)
-- and for checks, and so does `rehearse_dashboard_read` (V6): the release
-- before this one keeps working against this schema (a deploy runs the
-- migrations before it updates the functions, and a rollback keeps them).
-- The new read is `rehearse_dashboard_served_read`.
--
-- `served` is STORED: a later change of `rehearse_dashboard_served` must also
-- recompute the rows (`UPDATE public.user_dashboards SET document = document`).
-- The documents are the ones V2/V4's `rehearse_dashboard_document` builds (an
-- object whose `resumes` is an array of objects); anything else still comes
-- out as JSON: a `resumes` that is not an array is left out, an entry that is
-- not an object is written as it is.
--
-- Forward-only: never edit this file once applied anywhere; add V8__... instead.
-- Idempotent, on plain Postgres and on a Supabase database.

-- IMMUTABLE (it reads nothing but its argument), as a generated column needs.
-- No SET clause: a generated column's expression is run for every row written,
-- and the function runs as the writer; every name in it is qualified.
CREATE OR REPLACE FUNCTION public.rehearse_dashboard_served(document json) RETURNS text
    LANGUAGE sql
    IMMUTABLE
    PARALLEL SAFE
    AS $fn$
    SELECT '{"success": true'
        || CASE WHEN pg_catalog.jsonb_typeof(d.doc -> 'resumes') = 'array' THEN
               ', "resumes": [' || coalesce((
                   SELECT pg_catalog.string_agg(
                       CASE WHEN pg_catalog.jsonb_typeof(e.r) <> 'object' THEN e.r::text
                            ELSE CASE WHEN (e.r - 'storage_path' - 'file_url') = '{}'::jsonb THEN '{'
                                      ELSE pg_catalog.left((e.r - 'storage_path' - 'file_url')::text, -1) || ', '
                                 END
                                 || '"file_url": '
                                 || CASE WHEN pg_catalog.jsonb_typeof(e.r -> 'storage_path') = 'string'
                                          AND pg_catalog.strpos(e.r ->> 'storage_path', pg_catalog.chr(1)) = 0
                                          AND (e.r ->> 'storage_path') <> ''
                                         THEN pg_catalog.chr(1) || (e.r ->> 'storage_path') || pg_catalog.chr(1)
                                         ELSE 'null'
                                    END
                                 || '}'
                       END,
                       ', ' ORDER BY e.i)
                     FROM pg_catalog.jsonb_array_elements(d.doc -> 'resumes') WITH ORDINALITY AS e(r, i)),
                   '') || ']'
           ELSE ''
           END
        || CASE WHEN pg_catalog.jsonb_typeof(d.doc) <> 'object' THEN '}'
                WHEN (d.doc - 'resumes' - 'success') = '{}'::jsonb THEN '}'
                ELSE ', ' || pg_catalog.substr((d.doc - 'resumes' - 'success')::text, 2)
           END
      FROM (SELECT document::jsonb AS doc) AS d
$fn$;

REVOKE ALL ON FUNCTION public.rehearse_dashboard_served(json) FROM PUBLIC, anon, authenticated;
-- The read below computes it for a user who has no stored row yet.
GRANT EXECUTE ON FUNCTION public.rehearse_dashboard_served(json) TO rehearse_user;

ALTER TABLE public.user_dashboards
    ADD COLUMN IF NOT EXISTS served text
    GENERATED ALWAYS AS (public.rehearse_dashboard_served(document)) STORED;

-- The read of the served text, as V6's read of the document (which stays for
-- the release before this one).
CREATE OR REPLACE FUNCTION public.rehearse_dashboard_served_read(uid uuid) RETURNS text
    LANGUAGE plpgsql
    STABLE
    AS $fn$
DECLARE
    text_out text;
BEGIN
    SELECT d.served INTO text_out FROM public.user_dashboards AS d WHERE d.user_id = uid;
    IF FOUND THEN
        RETURN text_out;
    END IF;
    -- A user who never wrote anything has no row: nothing to read, so cheap.
    RETURN public.rehearse_dashboard_served(public.rehearse_dashboard_document(uid)::json);
END
$fn$;

REVOKE ALL ON FUNCTION public.rehearse_dashboard_served_read(uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.rehearse_dashboard_served_read(uuid) TO rehearse_user;
