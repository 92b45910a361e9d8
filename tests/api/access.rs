//! The role matrix: every route in the route table, for anonymous visitors,
//! two school administrators, two township officers and the bureau. A route
//! added to the table without a row here fails `every_route_is_classified`.

use kehou_survey::auth::access::Access;
use kehou_survey::domain::account::Role;
use kehou_survey::routes::TABLE;

use crate::helpers::spawn_app;
use crate::staff_helpers::{location, Browser};

/// What each route is meant to be. Kept by hand on purpose: changing a
/// route's access must change this list too.
const EXPECTED: &[(&str, &str, Access)] = &[
    ("get", "/", Access::Public),
    ("get", "/healthz", Access::Public),
    ("get", "/metrics", Access::Public),
    ("get", "/api/openapi.json", Access::Public),
    ("get", "/static/survey.js", Access::Public),
    ("get", "/static/paper.js", Access::Public),
    ("get", "/static/staff.js", Access::Public),
    ("get", "/static/editor.js", Access::Public),
    ("get", "/s/{slug}", Access::Public),
    ("post", "/s/{slug}", Access::Public),
    ("get", "/s/{slug}/form", Access::Public),
    ("get", "/s/{slug}/thanks", Access::Public),
    ("get", "/c/{code}", Access::Public),
    ("get", "/k/{session}", Access::Public),
    ("get", "/k/{session}/next", Access::Public),
    ("get", "/s/{slug}/qr.png", Access::Public),
    ("get", "/s/{slug}/qr.svg", Access::Public),
    ("get", "/s/{slug}/letter", Access::Public),
    ("get", "/s/{slug}/feedback", Access::Public),
    ("post", "/s/{slug}/feedback", Access::Public),
    ("get", "/feedback", Access::Public),
    ("post", "/feedback", Access::Public),
    ("get", "/cases", Access::Public),
    ("get", "/cases/files/{file_id}", Access::Public),
    ("get", "/setup/{token}", Access::Public),
    ("post", "/setup/{token}", Access::Public),
    ("get", "/login", Access::Public),
    ("post", "/login", Access::Public),
    ("get", "/invite/{token}", Access::Public),
    ("post", "/invite/{token}", Access::Public),
    ("get", "/password-reset", Access::Public),
    ("post", "/password-reset", Access::Public),
    ("get", "/reset/{token}", Access::Public),
    ("post", "/reset/{token}", Access::Public),
    ("post", "/logout", Access::Staff),
    ("get", "/account/password", Access::Staff),
    ("post", "/account/password", Access::Staff),
    ("get", "/admin", Access::Staff),
    ("get", "/admin/schools/{school_id}", Access::Staff),
    ("get", "/admin/schools/{school_id}/plan", Access::Staff),
    (
        "post",
        "/admin/schools/{school_id}/plan",
        Access::SchoolStaff,
    ),
    (
        "get",
        "/admin/schools/{school_id}/rounds/{round_id}",
        Access::Staff,
    ),
    (
        "post",
        "/admin/schools/{school_id}/rounds/{round_id}/codes",
        Access::SchoolStaff,
    ),
    (
        "get",
        "/admin/schools/{school_id}/rounds/{round_id}/codes",
        Access::SchoolStaff,
    ),
    (
        "post",
        "/admin/schools/{school_id}/rounds/{round_id}/slips",
        Access::SchoolStaff,
    ),
    (
        "get",
        "/admin/schools/{school_id}/rounds/{round_id}/paper",
        Access::SchoolStaff,
    ),
    (
        "post",
        "/admin/schools/{school_id}/rounds/{round_id}/paper",
        Access::SchoolStaff,
    ),
    (
        "get",
        "/admin/schools/{school_id}/rounds/{round_id}/paper/compare",
        Access::SchoolStaff,
    ),
    (
        "get",
        "/admin/schools/{school_id}/rounds/{round_id}/scans",
        Access::SchoolStaff,
    ),
    (
        "post",
        "/admin/schools/{school_id}/rounds/{round_id}/scans",
        Access::SchoolStaff,
    ),
    (
        "get",
        "/admin/schools/{school_id}/rounds/{round_id}/scans/{review_id}",
        Access::SchoolStaff,
    ),
    (
        "post",
        "/admin/schools/{school_id}/rounds/{round_id}/scans/{review_id}",
        Access::SchoolStaff,
    ),
    (
        "post",
        "/admin/schools/{school_id}/rounds/{round_id}/scans/{review_id}/aside",
        Access::SchoolStaff,
    ),
    (
        "get",
        "/admin/schools/{school_id}/rounds/{round_id}/scans/{review_id}/picture/{question}",
        Access::SchoolStaff,
    ),
    (
        "post",
        "/admin/schools/{school_id}/rounds/{round_id}/paper/compare",
        Access::SchoolStaff,
    ),
    (
        "get",
        "/admin/schools/{school_id}/rounds/{round_id}/analysis",
        Access::Staff,
    ),
    (
        "post",
        "/admin/schools/{school_id}/rounds/{round_id}/class-sessions",
        Access::SchoolStaff,
    ),
    (
        "get",
        "/admin/schools/{school_id}/class-sessions/{session}",
        Access::SchoolStaff,
    ),
    (
        "get",
        "/admin/schools/{school_id}/rounds/{round_id}/supplement",
        Access::Staff,
    ),
    (
        "post",
        "/admin/schools/{school_id}/rounds/{round_id}/supplement",
        Access::SchoolStaff,
    ),
    (
        "get",
        "/admin/schools/{school_id}/rounds/{round_id}/supplement/answers",
        Access::Staff,
    ),
    ("get", "/admin/coverage", Access::Township),
    (
        "get",
        "/admin/townships/{township_id}/rounds/{round_id}/analysis",
        Access::Township,
    ),
    (
        "post",
        "/admin/rounds/{round_id}/reminders",
        Access::Township,
    ),
    ("get", "/admin/complaints", Access::Staff),
    ("get", "/admin/complaints/{complaint_id}", Access::Staff),
    (
        "post",
        "/admin/complaints/{complaint_id}/assign",
        Access::Township,
    ),
    (
        "post",
        "/admin/complaints/{complaint_id}/plan",
        Access::SchoolStaff,
    ),
    (
        "post",
        "/admin/complaints/{complaint_id}/follow-up",
        Access::Township,
    ),
    (
        "post",
        "/admin/complaints/{complaint_id}/close",
        Access::Bureau,
    ),
    ("get", "/admin/schools/{school_id}/cases", Access::Staff),
    (
        "post",
        "/admin/schools/{school_id}/cases",
        Access::SchoolStaff,
    ),
    ("get", "/admin/cases", Access::Township),
    ("post", "/admin/cases/{case_id}/recommend", Access::Township),
    ("post", "/admin/cases/{case_id}/select", Access::Bureau),
    ("get", "/admin/cases/export", Access::Bureau),
    ("get", "/admin/cases/{case_id}", Access::Staff),
    (
        "get",
        "/admin/cases/{case_id}/files/{file_id}",
        Access::Staff,
    ),
    ("get", "/admin/schools", Access::Bureau),
    ("post", "/admin/schools/import", Access::Bureau),
    ("get", "/admin/surveys/import", Access::Bureau),
    ("post", "/admin/surveys/import", Access::Bureau),
    ("get", "/admin/townships", Access::Bureau),
    ("post", "/admin/townships", Access::Bureau),
    ("get", "/admin/accounts", Access::Bureau),
    ("post", "/admin/accounts", Access::Bureau),
    ("post", "/admin/accounts/{user_id}/active", Access::Bureau),
    ("get", "/admin/rounds", Access::Bureau),
    ("get", "/admin/rounds/{round_id}/analysis", Access::Bureau),
    ("post", "/admin/rounds", Access::Bureau),
    ("get", "/admin/ledger", Access::Bureau),
    ("post", "/admin/ledger", Access::Bureau),
    ("get", "/admin/audit", Access::Bureau),
    ("get", "/admin/surveys", Access::Township),
    ("post", "/admin/surveys", Access::Bureau),
    ("get", "/admin/surveys/{survey_key}", Access::Township),
    ("post", "/admin/surveys/{survey_key}", Access::Bureau),
    (
        "get",
        "/admin/surveys/{survey_key}/preview",
        Access::Township,
    ),
    (
        "get",
        "/admin/surveys/{survey_key}/history",
        Access::Township,
    ),
    (
        "get",
        "/admin/surveys/{survey_key}/export",
        Access::Township,
    ),
    ("post", "/admin/surveys/{survey_key}/import", Access::Bureau),
];

#[test]
fn every_route_is_classified() {
    for r in TABLE {
        let expected = EXPECTED
            .iter()
            .find(|(m, p, _)| *m == r.method && *p == r.path)
            .unwrap_or_else(|| {
                panic!(
                    "route {} {} is not in the access matrix test",
                    r.method, r.path
                )
            });
        assert_eq!(expected.2, r.access, "{} {}", r.method, r.path);
    }
    assert_eq!(
        EXPECTED.len(),
        TABLE.len(),
        "the matrix lists a route the table no longer has"
    );
}

/// The README's promise: township officers view their township's pages, send reminders, and
/// assign and follow up their township's complaints, and recommend its typical cases. Besides their own account (sign out,
/// password), no other route that changes anything admits them, and they never see a
/// school's one-time codes.
#[test]
fn township_officers_only_view_remind_and_follow_up() {
    const THEIRS: [&str; 6] = [
        "/logout",
        "/account/password",
        "/admin/rounds/{round_id}/reminders",
        "/admin/complaints/{complaint_id}/assign",
        "/admin/complaints/{complaint_id}/follow-up",
        "/admin/cases/{case_id}/recommend",
    ];
    for r in TABLE {
        if r.access == Access::Public || !r.access.admits(Role::Township) {
            continue;
        }
        assert!(
            r.method == "get" || THEIRS.contains(&r.path),
            "township officers can {} {}",
            r.method,
            r.path
        );
        assert!(!r.path.ends_with("/codes"), "township officers see codes");
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Anonymous,
    SchoolA,
    SchoolB,
    TownshipA,
    TownshipB,
    Bureau,
}

impl Who {
    fn email(self) -> &'static str {
        match self {
            Who::Anonymous => "",
            Who::SchoolA => "a@school.cn",
            Who::SchoolB => "b@school.cn",
            Who::TownshipA => "qy@town.cn",
            Who::TownshipB => "ah@town.cn",
            Who::Bureau => "admin@bureau.cn",
        }
    }
    fn role(self) -> Option<Role> {
        match self {
            Who::Anonymous => None,
            Who::SchoolA | Who::SchoolB => Some(Role::School),
            Who::TownshipA | Who::TownshipB => Some(Role::Township),
            Who::Bureau => Some(Role::Bureau),
        }
    }
    /// Whether township A (school A's, the one every `{township_id}` names) is within reach.
    fn reaches_township_a(self) -> bool {
        matches!(self, Who::TownshipA | Who::Bureau)
    }
    /// Whether school A (the one every `{school_id}` names) is within reach.
    fn reaches_school_a(self) -> bool {
        matches!(self, Who::SchoolA | Who::TownshipA | Who::Bureau)
    }
}

const ALL: [Who; 6] = [
    Who::Anonymous,
    Who::SchoolA,
    Who::SchoolB,
    Who::TownshipA,
    Who::TownshipB,
    Who::Bureau,
];

#[tokio::test]
async fn every_route_for_every_role() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let slug = app.slug(round, "3505820001");
    let school_a = app.school_id("3505820001");
    let township_a = app.township_id("青阳街道");
    app.make_user(Who::SchoolA.email(), Role::School, Some("3505820001"), None);
    app.make_user(Who::SchoolB.email(), Role::School, Some("3505820002"), None);
    app.make_user(
        Who::TownshipA.email(),
        Role::Township,
        None,
        Some("青阳街道"),
    );
    app.make_user(Who::TownshipB.email(), Role::Township, None, Some("安海镇"));
    app.make_user(Who::Bureau.email(), Role::Bureau, None, None);
    let throwaway = app.make_user("spare@school.cn", Role::School, Some("3505820003"), None);
    // A complaint assigned to school A (and so township A), which its school then reaches.
    let complaint = kehou_survey::db::complaints::insert(
        &mut app.conn(),
        &kehou_survey::db::complaints::NewComplaint {
            school_id: Some(school_a),
            township_id: Some(township_a),
            kind: "complaint".into(),
            body: "托管时间太短".into(),
            contact: None,
            office: "primary".into(),
        },
        app.clock.now(),
    )
    .unwrap();
    kehou_survey::db::complaints::assign(
        &mut app.conn(),
        complaint,
        school_a,
        township_a,
        app.clock.now(),
    )
    .unwrap();
    // A typical case of school A, with one PDF (file 1) in the data folder.
    let pdf = crate::cases::PDF;
    let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(pdf));
    let dir = app.temp_path("data").join("cases");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{hash}.pdf")), pdf).unwrap();
    let case = kehou_survey::db::cases::insert(
        &mut app.conn(),
        &kehou_survey::db::cases::NewCase {
            school_id: school_a,
            township_id: township_a,
            title: "科学实验社团",
            category: "science",
            body: "做法",
            created_by: throwaway,
        },
        &[kehou_survey::db::cases::NewFile {
            kind: "pdf",
            sha256: &hash,
            size: pdf.len() as i64,
            name: "方案.pdf",
        }],
        app.clock.now(),
    )
    .unwrap();

    // A survey written on the web (a draft of the shipped needs survey).
    kehou_survey::db::survey_heads::put_draft(
        &mut app.conn(),
        "web-1",
        &std::fs::read_to_string(app.survey_dir.join("after-school-needs.toml")).unwrap(),
        None,
        app.clock.now(),
    )
    .unwrap();

    // A scanned slip of school A waiting for review, with a picture of its doubted question.
    kehou_survey::db::scans::keep(
        &mut app.conn(),
        kehou_survey::db::scans::NewReview {
            ids: (round, school_a),
            serial: "1-1-0001-3",
            source: "文件“一班.pdf”第 1 页",
            fields: "[]".into(),
            doubts: r#"{"need":"有方框的记号太淡"}"#.into(),
            crops: vec![("need".into(), vec![0x89, b'P', b'N', b'G'])],
            by: None,
            now: app.clock.now(),
        },
    )
    .unwrap();
    let review: i64 = {
        use diesel::prelude::*;
        use kehou_survey::db::schema::scan_reviews;
        scan_reviews::table
            .select(scan_reviews::id)
            .first(&mut app.conn())
            .unwrap()
    };

    // A computer-room session of school A.
    kehou_survey::db::class_sessions::create(
        &mut app.conn(),
        &kehou_survey::db::class_sessions::NewSession {
            code: "ABC234",
            round_id: round,
            school_id: school_a,
            grade: 4,
            class_no: 1,
            expected: 30,
            opened_at: app.clock.now(),
            closes_at: app.clock.now() + chrono::Duration::minutes(40),
            opened_by: None,
        },
    )
    .unwrap();

    let fill = |p: &str| {
        p.replace("{slug}", &slug)
            .replace("{school_id}", &school_a.to_string())
            .replace("{township_id}", &township_a.to_string())
            .replace("{round_id}", &round.to_string())
            .replace("{code}", "0000-0000-0000-0000-0000")
            .replace("{session}", "ABC234")
            .replace("{token}", "not-a-token")
            .replace("{user_id}", &throwaway.to_string())
            .replace("{complaint_id}", &complaint.to_string())
            .replace("{case_id}", &case.to_string())
            .replace("{file_id}", "1")
            .replace("{survey_key}", "web-1")
            .replace("{review_id}", &review.to_string())
            .replace("{question}", "need")
    };

    for route in TABLE {
        let path = fill(route.path);
        let is_get = route.method == "get";
        for who in ALL {
            let b = match who {
                Who::Anonymous => Browser::new(&app),
                _ => app.signed_in(who.email()).await,
            };
            let resp = if is_get {
                b.get(&path).await
            } else {
                b.post(&path, &[]).await
            };
            let status = resp.status().as_u16();
            let what = format!("{who:?} {} {path}", route.method);
            assert_ne!(status, 500, "{what}");
            if route.access == Access::Public {
                assert!(
                    !location(&resp).starts_with("/login?next"),
                    "{what}: public route asked for sign-in"
                );
                continue;
            }
            let Some(role) = who.role() else {
                if is_get {
                    assert_eq!(status, 303, "{what}");
                    assert!(location(&resp).starts_with("/login?next="), "{what}");
                } else {
                    assert_eq!(status, 403, "{what}");
                }
                continue;
            };
            if !route.access.admits(role) {
                assert_eq!(status, 403, "{what}: role not admitted");
                continue;
            }
            if route.path.contains("{township_id}") && !who.reaches_township_a() {
                assert_eq!(
                    status, 404,
                    "{what}: another township must not be reachable"
                );
                continue;
            }
            if ["{school_id}", "{complaint_id}", "{case_id}"]
                .iter()
                .any(|p| route.path.contains(p))
                && !who.reaches_school_a()
            {
                assert_eq!(
                    status, 404,
                    "{what}: another school's data must not be reachable"
                );
                continue;
            }
            if is_get {
                assert!(status == 200 || status == 303, "{what}: {status}");
            } else {
                // Without its CSRF token every state-changing request is refused…
                assert_eq!(status, 403, "{what}: POST without a CSRF token");
                // …and with it, it gets past the guard.
                let csrf = b.csrf_from("/account/password").await;
                let resp = b.post(&path, &[("csrf", &csrf)]).await;
                let s = resp.status().as_u16();
                assert!(s != 403 && s != 500, "{what} with CSRF token: {s}");
            }
        }
    }
}

/// The audit log can be read (bureau only) and never written through the app: no route but
/// the GET of its page, and the data layer has no update or delete for it.
#[tokio::test]
async fn the_audit_log_cannot_be_edited_through_the_app() {
    let audit_routes: Vec<_> = TABLE
        .iter()
        .filter(|r| r.path.starts_with("/admin/audit"))
        .collect();
    assert_eq!(audit_routes.len(), 1);
    assert_eq!(audit_routes[0].method, "get");
    let source = include_str!("../../src/db/audit.rs");
    for verb in ["diesel::update", "diesel::delete", "DELETE ", "UPDATE "] {
        assert!(!source.contains(verb), "src/db/audit.rs must not {verb}");
    }
    let app = spawn_app().await;
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let before = app.audit_actions().len();
    let csrf = bureau.csrf_from("/admin/audit").await;
    for path in ["/admin/audit", "/admin/audit/1", "/admin/audit/1/delete"] {
        let status = bureau
            .post(path, &[("csrf", &csrf)])
            .await
            .status()
            .as_u16();
        assert!(status == 404 || status == 405, "{path}: {status}");
    }
    assert_eq!(app.audit_actions().len(), before);
}
