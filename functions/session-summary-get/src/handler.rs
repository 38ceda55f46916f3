use lambda_http::http::StatusCode;
use rehearse_core::SessionId;
use rehearse_http::{
    ApiError, Backend, Body, Request, Response, json_response, maybe_user, path_param,
};
use rehearse_session_store::finalize;

pub type State = Backend;

/// Finish the session and return its summary. The first call finalizes it (status,
/// scores, tier, summary and, signed in, the user's statistics, in one
/// transaction); every later or concurrent call returns that same stored summary.
/// Signed in, an anonymous session becomes the caller's (claimed in that same
/// transaction) and the answer carries `db_session_id`. An unfinished session
/// can be summarised: the questions not reached count as unanswered.
pub async fn handler(state: &State, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = maybe_user(&state.auth, &req).await?;
    let id: SessionId = path_param(&req, "session_id")?;
    let done = finalize(&state.db, caller.as_ref(), id).await?;
    let mut body = serde_json::json!({
        "success": true,
        "session_id": done.session_id,
        "summary": done.summary,
        "saved_to_database": done.owner.is_some(),
    });
    if done.owner.is_some() {
        body["db_session_id"] = serde_json::json!(done.session_id);
    }
    json_response(StatusCode::OK, &body)
}

#[cfg(test)]
mod tests {
    use rehearse_core::{AuthUser, UserId};
    use rehearse_session_store::requests::AnswerInput;
    use rehearse_session_store::testing::{
        answer_with, body_json, conversational_session, for_session, skip_current, with_body_field,
    };
    use rehearse_session_store::{Created, SessionError};
    use rehearse_testkit::handlers::{
        self, auth_user, backend, backend_state, count, event_as, with_path_param,
    };
    use rehearse_testkit::{TestDatabase, Via, event};
    use serde_json::{Value, json};

    use super::*;

    /// A session of `n` questions for `role` (anonymous without `owner`).
    async fn session(state: &State, owner: Option<&AuthUser>, n: u8, role: &str) -> Created {
        let create = event("session-create-conversational", "anonymous");
        let mut context = body_json(&create)["job_context"].clone();
        context["target_role"] = json!(role);
        let create = with_body_field(create, "job_context", context);
        conversational_session(&state.db, owner, create, n).await
    }

    const ANSWERS: [&str; 4] = [
        "I introduced structured logging and cut our incident triage time from an hour to ten minutes.",
        "We used PostgreSQL advisory locks so only one worker ran each migration.",
        "I would profile first, then add a cache in front of the slowest query and measure again.",
        "My manager and I disagreed on scope; I wrote down both options with costs and we picked one in a day.",
    ];

    async fn summary(
        state: &State,
        id: rehearse_core::SessionId,
        user: Option<UserId>,
    ) -> (StatusCode, Value) {
        let req = for_session(event_as("session-summary-get", user), id);
        handlers::call(handler, state, req).await
    }

    /// The user's statistics row, checked against a recomputation from the raw
    /// session and answer rows; returns the row as JSON.
    async fn statistics_match_the_rows(database: &TestDatabase, user: UserId) -> Value {
        let client = database.client(Via::Direct).await;
        let id = *user.as_uuid();
        let uid = || -> (&(dyn tokio_postgres::types::ToSql + Sync), rehearse_db::Type) {
            (&id, rehearse_db::Type::UUID)
        };
        let expected = client
            .query_typed_one(
                "SELECT count(*)::int4, coalesce(sum(questions_answered), 0)::int4,
                        coalesce(sum(questions_skipped), 0)::int4,
                        coalesce(sum(overall_score), 0)::float8, max(overall_score)::float8,
                        coalesce(sum(total_time_seconds), 0)::int8, max(completed_at),
                        round(avg(overall_score), 2)::float8,
                        (SELECT jsonb_object_agg(target_role, n) FROM (
                            SELECT target_role, count(*) AS n FROM interview_sessions
                             WHERE user_id = $1 AND status = 'completed' GROUP BY target_role) r)
                   FROM interview_sessions WHERE user_id = $1 AND status = 'completed'",
                &[uid()],
            )
            .await
            .unwrap();
        let got = client
            .query_typed_one(
                "SELECT total_interviews, total_questions_answered, total_questions_skipped,
                        sum_overall_score::float8, best_score::float8, total_time_spent_seconds,
                        last_interview_at, average_overall_score::float8, role_counts,
                        category_totals, most_common_role, strongest_category, weakest_category
                   FROM interview_statistics WHERE user_id = $1",
                &[uid()],
            )
            .await
            .unwrap();
        assert_eq!(
            got.get::<_, i32>(0),
            expected.get::<_, i32>(0),
            "total_interviews"
        );
        assert_eq!(got.get::<_, i32>(1), expected.get::<_, i32>(1), "answered");
        assert_eq!(got.get::<_, i32>(2), expected.get::<_, i32>(2), "skipped");
        assert!(
            (got.get::<_, f64>(3) - expected.get::<_, f64>(3)).abs() < 1e-9,
            "sum"
        );
        assert_eq!(
            got.get::<_, Option<f64>>(4),
            expected.get::<_, Option<f64>>(4),
            "best"
        );
        assert_eq!(got.get::<_, i64>(5), expected.get::<_, i64>(5), "time");
        assert_eq!(
            got.get::<_, Option<time::OffsetDateTime>>(6),
            expected.get::<_, Option<time::OffsetDateTime>>(6),
            "last_interview_at"
        );
        assert_eq!(
            got.get::<_, Option<f64>>(7),
            expected.get::<_, Option<f64>>(7),
            "average"
        );
        let roles: Value = got.get(8);
        assert_eq!(roles, expected.get::<_, Value>(8), "role_counts");

        // The session counts agree with the answer rows themselves.
        let rows = client
            .query_typed_one(
                "SELECT count(*) FILTER (WHERE NOT a.is_skipped)::int4,
                        count(*) FILTER (WHERE a.is_skipped)::int4
                   FROM interview_answers a JOIN interview_sessions s ON s.id = a.session_id
                  WHERE s.user_id = $1 AND s.status = 'completed' AND a.user_id = $1",
                &[uid()],
            )
            .await
            .unwrap();
        assert_eq!(rows.get::<_, i32>(0), expected.get::<_, i32>(1));
        assert_eq!(rows.get::<_, i32>(1), expected.get::<_, i32>(2));

        let categories: Vec<(String, f64, i64)> = client
            .query_typed(
                "SELECT a.category, sum(a.score)::float8, count(*)
                   FROM interview_answers a JOIN interview_sessions s ON s.id = a.session_id
                  WHERE s.user_id = $1 AND s.status = 'completed'
                    AND NOT a.is_skipped AND a.score IS NOT NULL
                  GROUP BY a.category ORDER BY a.category",
                &[uid()],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        let totals: Value = got.get(9);
        assert_eq!(
            totals.as_object().unwrap().len(),
            categories.len(),
            "{totals}"
        );
        for (category, sum, count) in &categories {
            let t = &totals[category];
            assert!(
                (t["sum"].as_f64().unwrap() - sum).abs() < 1e-9,
                "{category}: {totals}"
            );
            assert_eq!(t["count"].as_i64().unwrap(), *count, "{category}");
        }
        let by_average = |best: bool| {
            let mut v: Vec<(f64, &String)> = categories
                .iter()
                .map(|(c, s, n)| (s / *n as f64, c))
                .collect();
            v.sort_by(|a, b| {
                let order = if best {
                    b.0.total_cmp(&a.0)
                } else {
                    a.0.total_cmp(&b.0)
                };
                order.then(a.1.cmp(b.1))
            });
            v.first().map(|(_, c)| (*c).clone())
        };
        assert_eq!(
            got.get::<_, Option<String>>(11),
            by_average(true),
            "strongest"
        );
        assert_eq!(
            got.get::<_, Option<String>>(12),
            by_average(false),
            "weakest"
        );
        let mut roles: Vec<(String, i64)> = roles
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_i64().unwrap()))
            .collect();
        roles.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        assert_eq!(
            got.get::<_, Option<String>>(10),
            roles.first().map(|r| r.0.clone())
        );
        json!({
            "total_interviews": got.get::<_, i32>(0),
            "total_questions_answered": got.get::<_, i32>(1),
            "total_questions_skipped": got.get::<_, i32>(2),
            "most_common_role": got.get::<_, Option<String>>(10),
        })
    }

    fn assert_summary_shape(summary: &Value, answered: u64, skipped: u64, total: u64) {
        assert_eq!(summary["questions_answered"], answered, "{summary}");
        assert_eq!(summary["questions_skipped"], skipped, "{summary}");
        assert_eq!(summary["total_questions"], total, "{summary}");
        assert_eq!(summary["questions_unanswered"], total - answered - skipped);
        assert_eq!(
            summary["answers"].as_array().unwrap().len() as u64,
            answered + skipped
        );
        assert_eq!(summary["status"], "completed");
        let average = summary["average_score"].as_f64().unwrap();
        let overall = summary["overall_score"].as_f64().unwrap();
        assert!((0.0..=10.0).contains(&average), "{summary}");
        assert!((0.0..=100.0).contains(&overall), "{summary}");
        assert_eq!(
            summary["performance_tier"],
            rehearse_interview_tier(average),
            "{summary}"
        );
    }

    fn rehearse_interview_tier(average: f64) -> &'static str {
        if average >= 8.0 {
            "Excellent"
        } else if average >= 6.0 {
            "Good"
        } else if average >= 4.0 {
            "Fair"
        } else {
            "Needs Improvement"
        }
    }

    #[tokio::test]
    async fn a_full_signed_in_interview_is_finalized_once() {
        let (state, database) = backend_state::<State>().await;
        let ada = UserId::new_random();
        let owner = auth_user(ada).await;
        let created = session(&state, Some(&owner), 5, "Backend Engineer").await;
        let id = created.id;
        answer_with(&state.db, Some(&owner), id, ANSWERS[0]).await;
        skip_current(&state.db, Some(&owner), id).await;
        answer_with(&state.db, Some(&owner), id, ANSWERS[1]).await;
        answer_with(&state.db, Some(&owner), id, ANSWERS[2]).await;
        let last = skip_current(&state.db, Some(&owner), id).await;
        assert!(last.is_complete);

        let (status, body) = summary(&state, id, Some(ada)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["success"], true);
        assert_eq!(body["saved_to_database"], true);
        assert_eq!(body["db_session_id"], id.to_string());
        assert_summary_shape(&body["summary"], 3, 2, 5);

        let client = database.client(Via::Direct).await;
        let row = client
            .query_typed_one(
                "SELECT status, completed_at IS NOT NULL, average_score::float8,
                        overall_score::float8, performance_tier, summary, questions_answered,
                        questions_skipped, total_time_seconds
                   FROM interview_sessions WHERE id = $1",
                &[(id.as_uuid(), rehearse_db::Type::UUID)],
            )
            .await
            .unwrap();
        assert_eq!(row.get::<_, &str>(0), "completed");
        assert!(row.get::<_, bool>(1));
        assert_eq!(
            Some(row.get::<_, f64>(2)),
            body["summary"]["average_score"].as_f64()
        );
        assert_eq!(
            Some(row.get::<_, f64>(3)),
            body["summary"]["overall_score"].as_f64()
        );
        assert_eq!(
            Some(row.get::<_, &str>(4)),
            body["summary"]["performance_tier"].as_str()
        );
        assert_eq!(row.get::<_, Value>(5), body["summary"]);
        assert_eq!((row.get::<_, i32>(6), row.get::<_, i32>(7)), (3, 2));
        assert!(row.get::<_, Option<i32>>(8).is_some());
        let stats = statistics_match_the_rows(&database, ada).await;
        assert_eq!(stats["total_interviews"], 1);

        let (status, again) = summary(&state, id, Some(ada)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again, body, "a later summary is the stored one");
        assert_eq!(statistics_match_the_rows(&database, ada).await, stats);

        let input = AnswerInput {
            session_id: id,
            text: "Late answer.".into(),
            duration_seconds: None,
            question: None,
        };
        let late = rehearse_session_store::answer(
            &state.db,
            &rehearse_session_store::Llm::disabled(),
            Some(&owner),
            input,
            &rehearse_session_store::Retry::default(),
        )
        .await
        .unwrap_err();
        assert!(matches!(late, SessionError::Finished), "{late:?}");
    }

    #[tokio::test]
    async fn twenty_concurrent_summaries_finalize_once() {
        let (state, database) = backend_state::<State>().await;
        let ada = UserId::new_random();
        let owner = auth_user(ada).await;
        let created = session(&state, Some(&owner), 3, "Backend Engineer").await;
        for text in &ANSWERS[..3] {
            answer_with(&state.db, Some(&owner), created.id, text).await;
        }
        // Four instances, each with its own pool, twenty requests at once.
        let states: Vec<State> = (0..4).map(|_| backend(&database)).collect();
        let calls = (0..20).map(|i| summary(&states[i % 4], created.id, Some(ada)));
        let results = futures_util::future::join_all(calls).await;
        for (status, body) in &results {
            assert_eq!(*status, StatusCode::OK, "{body}");
            assert_eq!(body, &results[0].1, "every caller sees the one summary");
        }
        assert_summary_shape(&results[0].1["summary"], 3, 0, 3);
        assert_eq!(
            count(
                &database,
                "SELECT count(*) FROM interview_sessions WHERE status = 'completed'"
            )
            .await,
            1
        );
        assert_eq!(
            count(&database, "SELECT count(*) FROM interview_answers").await,
            3
        );
        assert_eq!(
            count(&database, "SELECT count(*) FROM interview_statistics").await,
            1
        );
        let stats = statistics_match_the_rows(&database, ada).await;
        assert_eq!(stats["total_interviews"], 1);
        assert_eq!(stats["total_questions_answered"], 3);
    }

    #[tokio::test]
    async fn an_anonymous_interview_is_claimed_by_concurrent_signed_in_summaries_once() {
        let (state, database) = backend_state::<State>().await;
        // The real client: create, answer and skip without a token...
        let created = session(&state, None, 4, "Data Engineer").await;
        answer_with(&state.db, None, created.id, ANSWERS[0]).await;
        answer_with(&state.db, None, created.id, ANSWERS[1]).await;
        skip_current(&state.db, None, created.id).await;
        answer_with(&state.db, None, created.id, ANSWERS[3]).await;
        // ...then the summary with one, from several tabs at once.
        let grace = UserId::new_random();
        let states: Vec<State> = (0..4).map(|_| backend(&database)).collect();
        let calls = (0..20).map(|i| summary(&states[i % 4], created.id, Some(grace)));
        let results = futures_util::future::join_all(calls).await;
        for (status, body) in &results {
            assert_eq!(*status, StatusCode::OK, "{body}");
            assert_eq!(body, &results[0].1);
        }
        let body = &results[0].1;
        assert_eq!(body["saved_to_database"], true);
        assert_eq!(body["db_session_id"], created.id.to_string());
        assert_summary_shape(&body["summary"], 3, 1, 4);

        let uid = grace.as_uuid().to_string();
        assert_eq!(
            count(
                &database,
                &format!("SELECT count(*) FROM interview_sessions WHERE user_id = '{uid}'")
            )
            .await,
            1
        );
        assert_eq!(
            count(
                &database,
                &format!("SELECT count(*) FROM interview_answers WHERE user_id = '{uid}'")
            )
            .await,
            4,
            "the answers are claimed with the session"
        );
        let stats = statistics_match_the_rows(&database, grace).await;
        assert_eq!(stats["total_interviews"], 1);
        assert_eq!(stats["most_common_role"], "Data Engineer");

        // Now it is Grace's: nobody else's token reaches it, and no token is 401.
        let (status, _) = summary(&state, created.id, Some(UserId::new_random())).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = summary(&state, created.id, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(body["error"]["code"], "auth_required");
    }

    #[tokio::test]
    async fn an_anonymous_summary_saves_nothing_until_a_signed_in_one_claims_it() {
        let (state, database) = backend_state::<State>().await;
        let created = session(&state, None, 2, "QA Engineer").await;
        answer_with(&state.db, None, created.id, ANSWERS[0]).await;
        answer_with(&state.db, None, created.id, ANSWERS[1]).await;
        let (status, anonymous) = summary(&state, created.id, None).await;
        assert_eq!(status, StatusCode::OK, "{anonymous}");
        assert_eq!(anonymous["saved_to_database"], false);
        assert!(anonymous.get("db_session_id").is_none());
        assert_eq!(
            count(&database, "SELECT count(*) FROM interview_statistics").await,
            0
        );
        assert_eq!(
            count(&database, "SELECT count(*) FROM user_profiles").await,
            0
        );

        let ada = UserId::new_random();
        let (status, claimed) = summary(&state, created.id, Some(ada)).await;
        assert_eq!(status, StatusCode::OK, "{claimed}");
        assert_eq!(claimed["saved_to_database"], true);
        assert_eq!(
            claimed["summary"], anonymous["summary"],
            "finalized once, not twice"
        );
        let stats = statistics_match_the_rows(&database, ada).await;
        assert_eq!(stats["total_interviews"], 1);
        let (status, again) = summary(&state, created.id, Some(ada)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again, claimed);
        assert_eq!(statistics_match_the_rows(&database, ada).await, stats);
    }

    #[tokio::test]
    async fn an_unfinished_session_can_be_summarised_and_then_takes_nothing_more() {
        let (state, database) = backend_state::<State>().await;
        let ada = UserId::new_random();
        let owner = auth_user(ada).await;
        let created = session(&state, Some(&owner), 5, "Backend Engineer").await;
        answer_with(&state.db, Some(&owner), created.id, ANSWERS[0]).await;
        answer_with(&state.db, Some(&owner), created.id, ANSWERS[1]).await;
        let (status, body) = summary(&state, created.id, Some(ada)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_summary_shape(&body["summary"], 2, 0, 5);
        assert_eq!(body["summary"]["questions_unanswered"], 3);

        let input = rehearse_session_store::requests::SkipInput {
            session_id: created.id,
            question: None,
        };
        let e = rehearse_session_store::skip(
            &state.db,
            Some(&owner),
            input,
            &rehearse_session_store::Retry::default(),
        )
        .await
        .unwrap_err();
        assert!(matches!(e, SessionError::Finished), "{e:?}");
        assert_eq!(
            count(&database, "SELECT count(*) FROM interview_answers").await,
            2
        );
        statistics_match_the_rows(&database, ada).await;
    }

    #[tokio::test]
    async fn someone_elses_session_is_404_and_a_signed_in_session_needs_a_token() {
        let (state, database) = backend_state::<State>().await;
        let ada = UserId::new_random();
        let owner = auth_user(ada).await;
        let created = session(&state, Some(&owner), 3, "Backend Engineer").await;
        answer_with(&state.db, Some(&owner), created.id, ANSWERS[0]).await;
        let (status, body) = summary(&state, created.id, Some(UserId::new_random())).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["error"]["code"], "not_found");
        let (status, body) = summary(&state, created.id, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        let (status, _) = summary(&state, rehearse_core::SessionId::new_random(), Some(ada)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(
            count(
                &database,
                "SELECT count(*) FROM interview_sessions WHERE status = 'completed'"
            )
            .await,
            0
        );
        assert_eq!(
            count(&database, "SELECT count(*) FROM interview_statistics").await,
            0
        );
    }

    #[tokio::test]
    async fn statistics_add_up_over_several_sessions() {
        let (state, database) = backend_state::<State>().await;
        let ada = UserId::new_random();
        let owner = auth_user(ada).await;
        for (role, answers, skips) in [
            ("Backend Engineer", 2, 1),
            ("Data Engineer", 1, 0),
            ("Backend Engineer", 3, 0),
        ] {
            let created = session(&state, Some(&owner), 3, role).await;
            for text in &ANSWERS[..answers] {
                answer_with(&state.db, Some(&owner), created.id, text).await;
            }
            for _ in 0..skips {
                skip_current(&state.db, Some(&owner), created.id).await;
            }
            let (status, body) = summary(&state, created.id, Some(ada)).await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        let stats = statistics_match_the_rows(&database, ada).await;
        assert_eq!(stats["total_interviews"], 3);
        assert_eq!(stats["total_questions_answered"], 6);
        assert_eq!(stats["total_questions_skipped"], 1);
        assert_eq!(stats["most_common_role"], "Backend Engineer");
    }

    #[tokio::test]
    async fn a_bad_session_id_is_400() {
        let (state, _database) = backend_state::<State>().await;
        let req = with_path_param(
            event("session-summary-get", "anonymous"),
            "session_id",
            "nope",
        );
        let (status, body) = handlers::call(handler, &state, req).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "invalid_id");
    }
}
