-- The dashboard as a read model: one row per user holding the document that
-- GET /api/db/dashboard returns (minus the presigned URLs), kept current by
-- triggers in the very transaction that changes a session, a resume or the
-- statistics. Reading it is then a primary-key lookup instead of five
-- subqueries planned on every request (measured in bench/dashboard.sh).
--
-- The JSON shapes of a session and of the statistics live here, once, as SQL
-- functions that the list, detail and statistics queries call too, so the
-- dashboard can never show a session differently from the session list.

-- ---------------------------------------------------------------------------
-- Shapes
-- ---------------------------------------------------------------------------

-- A session as the history routes show it (no questions, answers or summary).
CREATE FUNCTION public.rehearse_session_json(s public.interview_sessions) RETURNS jsonb
    LANGUAGE sql
    STABLE
    AS $fn$
    SELECT jsonb_build_object(
        'id', s.id, 'session_id', s.id, 'resume_id', s.resume_id,
        'target_role', s.target_role, 'experience_level', s.experience_level,
        'interview_type', s.interview_type, 'company', s.company, 'mode', s.mode,
        'status', s.status, 'total_questions', s.total_questions,
        'questions_answered', s.questions_answered, 'questions_skipped', s.questions_skipped,
        'started_at', s.started_at, 'completed_at', s.completed_at,
        'total_time_seconds', s.total_time_seconds, 'average_score', s.average_score,
        'overall_score', s.overall_score, 'performance_tier', s.performance_tier,
        'topics_covered', s.topics_covered, 'created_at', s.created_at)
$fn$;

-- A user's statistics as the API shows them: zeros and nulls before their first
-- completed session, and the score trend of their last 10 completed sessions,
-- oldest first. SECURITY INVOKER: called as a signed-in user it sees only what
-- row-level security lets that user see.
CREATE FUNCTION public.rehearse_statistics_json(uid uuid) RETURNS jsonb
    LANGUAGE sql
    STABLE
    AS $fn$
    SELECT jsonb_build_object(
        'total_interviews', coalesce(st.total_interviews, 0),
        'total_sessions', coalesce(st.total_interviews, 0),
        'total_questions_answered', coalesce(st.total_questions_answered, 0),
        'total_questions_skipped', coalesce(st.total_questions_skipped, 0),
        'average_overall_score', st.average_overall_score,
        'best_score', st.best_score,
        'total_time_spent_seconds', coalesce(st.total_time_spent_seconds, 0),
        'most_common_role', st.most_common_role,
        'strongest_category', st.strongest_category,
        'weakest_category', st.weakest_category,
        'last_interview_at', st.last_interview_at,
        'score_trend', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                       'session_id', t.id, 'target_role', t.target_role,
                       'overall_score', t.overall_score, 'average_score', t.average_score,
                       'performance_tier', t.performance_tier, 'completed_at', t.completed_at)
                   ORDER BY t.completed_at, t.id)
              FROM (SELECT id, target_role, overall_score, average_score, performance_tier,
                           completed_at
                      FROM public.interview_sessions
                     WHERE user_id = uid AND status = 'completed'
                     ORDER BY completed_at DESC, id DESC
                     LIMIT 10) AS t), '[]'::jsonb))
      FROM (SELECT uid AS user_id) AS me
      LEFT JOIN public.interview_statistics AS st ON st.user_id = me.user_id
$fn$;

-- The whole dashboard document of a user, computed from the tables. Resumes
-- carry `storage_path`; the API replaces it with a fresh presigned `file_url`.
-- A resume here is a card (name, skills, level, file), not its parsed data:
-- five parsed resumes are ~25 KB, which tripled the dashboard's latency
-- (bench/dashboard.sh); GET /api/db/resumes returns them in full.
-- PL/pgSQL on purpose: an SQL function would be inlined, and its whole body
-- planned, into every statement that merely mentions it as a fallback.
CREATE FUNCTION public.rehearse_dashboard_document(uid uuid) RETURNS jsonb
    LANGUAGE plpgsql
    STABLE
    AS $fn$
BEGIN
    RETURN jsonb_build_object(
        'statistics', public.rehearse_statistics_json(uid),
        'recent_sessions', coalesce((
            SELECT jsonb_agg(public.rehearse_session_json(s) ORDER BY s.created_at DESC, s.id DESC)
              FROM (SELECT * FROM public.interview_sessions
                     WHERE user_id = uid
                     ORDER BY created_at DESC, id DESC
                     LIMIT 5) AS s), '[]'::jsonb),
        'resumes', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                       'id', x.id, 'file_name', x.file_name,
                       'storage_path', x.storage_path,
                       'file_size', x.file_size_bytes,
                       'content_type', x.content_type,
                       'has_file', x.storage_path IS NOT NULL,
                       'candidate_name', x.parsed_json ->> 'name',
                       'experience_level', x.parsed_json ->> 'experience_level',
                       'skills', x.skills,
                       'experience_years', x.experience_years::float8,
                       'created_at', x.created_at,
                       'updated_at', x.updated_at) ORDER BY x.created_at DESC, x.id DESC)
              FROM (SELECT * FROM public.resumes
                     WHERE user_id = uid
                     ORDER BY created_at DESC, id DESC
                     LIMIT 5) AS x), '[]'::jsonb),
        'total_sessions', (SELECT count(*) FROM public.interview_sessions WHERE user_id = uid),
        'total_resumes', (SELECT count(*) FROM public.resumes WHERE user_id = uid));
END
$fn$;

-- ---------------------------------------------------------------------------
-- The read model
-- ---------------------------------------------------------------------------

-- `json`, not `jsonb`: the document is only ever sent whole, and stored as
-- text it goes out as it is instead of being re-rendered on every read. The
-- higher toast_tuple_target keeps a typical document (~7 KB) inline.
CREATE TABLE public.user_dashboards (
    user_id      uuid PRIMARY KEY REFERENCES public.user_profiles (id) ON DELETE CASCADE,
    document     json NOT NULL,
    refreshed_at timestamptz NOT NULL DEFAULT now()
) WITH (toast_tuple_target = 8160);

-- Rebuild one user's document. Runs from deferred triggers, i.e. at commit,
-- after every change of the transaction. The row lock comes first and the
-- rebuild is a later statement, so in READ COMMITTED it reads with a snapshot
-- taken after any other transaction that refreshed this user has committed:
-- whoever commits last for a user writes a document that includes everyone's
-- changes. A transaction rebuilds a user once however many rows it touched.
CREATE FUNCTION public.rehearse_refresh_dashboard(uid uuid) RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, public
    AS $fn$
DECLARE
    done text := coalesce(current_setting('rehearse.dashboards_refreshed', true), '');
BEGIN
    IF uid IS NULL OR strpos(done, uid::text) > 0 THEN
        RETURN;
    END IF;
    -- No profile (an account being deleted): nothing to keep.
    INSERT INTO public.user_dashboards (user_id, document)
    SELECT p.id, '{}'::json FROM public.user_profiles p WHERE p.id = uid
    ON CONFLICT (user_id) DO NOTHING;
    PERFORM 1 FROM public.user_dashboards WHERE user_id = uid FOR UPDATE;
    IF FOUND THEN
        UPDATE public.user_dashboards
           SET document = public.rehearse_dashboard_document(uid)::json, refreshed_at = now()
         WHERE user_id = uid;
    END IF;
    PERFORM set_config('rehearse.dashboards_refreshed', done || uid::text || ',', true);
END
$fn$;

CREATE FUNCTION public.rehearse_dashboard_source_changed() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, public
    AS $fn$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM public.rehearse_refresh_dashboard(OLD.user_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM public.rehearse_refresh_dashboard(NEW.user_id);
    END IF;
    RETURN NULL;
END
$fn$;

REVOKE ALL ON FUNCTION public.rehearse_refresh_dashboard(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.rehearse_dashboard_source_changed() FROM PUBLIC;
-- Supabase grants EXECUTE on new functions to its API roles by default.
REVOKE ALL ON FUNCTION public.rehearse_refresh_dashboard(uuid) FROM anon, authenticated;
REVOKE ALL ON FUNCTION public.rehearse_dashboard_source_changed() FROM anon, authenticated;

CREATE CONSTRAINT TRIGGER interview_sessions_refresh_dashboard
    AFTER INSERT OR UPDATE OR DELETE ON public.interview_sessions
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION public.rehearse_dashboard_source_changed();
CREATE CONSTRAINT TRIGGER resumes_refresh_dashboard
    AFTER INSERT OR UPDATE OR DELETE ON public.resumes
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION public.rehearse_dashboard_source_changed();
CREATE CONSTRAINT TRIGGER interview_statistics_refresh_dashboard
    AFTER INSERT OR UPDATE OR DELETE ON public.interview_statistics
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION public.rehearse_dashboard_source_changed();

ALTER TABLE public.user_dashboards ENABLE ROW LEVEL SECURITY;

-- Read-only for its owner: only the triggers above write it.
CREATE POLICY user_dashboards_owner_read ON public.user_dashboards
    FOR SELECT TO authenticated
    USING ((select auth.uid()) = user_id);

REVOKE ALL ON public.user_dashboards FROM anon, authenticated;
GRANT SELECT ON public.user_dashboards TO authenticated;

-- Existing users.
INSERT INTO public.user_dashboards (user_id, document)
SELECT p.id, public.rehearse_dashboard_document(p.id)::json FROM public.user_profiles p;
