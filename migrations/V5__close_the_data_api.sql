-- Nothing of Rehearse's writable through Supabase's Data API, nothing readable by
-- `anon` (docs/deploy.md, "The Data API"), and a private schema for what no API
-- role may ever see (the migration history, moved there by rehearse-db before
-- this runs, and the request quotas).
--
-- Supabase serves every table and function of `public` to anyone holding the
-- project's anon key (as role `anon`) or a user's access token (as role
-- `authenticated`), and by default grants both ALL on every new table and
-- function there. Until this migration the functions themselves ran a signed-in
-- request as `authenticated`, so that role needed INSERT/UPDATE/DELETE, and a
-- user could rewrite their own scores and live session state through the Data
-- API, skipping every check the functions make.
--
-- From here the functions become `rehearse_user`: a role of our own with the same
-- row-level security, which Supabase's `authenticator` (the role PostgREST logs
-- in as and switches from) is not a member of, so no API request can become it.
-- `authenticated` keeps SELECT on the user's own rows (row-level security
-- guards them): a client may read its history through the Data API as it could
-- through the functions, and can change nothing. `anon` keeps nothing.
--
-- Forward-only: never edit this file once applied anywhere; add V6__... instead.
-- Idempotent, on plain Postgres (tests, local stack, RDS) and on a database
-- where Supabase's default grants already exist.

-- ---------------------------------------------------------------------------
-- The functions' role
-- ---------------------------------------------------------------------------

DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rehearse_user') THEN
        CREATE ROLE rehearse_user NOLOGIN NOINHERIT;
    END IF;
    -- The connection's role switches to it per transaction (SET LOCAL ROLE); a
    -- superuser may always do that, a managed-database admin needs the membership.
    IF NOT pg_has_role(current_user, 'rehearse_user', 'MEMBER') THEN
        BEGIN
            EXECUTE format('GRANT rehearse_user TO %I', current_user);
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE WARNING 'could not grant role rehearse_user to %: signed-in queries will fail until an admin does', current_user;
        END;
    END IF;
END
$roles$;

CREATE SCHEMA IF NOT EXISTS rehearse_private;
REVOKE ALL ON SCHEMA rehearse_private FROM PUBLIC, anon, authenticated;

-- The caller's id for the policies below, from the transaction-local claims the
-- functions set. Our own copy of auth.uid()'s definition: on Supabase the auth
-- schema belongs to Supabase's roles, and what they grant on it is theirs to
-- change; our policies must not depend on it.
CREATE OR REPLACE FUNCTION rehearse_private.caller_id() RETURNS uuid
    LANGUAGE sql
    STABLE
    AS $fn$
    SELECT coalesce(
        nullif(current_setting('request.jwt.claim.sub', true), ''),
        nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'
    )::uuid
$fn$;

REVOKE ALL ON FUNCTION rehearse_private.caller_id() FROM PUBLIC;
GRANT USAGE ON SCHEMA rehearse_private TO rehearse_user;
GRANT EXECUTE ON FUNCTION rehearse_private.caller_id() TO rehearse_user;

-- ---------------------------------------------------------------------------
-- Privileges: revoke everything the API roles have on our tables, then grant
-- back exactly what each role needs.
-- ---------------------------------------------------------------------------

REVOKE ALL ON
    public.user_profiles,
    public.resumes,
    public.interview_sessions,
    public.interview_answers,
    public.interview_statistics,
    public.user_dashboards,
    public.storage_deletions
    FROM PUBLIC, anon, authenticated;

GRANT USAGE ON SCHEMA public TO rehearse_user;
GRANT SELECT, INSERT, UPDATE, DELETE ON
    public.user_profiles,
    public.resumes,
    public.interview_sessions,
    public.interview_answers,
    public.interview_statistics
    TO rehearse_user;
GRANT SELECT ON public.user_dashboards TO rehearse_user;

GRANT SELECT ON
    public.user_profiles,
    public.resumes,
    public.interview_answers,
    public.interview_statistics,
    public.user_dashboards
    TO authenticated;

-- A live session's plan (`questions`, with each question's answer key) and the
-- engine's running notes stay with the functions: every other column of the
-- user's own sessions is readable.
DO $session_columns$
DECLARE
    cols text;
BEGIN
    SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
      INTO cols
      FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = 'interview_sessions'
       AND column_name NOT IN ('questions', 'engine_state');
    EXECUTE format('GRANT SELECT (%s) ON public.interview_sessions TO authenticated', cols);
END
$session_columns$;

-- ---------------------------------------------------------------------------
-- Row-level security: the owner policies move to rehearse_user; authenticated
-- gets read-only twins. Same predicate, evaluated once per statement.
-- ---------------------------------------------------------------------------

DO $policies$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT * FROM (VALUES
            ('user_profiles', 'id'),
            ('resumes', 'user_id'),
            ('interview_sessions', 'user_id'),
            ('interview_answers', 'user_id'),
            ('interview_statistics', 'user_id')
        ) AS v(tab, owner_col)
    LOOP
        EXECUTE format('DROP POLICY IF EXISTS %I ON public.%I', t.tab || '_owner', t.tab);
        EXECUTE format('DROP POLICY IF EXISTS %I ON public.%I', t.tab || '_owner_read', t.tab);
        EXECUTE format(
            'CREATE POLICY %I ON public.%I FOR ALL TO rehearse_user
                 USING ((select rehearse_private.caller_id()) = %I)
                 WITH CHECK ((select rehearse_private.caller_id()) = %I)',
            t.tab || '_owner', t.tab, t.owner_col, t.owner_col);
        EXECUTE format(
            'CREATE POLICY %I ON public.%I FOR SELECT TO authenticated
                 USING ((select auth.uid()) = %I)',
            t.tab || '_owner_read', t.tab, t.owner_col);
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t.tab);
    END LOOP;
END
$policies$;

DROP POLICY IF EXISTS user_dashboards_owner_read ON public.user_dashboards;
DROP POLICY IF EXISTS user_dashboards_owner ON public.user_dashboards;
CREATE POLICY user_dashboards_owner ON public.user_dashboards
    FOR SELECT TO rehearse_user
    USING ((select rehearse_private.caller_id()) = user_id);
CREATE POLICY user_dashboards_owner_read ON public.user_dashboards
    FOR SELECT TO authenticated
    USING ((select auth.uid()) = user_id);

-- ---------------------------------------------------------------------------
-- Functions: none of ours is callable through the Data API (`/rpc`), nor by
-- PUBLIC. The shape functions run with the caller's rights and are granted to
-- the functions' role, which calls them; the SECURITY DEFINER ones run only as
-- triggers (a trigger's function is not checked for EXECUTE when it fires).
-- ---------------------------------------------------------------------------

DO $functions$
DECLARE
    f record;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure AS sig, p.prosecdef AS definer,
               p.prorettype = 'trigger'::regtype AS is_trigger
          FROM pg_proc p
          JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public' AND p.proname LIKE 'rehearse\_%'
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated', f.sig);
        IF NOT f.definer AND NOT f.is_trigger THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO rehearse_user', f.sig);
        END IF;
    END LOOP;
END
$functions$;

-- What this role creates in `public` from now on is not served to the API roles
-- either (Supabase's defaults would grant them ALL on every new table and
-- function). Only the defaults of the role running the migrations change.
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM anon, authenticated;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM anon, authenticated;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON FUNCTIONS FROM anon, authenticated;

-- ---------------------------------------------------------------------------
-- Request quotas (docs/deploy.md, "Quotas"): one row per subject (a source
-- address or a user), bucket (a group of costly routes) and fixed window. The
-- functions count a request with one upsert on their own connection role; the
-- sweeper deletes windows that have ended. Nothing but that role can read it:
-- addresses are personal data.
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS rehearse_private.request_quotas (
    subject      text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 100),
    bucket       text NOT NULL CHECK (char_length(bucket) BETWEEN 1 AND 40),
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL,
    hits         integer NOT NULL DEFAULT 1 CHECK (hits >= 0),
    PRIMARY KEY (subject, bucket, window_start)
);

CREATE INDEX IF NOT EXISTS request_quotas_window_end_idx
    ON rehearse_private.request_quotas (window_end);

REVOKE ALL ON rehearse_private.request_quotas FROM PUBLIC, anon, authenticated;
