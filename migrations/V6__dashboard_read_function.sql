-- The dashboard read as a function: GET /api/db/dashboard runs
-- `SELECT public.rehearse_dashboard_read($user)` as rehearse_user.
--
-- The same primary-key lookup sent as a plain statement is parsed, planned
-- and has its row-level security policy expanded (an SQL function inlined
-- into it) on every request: about 60 µs more than the lookup itself on the
-- benchmark's stack (bench/dashboard.sh). PL/pgSQL keeps the plan of the
-- statement inside it for the life of the connection, so a request pays for
-- executing it only. Nothing about who may read what changes: the function
-- runs with the caller's rights (SECURITY INVOKER), the lookup inside it is
-- under user_dashboards' policy as before, and only rehearse_user may call it.
-- A cached plan is re-planned when the role running it changes, so it never
-- carries one role's row-level security to another.
--
-- No SET clause (search_path): it would run every call through the function
-- manager's configuration save and restore; every name in it is qualified.
--
-- Forward-only: never edit this file once applied anywhere; add V7__... instead.
-- Idempotent, on plain Postgres and on a Supabase database.

CREATE OR REPLACE FUNCTION public.rehearse_dashboard_read(uid uuid) RETURNS json
    LANGUAGE plpgsql
    STABLE
    AS $fn$
DECLARE
    stored json;
BEGIN
    SELECT d.document INTO stored FROM public.user_dashboards AS d WHERE d.user_id = uid;
    IF FOUND THEN
        RETURN stored;
    END IF;
    -- A user who never wrote anything has no row: nothing to read, so cheap.
    RETURN public.rehearse_dashboard_document(uid)::json;
END
$fn$;

REVOKE ALL ON FUNCTION public.rehearse_dashboard_read(uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.rehearse_dashboard_read(uuid) TO rehearse_user;
