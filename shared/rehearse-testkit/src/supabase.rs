//! A database prepared the way Supabase prepares one, so the migrations and the
//! whole suite run against what they will meet there: the API roles, the
//! `authenticator` role PostgREST logs in as, an `auth` schema that belongs to
//! Supabase with its `auth.uid()`, and default privileges that grant the API
//! roles everything created in `public`.

/// Cluster-wide: the roles. `anon` and `authenticated` already exist (the
/// migrations of the plain database made them, as they would on plain Postgres).
pub(crate) const ROLES_SQL: &str = "
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN
        CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticator') THEN
        CREATE ROLE authenticator LOGIN NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'supabase_auth_admin') THEN
        CREATE ROLE supabase_auth_admin NOLOGIN NOINHERIT;
    END IF;
END
$roles$;
GRANT anon, authenticated, service_role TO authenticator;";

/// Per database, before the first migration: Supabase's `auth` schema and the
/// default privileges of the role that runs migrations (`postgres`).
pub(crate) const DATABASE_SQL: &str = "
CREATE SCHEMA auth AUTHORIZATION supabase_auth_admin;
CREATE FUNCTION auth.uid() RETURNS uuid
    LANGUAGE sql STABLE
    AS $fn$
    SELECT coalesce(
        nullif(current_setting('request.jwt.claim.sub', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
    )::uuid
$fn$;
ALTER FUNCTION auth.uid() OWNER TO supabase_auth_admin;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION auth.uid() TO anon, authenticated, service_role;
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;";
