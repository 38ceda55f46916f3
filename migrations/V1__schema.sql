-- Rehearse schema, version 1: the five user-owned tables, the live-session columns,
-- row-level security, and the Supabase pieces a plain Postgres lacks.
--
-- Forward-only: never edit this file once applied anywhere; add V2__... instead.
-- Must apply both to a plain Postgres 15+ (tests, local stack, RDS) and to a Supabase
-- database, where the auth schema, auth.uid() and the roles already exist and belong
-- to Supabase: those are created only when missing and never replaced.

-- ---------------------------------------------------------------------------
-- Supabase compatibility
-- ---------------------------------------------------------------------------

DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
        CREATE ROLE anon NOLOGIN NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
        CREATE ROLE authenticated NOLOGIN NOINHERIT;
    END IF;
    -- The functions connect as the database owner and, for a signed-in request,
    -- `SET LOCAL ROLE authenticated` so row-level security applies. A superuser may
    -- always do that; a managed-database admin (RDS) needs the membership.
    IF NOT pg_has_role(current_user, 'authenticated', 'MEMBER') THEN
        BEGIN
            EXECUTE format('GRANT authenticated TO %I', current_user);
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE WARNING 'could not grant role authenticated to %: signed-in queries will fail until an admin does', current_user;
        END;
    END IF;
END
$roles$;

CREATE SCHEMA IF NOT EXISTS auth;

DO $uid$
BEGIN
    IF NOT EXISTS (
        SELECT 1
        FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'auth' AND p.proname = 'uid'
    ) THEN
        -- Supabase's own definition: the caller's id from the transaction-local JWT
        -- claims that the functions set before running a signed-in request's queries.
        -- nullif(...,'') because a custom setting reads as '' (not NULL) once a
        -- transaction that set it locally has ended.
        CREATE FUNCTION auth.uid() RETURNS uuid
            LANGUAGE sql STABLE
            AS $fn$
                SELECT coalesce(
                    nullif(current_setting('request.jwt.claim.sub', true), ''),
                    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'
                )::uuid
            $fn$;
        GRANT USAGE ON SCHEMA auth TO anon, authenticated;
        GRANT EXECUTE ON FUNCTION auth.uid() TO anon, authenticated;
    END IF;
END
$uid$;

-- ---------------------------------------------------------------------------
-- Shared trigger functions
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION public.rehearse_set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $fn$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$fn$;

-- ---------------------------------------------------------------------------
-- user_profiles: one row per user, id = the token's `sub`.
-- Deleting it cascades to everything the user owns.
-- ---------------------------------------------------------------------------

CREATE TABLE public.user_profiles (
    id               uuid PRIMARY KEY,
    full_name        text CHECK (char_length(full_name) <= 200),
    email            text CHECK (char_length(email) <= 320),
    phone            text CHECK (char_length(phone) <= 40),
    experience_level text CHECK (char_length(experience_level) <= 40),
    avatar_url       text CHECK (char_length(avatar_url) <= 2048),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------------------
-- resumes: the parsed profile, and where the PDF lives in the bucket
-- (`file_url` is never stored: it is presigned on every read).
-- ---------------------------------------------------------------------------

CREATE TABLE public.resumes (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid NOT NULL REFERENCES public.user_profiles (id) ON DELETE CASCADE,
    file_name        text NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 255),
    -- NULL for a resume created from JSON (no file was uploaded).
    storage_path     text UNIQUE CHECK (char_length(storage_path) <= 1024),
    file_size_bytes  bigint CHECK (file_size_bytes >= 0),
    content_type     text,
    parsed_json      jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(parsed_json) = 'object'),
    skills           text[] NOT NULL DEFAULT '{}',
    experience_years numeric(4, 1) CHECK (experience_years >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX resumes_user_id_created_at_idx ON public.resumes (user_id, created_at DESC);

-- ---------------------------------------------------------------------------
-- interview_sessions: one row from the moment a session is created, anonymous
-- ones included (user_id NULL), holding everything the live interview needs.
-- ---------------------------------------------------------------------------

CREATE TABLE public.interview_sessions (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                uuid REFERENCES public.user_profiles (id) ON DELETE CASCADE,
    resume_id              uuid REFERENCES public.resumes (id) ON DELETE SET NULL,
    target_role            text NOT NULL CHECK (char_length(target_role) BETWEEN 1 AND 200),
    experience_level       text NOT NULL CHECK (char_length(experience_level) BETWEEN 1 AND 40),
    interview_type         text NOT NULL CHECK (char_length(interview_type) BETWEEN 1 AND 40),
    company                text CHECK (char_length(company) <= 200),
    job_description        text CHECK (char_length(job_description) <= 20000),
    mode                   text NOT NULL CHECK (mode IN ('standard', 'conversational')),
    status                 text NOT NULL DEFAULT 'in_progress'
                               CHECK (status IN ('in_progress', 'completed', 'abandoned')),
    -- Live interview: the resume the questions were drawn from, the generated
    -- questions, the position (the compare-and-set target of every answer or skip)
    -- and the engine's conversational state (follow-ups, running notes).
    resume_snapshot        jsonb CHECK (jsonb_typeof(resume_snapshot) = 'object'),
    questions              jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(questions) = 'array'),
    current_question_index integer NOT NULL DEFAULT 0 CHECK (current_question_index >= 0),
    total_questions        integer NOT NULL CHECK (total_questions BETWEEN 1 AND 50),
    engine_state           jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(engine_state) = 'object'),
    questions_answered     integer NOT NULL DEFAULT 0 CHECK (questions_answered >= 0),
    questions_skipped      integer NOT NULL DEFAULT 0 CHECK (questions_skipped >= 0),
    started_at             timestamptz NOT NULL DEFAULT now(),
    last_activity_at       timestamptz NOT NULL DEFAULT now(),
    completed_at           timestamptz,
    total_time_seconds     integer CHECK (total_time_seconds >= 0),
    -- Results, written once by the finalize step.
    average_score          numeric(4, 2) CHECK (average_score BETWEEN 0 AND 10),
    overall_score          numeric(5, 2) CHECK (overall_score BETWEEN 0 AND 100),
    performance_tier       text CHECK (char_length(performance_tier) <= 40),
    overall_feedback       text,
    category_scores        jsonb CHECK (jsonb_typeof(category_scores) = 'object'),
    summary                jsonb CHECK (jsonb_typeof(summary) = 'object'),
    topics_covered         text[] NOT NULL DEFAULT '{}',
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT interview_sessions_completed_has_time
        CHECK (status <> 'completed' OR completed_at IS NOT NULL)
);

CREATE INDEX interview_sessions_user_id_created_at_idx
    ON public.interview_sessions (user_id, created_at DESC);
CREATE INDEX interview_sessions_user_id_completed_at_idx
    ON public.interview_sessions (user_id, completed_at DESC)
    WHERE status = 'completed';
CREATE INDEX interview_sessions_resume_id_idx
    ON public.interview_sessions (resume_id)
    WHERE resume_id IS NOT NULL;
-- The sweeper's scan: anonymous sessions by age.
CREATE INDEX interview_sessions_anonymous_created_at_idx
    ON public.interview_sessions (created_at)
    WHERE user_id IS NULL;

-- ---------------------------------------------------------------------------
-- interview_answers: one row per asked question once answered or skipped.
-- The unique key makes a retried submission land once.
-- user_id repeats the session's owner so row-level security needs no join.
-- ---------------------------------------------------------------------------

CREATE TABLE public.interview_answers (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id         uuid NOT NULL REFERENCES public.interview_sessions (id) ON DELETE CASCADE,
    user_id            uuid REFERENCES public.user_profiles (id) ON DELETE CASCADE,
    question_number    integer NOT NULL CHECK (question_number >= 1),
    question_id        text,
    question_text      text NOT NULL,
    category           text NOT NULL CHECK (char_length(category) BETWEEN 1 AND 60),
    difficulty         text NOT NULL CHECK (char_length(difficulty) BETWEEN 1 AND 20),
    is_follow_up       boolean NOT NULL DEFAULT false,
    answer_text        text CHECK (char_length(answer_text) <= 10000),
    is_skipped         boolean NOT NULL DEFAULT false,
    word_count         integer NOT NULL DEFAULT 0 CHECK (word_count >= 0),
    duration_seconds   integer CHECK (duration_seconds >= 0),
    score              numeric(4, 2) CHECK (score BETWEEN 0 AND 10),
    dimension_scores   jsonb CHECK (jsonb_typeof(dimension_scores) = 'object'),
    evaluation_summary text,
    evaluation         jsonb CHECK (jsonb_typeof(evaluation) = 'object'),
    interviewer_response text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT interview_answers_session_question_key UNIQUE (session_id, question_number),
    CONSTRAINT interview_answers_skipped_has_no_score
        CHECK (NOT is_skipped OR score IS NULL)
);

CREATE INDEX interview_answers_user_id_idx ON public.interview_answers (user_id)
    WHERE user_id IS NOT NULL;

-- ---------------------------------------------------------------------------
-- interview_statistics: one row per user, maintained in the same transaction
-- that completes or deletes a session. The sums and per-role/per-category
-- tallies are kept so averages and "most common"/"strongest" stay exact when a
-- session is deleted, without reloading every session.
-- ---------------------------------------------------------------------------

CREATE TABLE public.interview_statistics (
    user_id                  uuid PRIMARY KEY REFERENCES public.user_profiles (id) ON DELETE CASCADE,
    total_interviews         integer NOT NULL DEFAULT 0 CHECK (total_interviews >= 0),
    total_questions_answered integer NOT NULL DEFAULT 0 CHECK (total_questions_answered >= 0),
    total_questions_skipped  integer NOT NULL DEFAULT 0 CHECK (total_questions_skipped >= 0),
    sum_overall_score        numeric(12, 2) NOT NULL DEFAULT 0,
    average_overall_score    numeric(5, 2) CHECK (average_overall_score BETWEEN 0 AND 100),
    best_score               numeric(5, 2) CHECK (best_score BETWEEN 0 AND 100),
    total_time_spent_seconds bigint NOT NULL DEFAULT 0 CHECK (total_time_spent_seconds >= 0),
    role_counts              jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(role_counts) = 'object'),
    category_totals          jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(category_totals) = 'object'),
    most_common_role         text,
    strongest_category       text,
    weakest_category         text,
    last_interview_at        timestamptz,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------------------
-- storage_deletions: bucket objects still to delete. A resume row's deletion
-- queues its object here in the same transaction (trigger below), so an object
-- whose delete failed is never forgotten; the sweeper retries the queue.
-- Internal: no user role can read or write it.
-- ---------------------------------------------------------------------------

CREATE TABLE public.storage_deletions (
    storage_path text PRIMARY KEY,
    attempts     integer NOT NULL DEFAULT 0,
    last_error   text,
    queued_at    timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX storage_deletions_next_attempt_at_idx ON public.storage_deletions (next_attempt_at);

-- SECURITY DEFINER: it runs inside a signed-in user's transaction (role
-- `authenticated`), which has no access to the queue itself.
CREATE FUNCTION public.rehearse_queue_resume_object_deletion() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, public
    AS $fn$
BEGIN
    IF OLD.storage_path IS NOT NULL THEN
        INSERT INTO public.storage_deletions (storage_path)
        VALUES (OLD.storage_path)
        ON CONFLICT (storage_path) DO NOTHING;
    END IF;
    RETURN OLD;
END
$fn$;

REVOKE ALL ON FUNCTION public.rehearse_queue_resume_object_deletion() FROM PUBLIC;

CREATE TRIGGER resumes_queue_object_deletion
    AFTER DELETE ON public.resumes
    FOR EACH ROW EXECUTE FUNCTION public.rehearse_queue_resume_object_deletion();

-- ---------------------------------------------------------------------------
-- updated_at triggers (only when something changed, so idempotent writes are no-ops)
-- ---------------------------------------------------------------------------

CREATE TRIGGER user_profiles_set_updated_at BEFORE UPDATE ON public.user_profiles
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION public.rehearse_set_updated_at();
CREATE TRIGGER resumes_set_updated_at BEFORE UPDATE ON public.resumes
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION public.rehearse_set_updated_at();
CREATE TRIGGER interview_sessions_set_updated_at BEFORE UPDATE ON public.interview_sessions
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION public.rehearse_set_updated_at();
CREATE TRIGGER interview_answers_set_updated_at BEFORE UPDATE ON public.interview_answers
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION public.rehearse_set_updated_at();
CREATE TRIGGER interview_statistics_set_updated_at BEFORE UPDATE ON public.interview_statistics
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION public.rehearse_set_updated_at();

-- ---------------------------------------------------------------------------
-- Row-level security: a signed-in request runs as role `authenticated` with its
-- verified claims set transaction-locally, and sees only its own rows even where a
-- query forgets its `WHERE user_id = ...`. `(select auth.uid())` is evaluated once
-- per statement rather than once per row.
-- ---------------------------------------------------------------------------

ALTER TABLE public.user_profiles        ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.resumes              ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.interview_sessions   ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.interview_answers    ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.interview_statistics ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.storage_deletions    ENABLE ROW LEVEL SECURITY;

CREATE POLICY user_profiles_owner ON public.user_profiles
    FOR ALL TO authenticated
    USING ((select auth.uid()) = id)
    WITH CHECK ((select auth.uid()) = id);

CREATE POLICY resumes_owner ON public.resumes
    FOR ALL TO authenticated
    USING ((select auth.uid()) = user_id)
    WITH CHECK ((select auth.uid()) = user_id);

CREATE POLICY interview_sessions_owner ON public.interview_sessions
    FOR ALL TO authenticated
    USING ((select auth.uid()) = user_id)
    WITH CHECK ((select auth.uid()) = user_id);

CREATE POLICY interview_answers_owner ON public.interview_answers
    FOR ALL TO authenticated
    USING ((select auth.uid()) = user_id)
    WITH CHECK ((select auth.uid()) = user_id);

CREATE POLICY interview_statistics_owner ON public.interview_statistics
    FOR ALL TO authenticated
    USING ((select auth.uid()) = user_id)
    WITH CHECK ((select auth.uid()) = user_id);

GRANT USAGE ON SCHEMA public TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON
    public.user_profiles,
    public.resumes,
    public.interview_sessions,
    public.interview_answers,
    public.interview_statistics
    TO authenticated;
REVOKE ALL ON public.storage_deletions FROM anon, authenticated;
