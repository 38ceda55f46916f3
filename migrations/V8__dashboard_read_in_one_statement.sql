-- The dashboard read in one statement: GET /api/db/dashboard sends
-- `SELECT rehearse_private.dashboard_served_as($user)` where until now it sent
-- two, the caller's id and role set first
-- (`SELECT set_config('request.jwt.claim.sub', ...), set_config('role', ...);`)
-- and then the read. Each statement of a simple-protocol message is parsed,
-- planned and answered on its own (a row description, a row and a completion
-- more on the wire); as one call the request costs ~14 µs less of ~245 µs on
-- the benchmark's stack (bench/dashboard.sh).
--
-- Nothing about who may read what changes. The function does what the
-- functions' `Db::read_text_as_user` prefix did, in the same transaction: it
-- sets the caller's id (transaction-local) and switches to `rehearse_user`,
-- then calls V7's read, which from there runs as `rehearse_user` under
-- user_dashboards' row-level security, exactly as before. It runs with its
-- caller's rights (SECURITY INVOKER: a SECURITY DEFINER function may not
-- switch roles), so only a login that may already become `rehearse_user` (a
-- member of it: the functions' own login, V5) can use it, and only that login
-- may execute it: nobody else is granted it, `rehearse_user` included, and
-- `rehearse_private` is not a schema the Data API serves. Both settings end
-- with the statement's implicit transaction, as before.
--
-- Returns NULL (the route answers 500, as for a missing row before) if the
-- role did not switch, so it never reads as the connection's own role; and
-- for a NULL id (STRICT: never called), where set_config would reset the
-- caller's id instead of setting it.
--
-- The login that runs the migrations owns it and so may execute it: the
-- functions log in as that role (V5 makes it a member of rehearse_user). A
-- deployment whose functions log in as another role grants that role EXECUTE
-- on it, as it grants it rehearse_user.
--
-- No SET clause (search_path), as V6: it would add a configuration save and
-- restore to every call; every name in it is qualified.
--
-- V7's `rehearse_dashboard_served_read` stays (it is what runs inside, and the
-- release before this one calls it directly).
--
-- Forward-only: never edit this file once applied anywhere; add V9__... instead.
-- Idempotent, on plain Postgres and on a Supabase database.

CREATE OR REPLACE FUNCTION rehearse_private.dashboard_served_as(uid uuid) RETURNS text
    LANGUAGE plpgsql
    VOLATILE
    STRICT
    AS $fn$
BEGIN
    PERFORM pg_catalog.set_config('request.jwt.claim.sub', uid::text, true),
            pg_catalog.set_config('role', 'rehearse_user', true);
    IF pg_catalog.current_setting('role') <> 'rehearse_user' THEN
        RETURN NULL;
    END IF;
    RETURN public.rehearse_dashboard_served_read(uid);
END
$fn$;

REVOKE ALL ON FUNCTION rehearse_private.dashboard_served_as(uuid) FROM PUBLIC, anon, authenticated;
