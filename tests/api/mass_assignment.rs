//! Mass assignment in staff forms (submissions: bad_input.rs): a smuggled
//! `role`, `school_id`, `active` or `round_id`, or a field sent twice, is
//! refused with 400 and changes nothing.

use kehou_survey::db;
use kehou_survey::domain::account::Role;

use crate::helpers::spawn_app;

#[tokio::test]
async fn smuggled_or_repeated_fields_in_admin_forms_change_nothing() {
    let app = spawn_app().await;
    app.import_standard_roster();
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let secretary = app.make_user("sec@school.cn", Role::School, Some("3505820001"), None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let school_id = app.school_id("3505820002").to_string();
    let users_before = db::users::list(&mut app.conn()).unwrap().len();

    let csrf = bureau.csrf_from("/admin/accounts").await;
    let invite = |extra: &'static [(&'static str, &'static str)]| {
        let mut v: Vec<(&str, &str)> = vec![
            ("name", "新同事"),
            ("email", "new@school.cn"),
            ("role", "school"),
            ("school_code", "3505820001"),
            ("township_id", ""),
        ];
        v.extend_from_slice(extra);
        v
    };
    let cases: [(&str, Vec<(&str, &str)>); 5] = [
        ("role twice", invite(&[("role", "bureau")])),
        ("active", invite(&[("active", "1")])),
        ("school_id", {
            let mut v = invite(&[]);
            v.push(("school_id", &school_id));
            v
        }),
        ("password_hash", invite(&[("password_hash", "x")])),
        ("csrf twice", invite(&[("csrf", "forged")])),
    ];
    for (what, fields) in cases {
        let mut pairs = vec![("csrf", csrf.as_str())];
        pairs.extend(fields);
        let r = bureau.post("/admin/accounts", &pairs).await;
        assert_eq!(r.status(), 400, "{what}");
        assert_eq!(
            db::users::list(&mut app.conn()).unwrap().len(),
            users_before,
            "{what}: an account was created"
        );
    }
    // The same form without the extra field works: the refusals were the field's.
    let mut pairs = vec![("csrf", csrf.as_str())];
    pairs.extend(invite(&[]));
    assert_eq!(bureau.post("/admin/accounts", &pairs).await.status(), 200);
    let created = db::users::find_by_email(&mut app.conn(), "new@school.cn")
        .unwrap()
        .unwrap();
    assert_eq!((created.role(), created.active), (Role::School, true));

    // Turning an account off cannot also change its role or school.
    let path = format!("/admin/accounts/{secretary}/active");
    for extra in [
        ("role", "bureau"),
        ("school_id", school_id.as_str()),
        ("active", "1"),
    ] {
        let r = bureau
            .post(&path, &[("csrf", &csrf), ("active", "0"), extra])
            .await;
        assert_eq!(r.status(), 400, "{extra:?}");
        let u = db::users::find(&mut app.conn(), secretary)
            .unwrap()
            .unwrap();
        assert_eq!(u.role(), Role::School);
        assert!(u.active, "{extra:?}: the account was turned off");
        assert_eq!(u.school_id, Some(app.school_id("3505820001")));
    }

    // A round cannot be published with a smuggled round or school.
    for extra in [("round_id", "7"), ("school_id", school_id.as_str())] {
        let r = bureau
            .post(
                "/admin/rounds",
                &[
                    ("csrf", &csrf),
                    ("survey", "after-school-needs"),
                    ("name", "夹带字段"),
                    ("opens", "2026-01-01"),
                    ("closes", "2099-12-31"),
                    ("township_id", ""),
                    extra,
                ],
            )
            .await;
        assert_eq!(r.status(), 400, "{extra:?}");
        assert!(db::rounds::list(&mut app.conn()).unwrap().is_empty());
    }
}
