-- Answers and skips remember the Idempotency-Key header they were sent with, so a
-- client that resends a request under the same key gets the stored result again,
-- however late and whatever the session has done since (docs/answers.md).
--
-- Forward-only: never edit this file once applied anywhere; add V4__... instead.
-- Written to be safe to run twice (IF NOT EXISTS throughout).
--
-- A key is scoped to its session: the unique index makes a key name at most one
-- answer or skip per session, so two concurrent requests under one key can never
-- both be stored (the second one's insert fails and it replays the first). NULL
-- (no header) is the common case and is left out of the index.
--
-- The column inherits the table's row-level security policy and grants (both are
-- per row and per table), and the read model of V2 names its columns, so neither
-- needs a change. The check repeats what the API validates (1-255 visible ASCII
-- characters), so nothing else can be stored under a key.

ALTER TABLE public.interview_answers
    ADD COLUMN IF NOT EXISTS idempotency_key text
        CONSTRAINT interview_answers_idempotency_key_check
        CHECK (idempotency_key ~ '^[\x21-\x7E]{1,255}$');

CREATE UNIQUE INDEX IF NOT EXISTS interview_answers_session_idempotency_key
    ON public.interview_answers (session_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
