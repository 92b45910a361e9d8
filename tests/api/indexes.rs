//! The hot queries use their indexes: the idempotency check of every submission, the
//! counting thread's look for uncounted responses, the analysis' read of a round's counters, the
//! dashboards' per-school counts, the rate limits, sessions and one-time codes. Checked with the
//! database's own EXPLAIN, on SQLite and on PostgreSQL (sequential scans switched off there, so
//! that a tiny test table does not hide a missing index).

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use kehou_survey::db::DbConnection;

use crate::helpers::spawn_app;

#[derive(QueryableByName)]
struct SqlitePlan {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlan {
    #[diesel(sql_type = Text)]
    line: String,
}

fn explain(conn: &mut DbConnection, sql: &str) -> String {
    match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<SqlitePlan>(c)
            .unwrap()
            .into_iter()
            .map(|p| p.detail)
            .collect::<Vec<_>>()
            .join("\n"),
        DbConnection::Pg(c) => {
            c.batch_execute(
                "SET enable_seqscan = off;
                 CREATE OR REPLACE FUNCTION pg_temp.plan_of(q text) RETURNS SETOF text
                 LANGUAGE plpgsql AS $$ DECLARE r text; BEGIN
                   FOR r IN EXECUTE 'EXPLAIN ' || q LOOP RETURN NEXT r; END LOOP; END $$;",
            )
            .unwrap();
            diesel::sql_query("SELECT pg_temp.plan_of($1) AS line")
                .bind::<Text, _>(sql)
                .load::<PgPlan>(c)
                .unwrap()
                .into_iter()
                .map(|p| p.line)
                .collect::<Vec<_>>()
                .join("\n")
        }
    }
}

#[tokio::test]
async fn the_hot_queries_use_their_indexes() {
    let app = spawn_app().await;
    app.setup_round();
    let mut conn = app.conn();
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    // (query as the code sends it, the index SQLite names, the index PostgreSQL names)
    let cases = [
        (
            r#"SELECT "responses"."id" FROM "responses" WHERE "responses"."idempotency_key" = 'k'"#,
            "sqlite_autoindex_responses_1",
            "responses_idempotency_key_key",
        ),
        (
            r#"SELECT "responses"."id" FROM "responses" WHERE NOT ("responses"."counted") ORDER BY "responses"."id" LIMIT 250"#,
            "responses_uncounted",
            "responses_uncounted",
        ),
        (
            r#"SELECT "answer_counts"."school_id", "answer_counts"."n" FROM "answer_counts" WHERE "answer_counts"."round_id" = 1"#,
            "PRIMARY KEY",
            "answer_counts_pkey",
        ),
        (
            r#"SELECT "responses"."school_id", COUNT(*) FROM "responses" WHERE "responses"."round_id" = 1 GROUP BY "responses"."school_id""#,
            "responses_round_school",
            "responses_round_school",
        ),
        (
            r#"SELECT COUNT(*) FROM "rate_events" WHERE "rate_events"."key_hash" = 'x' AND "rate_events"."at" > '2026-01-01'"#,
            "rate_events_key_at",
            "rate_events_key_at",
        ),
        (
            r#"SELECT "sessions"."user_id" FROM "sessions" WHERE "sessions"."id_hash" = 'x'"#,
            "sqlite_autoindex_sessions_1",
            "sessions_pkey",
        ),
        (
            r#"SELECT "access_codes"."round_id" FROM "access_codes" WHERE "access_codes"."code" = 'x'"#,
            "sqlite_autoindex_access_codes_1",
            "access_codes_pkey",
        ),
    ];
    for (sql, sqlite_index, pg_index) in cases {
        let plan = explain(&mut conn, sql);
        if sqlite {
            assert!(plan.contains(sqlite_index), "{sql}\n{plan}");
            assert!(
                !plan
                    .lines()
                    .any(|l| l.starts_with("SCAN") && !l.contains("INDEX")),
                "a full table scan: {sql}\n{plan}"
            );
        } else {
            assert!(plan.contains(pg_index), "{sql}\n{plan}");
            assert!(!plan.contains("Seq Scan"), "{sql}\n{plan}");
        }
    }
}
