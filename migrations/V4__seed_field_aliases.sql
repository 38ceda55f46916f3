-- The seed document's field names, served next to today's (aliases: the same
-- values under a second name; nothing is renamed or removed). The integration
-- note that describes this API tells clients to read:
--   statistics: total_sessions (already served), average_score,
--               total_questions_answered (already served), last_activity_at;
--   a session:  job_role, overall_score (already served), duration_minutes;
--   a stored resume: file_size_bytes, parsed_json (the resume routes add these
--               in Rust; the dashboard's resume card gets file_size_bytes).
-- Session-detail answers get theirs in rehearse-db (history.rs), which builds
-- that JSON itself.
--
-- This redefines V2's three shape functions with the aliases added (their
-- bodies are otherwise V2's) and rebuilds every stored dashboard document,
-- which would otherwise keep the old shape until its user next changed
-- something. No new statement, table or index: the dashboard read stays a
-- primary-key lookup and every history statement keeps its plan
-- (bench/dashboard.sh).

-- A session as the history routes show it. Aliases:
--   job_role         = target_role
--   duration_minutes = total_time_seconds in whole minutes, rounded to the
--                      nearest (half a minute rounds up: 89 s -> 1, 90 s -> 2,
--                      29 s -> 0); null while the session has no recorded
--                      duration (not completed yet).
CREATE OR REPLACE FUNCTION public.rehearse_session_json(s public.interview_sessions) RETURNS jsonb
    LANGUAGE sql
    STABLE
    AS $fn$
    SELECT jsonb_build_object(
        'id', s.id, 'session_id', s.id, 'resume_id', s.resume_id,
        'target_role', s.target_role, 'job_role', s.target_role,
        'experience_level', s.experience_level,
        'interview_type', s.interview_type, 'company', s.company, 'mode', s.mode,
        'status', s.status, 'total_questions', s.total_questions,
        'questions_answered', s.questions_answered, 'questions_skipped', s.questions_skipped,
        'started_at', s.started_at, 'completed_at', s.completed_at,
        'total_time_seconds', s.total_time_seconds,
        'duration_minutes', round(s.total_time_seconds / 60.0)::integer,
        'average_score', s.average_score,
        'overall_score', s.overall_score, 'performance_tier', s.performance_tier,
        'topics_covered', s.topics_covered, 'created_at', s.created_at)
$fn$;

-- A user's statistics as the API shows them. Aliases:
--   average_score    = average_overall_score (the mean overall score, 0-100, of
--                      the completed sessions; not a session's 0-10
--                      `average_score`)
--   last_activity_at = last_interview_at (when the latest completed session
--                      ended)
CREATE OR REPLACE FUNCTION public.rehearse_statistics_json(uid uuid) RETURNS jsonb
    LANGUAGE sql
    STABLE
    AS $fn$
    SELECT jsonb_build_object(
        'total_interviews', coalesce(st.total_interviews, 0),
        'total_sessions', coalesce(st.total_interviews, 0),
        'total_questions_answered', coalesce(st.total_questions_answered, 0),
        'total_questions_skipped', coalesce(st.total_questions_skipped, 0),
        'average_overall_score', st.average_overall_score,
        'average_score', st.average_overall_score,
        'best_score', st.best_score,
        'total_time_spent_seconds', coalesce(st.total_time_spent_seconds, 0),
        'most_common_role', st.most_common_role,
        'strongest_category', st.strongest_category,
        'weakest_category', st.weakest_category,
        'last_interview_at', st.last_interview_at,
        'last_activity_at', st.last_interview_at,
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

-- The whole dashboard document. The resume card gains file_size_bytes
-- (= file_size). It still carries no parsed_json: the card summarises the
-- parsed resume on purpose (see V2: five whole parsed resumes tripled the
-- dashboard's latency); GET /api/db/resumes has it.
CREATE OR REPLACE FUNCTION public.rehearse_dashboard_document(uid uuid) RETURNS jsonb
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
                       'file_size_bytes', x.file_size_bytes,
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

-- Rebuild the stored documents in the new shape. The table lock comes first
-- and the rebuild is a later statement, as in rehearse_refresh_dashboard: a
-- transaction that already refreshed a document holds ROW EXCLUSIVE, so the
-- lock waits for it to commit and the UPDATE's snapshot then includes its
-- changes; one that refreshes later waits for this migration to commit and
-- then builds its document with the functions above. Reads are not blocked.
LOCK TABLE public.user_dashboards IN SHARE ROW EXCLUSIVE MODE;
UPDATE public.user_dashboards
   SET document = public.rehearse_dashboard_document(user_id)::json, refreshed_at = now();
