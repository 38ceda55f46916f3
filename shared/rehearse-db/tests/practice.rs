//! `rehearse_db::practice` against a real Postgres, directly and through
//! PgBouncer in transaction mode: a user's answer history for the practice plan,
//! read as that user under row-level security.

// Test helpers outside #[test] functions may unwrap too: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rehearse_core::AuthUser;
use rehearse_db::practice::{self, MAX_HISTORY, PastAnswerRow};
use rehearse_testkit::{TestDatabase, TestStack, Via};
use serde_json::json;
use uuid::Uuid;

fn user(id: Uuid) -> AuthUser {
    AuthUser {
        id: id.into(),
        email: None,
        full_name: None,
        claims: json!({ "sub": id, "role": "authenticated" })
            .to_string()
            .into(),
    }
}

/// `owner`'s profile and two sessions, inserted as the connection's own role
/// (as the finalize step does): an older mixed one with an answer, a skip and a
/// weak answer, and a recent technical one whose last answer is a follow-up
/// beyond its stored plan. Returns the two session ids, oldest first.
async fn seed(database: &TestDatabase, owner: Uuid) -> (Uuid, Uuid) {
    let (old, new) = (Uuid::new_v4(), Uuid::new_v4());
    let dims =
        r#"{"relevance": 8, "depth": 7, "structure": 6.5, "specificity": 7, "communication": 8}"#;
    let weak =
        r#"{"relevance": 5, "depth": 4, "structure": 2.5, "specificity": 4, "communication": 6}"#;
    database
        .client(Via::Direct)
        .await
        .batch_execute(&format!(
            "INSERT INTO user_profiles (id) VALUES ('{owner}');
             INSERT INTO interview_sessions
                 (id, user_id, target_role, experience_level, interview_type, mode,
                  total_questions, status, completed_at, questions, created_at)
             VALUES
                 ('{old}', '{owner}', 'Backend Engineer', 'junior', 'mixed', 'conversational',
                  3, 'completed', now() - interval '20 days',
                  '[{{\"number\": 1, \"topic\": \"introduction\"}},
                    {{\"number\": 2, \"topic\": \"teamwork\"}},
                    {{\"number\": 3, \"topic\": \"caching\"}}]',
                  now() - interval '20 days'),
                 ('{new}', '{owner}', 'Platform Engineer', 'mid', 'technical', 'conversational',
                  3, 'in_progress', NULL,
                  '[{{\"number\": 1, \"topic\": \"introduction\"}},
                    {{\"number\": 2, \"topic\": \"kafka\"}}]',
                  now() - interval '2 days');
             INSERT INTO interview_answers
                 (session_id, user_id, question_number, question_text, category, difficulty,
                  is_follow_up, answer_text, is_skipped, score, dimension_scores, created_at)
             VALUES
                 ('{old}', '{owner}', 1, 'Tell me about yourself.', 'introduction', 'easy',
                  false, 'I build things.', false, 7.5, '{dims}',
                  now() - interval '20 days' + interval '1 minute'),
                 ('{old}', '{owner}', 2, 'Tell me about a time you disagreed.', 'behavioral',
                  'medium', false, NULL, true, NULL, NULL,
                  now() - interval '20 days' + interval '2 minutes'),
                 ('{old}', '{owner}', 3, 'How would you cache this?', 'technical', 'medium',
                  false, 'With Redis.', false, 4.25, '{weak}',
                  now() - interval '20 days' + interval '3 minutes'),
                 ('{new}', '{owner}', 1, 'Walk me through your background.', 'introduction',
                  'easy', false, 'Sure.', false, 8, '{dims}',
                  now() - interval '2 days' + interval '1 minute'),
                 ('{new}', '{owner}', 2, 'When would you use Kafka?', 'technical', 'hard',
                  false, 'For streams.', false, 6, '{dims}',
                  now() - interval '2 days' + interval '2 minutes'),
                 ('{new}', '{owner}', 3, 'Can you give an example?', 'follow_up', 'hard',
                  true, 'Not really.', false, 3, '{weak}',
                  now() - interval '2 days' + interval '3 minutes');"
        ))
        .await
        .unwrap();
    (old, new)
}

async fn history(
    database: &TestDatabase,
    via: Via,
    caller: Uuid,
    of: Uuid,
    limit: i64,
) -> Vec<PastAnswerRow> {
    database
        .db(via)
        .as_user(&user(caller), async |tx| {
            practice::answer_history(tx, of.into(), limit).await
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn the_history_is_the_users_newest_answers_with_their_sessions_context() {
    let database = TestStack::get().database().await;
    let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
    let (old, new) = seed(&database, alice).await;
    let (bobs, _) = seed(&database, bob).await;
    for via in Via::BOTH {
        let rows = history(&database, via, alice, alice, 50).await;
        let order: Vec<(Uuid, i32)> = rows
            .iter()
            .map(|r| (*r.session_id.as_uuid(), r.question_number))
            .collect();
        assert_eq!(
            order,
            [(new, 3), (new, 2), (new, 1), (old, 3), (old, 2), (old, 1)],
            "newest first, only Alice's, via {via:?}"
        );
        assert!(
            rows.windows(2)
                .all(|w| w[0].answered_at >= w[1].answered_at)
        );

        // The recent session: its context, the topic from its plan, and a
        // follow-up beyond the stored plan (no topic).
        let follow_up = &rows[0];
        assert_eq!(follow_up.category, "follow_up");
        assert!(follow_up.is_follow_up);
        assert_eq!(follow_up.topic, None);
        assert_eq!(follow_up.score, Some(3.0));
        assert_eq!(
            (
                follow_up.target_role.as_str(),
                follow_up.experience_level.as_str(),
                follow_up.interview_type.as_str()
            ),
            ("Platform Engineer", "mid", "technical")
        );
        assert_eq!(rows[1].topic.as_deref(), Some("kafka"));
        assert_eq!(rows[1].question_text, "When would you use Kafka?");

        // The older one: a weak answer with its dimensions, and a skip.
        let weak = &rows[3];
        assert_eq!(weak.score, Some(4.25));
        assert_eq!(weak.topic.as_deref(), Some("caching"));
        assert_eq!(weak.dimension_scores.as_ref().unwrap()["structure"], 2.5);
        assert_eq!(weak.target_role, "Backend Engineer");
        assert_eq!(weak.experience_level, "junior");
        let skip = &rows[4];
        assert!(skip.is_skipped);
        assert_eq!((skip.score, skip.dimension_scores.as_ref()), (None, None));
        assert_eq!(skip.category, "behavioral");
        assert_eq!(skip.topic.as_deref(), Some("teamwork"));
        let age = time::OffsetDateTime::now_utc() - skip.answered_at;
        assert!(age.whole_days() == 19 || age.whole_days() == 20, "{age}");

        // Bounded: the newest `limit`, at least one.
        let two = history(&database, via, alice, alice, 2).await;
        assert_eq!(two, rows[..2]);
        assert_eq!(history(&database, via, alice, alice, 0).await, rows[..1]);

        // Bob's history is not Alice's to read, even by his id.
        assert!(history(&database, via, alice, bob, 50).await.is_empty());
        let his = history(&database, via, bob, bob, 50).await;
        assert_eq!(his.len(), 6);
        assert!(his.iter().all(|r| *r.session_id.as_uuid() != old));
        assert!(his.iter().any(|r| *r.session_id.as_uuid() == bobs));
    }
}

#[tokio::test]
async fn at_most_two_hundred_answers_are_read_the_newest() {
    let database = TestStack::get().database().await;
    let owner = Uuid::new_v4();
    let session = Uuid::new_v4();
    database
        .client(Via::Direct)
        .await
        .batch_execute(&format!(
            "INSERT INTO user_profiles (id) VALUES ('{owner}');
             INSERT INTO interview_sessions
                 (id, user_id, target_role, experience_level, interview_type, mode, total_questions)
             VALUES ('{session}', '{owner}', 'Data Analyst', 'fresher', 'behavioral',
                     'standard', 50);
             INSERT INTO interview_answers
                 (session_id, user_id, question_number, question_text, category, difficulty,
                  answer_text, score, created_at)
             SELECT '{session}', '{owner}', g, 'Question ' || g, 'behavioral', 'easy',
                    'An answer.', 5, now() - (260 - g) * interval '1 minute'
               FROM generate_series(1, 260) AS g;"
        ))
        .await
        .unwrap();
    for via in Via::BOTH {
        let rows = history(&database, via, owner, owner, 10_000).await;
        assert_eq!(rows.len() as i64, MAX_HISTORY, "via {via:?}");
        assert_eq!(rows[0].question_number, 260);
        assert_eq!(rows[rows.len() - 1].question_number, 61);
        // No stored plan: no topics, and nothing fails for it.
        assert!(rows.iter().all(|r| r.topic.is_none()));
    }
}
