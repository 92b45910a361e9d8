//! Paper reply slips (回执): printing them for a round with and without per-student codes, from
//! the school's page and from the command line.

use kehou_survey::domain::account::Role;
use kehou_survey::domain::slip::Serial;

use crate::codes::make_codes;
use crate::helpers::{spawn_app, TestApp};
use crate::staff_helpers::Browser;

pub const SCHOOL: &str = "3505820001";

/// The school secretary of [`SCHOOL`], signed in.
pub async fn secretary(app: &TestApp) -> Browser {
    app.make_user("sec@school.cn", Role::School, Some(SCHOOL), None);
    app.signed_in("sec@school.cn").await
}

/// The serials printed on a page of slips, in order.
pub fn serials(html: &str) -> Vec<String> {
    html.split("<span class=\"serial\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().to_string())
        .collect()
}

/// Prints `count` blank slips from the school's round page and returns their serials.
pub async fn print_slips(app: &TestApp, b: &Browser, round: i64, count: &str) -> (u16, String) {
    let school = app.school_id(SCHOOL);
    let page = format!("/admin/schools/{school}/rounds/{round}");
    let csrf = b.csrf_from(&page).await;
    let r = b
        .post(
            &format!("{page}/slips"),
            &[("csrf", &csrf), ("count", count)],
        )
        .await;
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

/// Prints the school's slips with the `slips` command: its output and the page it wrote.
pub fn slips_cli(app: &TestApp, round: i64) -> (String, String) {
    let out = app.temp_path("slips.html");
    let stdout = app.cli_ok(&[
        "slips",
        "--round",
        &round.to_string(),
        "--school",
        SCHOOL,
        "--out",
        out.to_str().unwrap(),
    ]);
    (stdout, std::fs::read_to_string(&out).unwrap())
}

#[tokio::test]
async fn slips_print_numbered_with_tick_boxes_and_never_reuse_a_serial() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let b = secretary(&app).await;
    let school = app.school_id(SCHOOL);
    let (_, page) = b
        .get_html(&format!("/admin/schools/{school}/rounds/{round}"))
        .await;
    assert!(page.contains("打印纸质回执"), "{page}");

    let (status, html) = print_slips(&app, &b, round, "3").await;
    assert_eq!(status, 200, "{html}");
    let first = serials(&html);
    assert_eq!(first.len(), 3, "{html}");
    for s in &first {
        let parsed = Serial::parse(s).unwrap().serial;
        assert_eq!((parsed.round_id, parsed.school_id), (round, school));
    }
    // The slip's parts: corner marks, a QR code, the letter, numbered boxes, ruled lines.
    assert_eq!(html.matches("<svg").count(), 3);
    assert!(html.contains("尊敬的家长"));
    assert!(html.contains("\">1. 孩子所在的年级"), "{html}");
    // Each box printed with its key before it and its label after it, where the layout puts them.
    assert!(html.contains(">1</span><span class=\"box\""), "{html}");
    assert!(html.contains(">需要</span>"), "{html}");
    assert_eq!(
        html.matches("class=\"mark\"").count(),
        4 * serials(&html).len()
    );
    assert!(html.contains("class=\"line\""));
    assert!(
        html.contains("第3题选“需要”或“还不确定，想先了解服务内容”的请填写"),
        "{html}"
    );
    // Questions not on paper stay off it.
    assert!(!html.contains("请按希望程度排序"));

    let (_, again) = print_slips(&app, &b, round, "2").await;
    let second = serials(&again);
    assert_eq!(second.len(), 2);
    assert!(
        second.iter().all(|s| !first.contains(s)),
        "{first:?} {second:?}"
    );

    let (status, refused) = print_slips(&app, &b, round, "0").await;
    assert_eq!(status, 400, "{refused}");
    assert!(refused.contains("打印份数应为"), "{refused}");
    assert!(app.audit_actions().contains(&"slips_printed".to_string()));
}

#[tokio::test]
async fn with_codes_there_is_one_slip_per_unused_code_and_the_cli_prints_the_same() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let (_, codes) = make_codes(&app, round, SCHOOL);
    let (stdout, html) = slips_cli(&app, round);
    assert!(stdout.contains("生成 4 张回执"), "{stdout}");
    assert_eq!(serials(&html).len(), codes.len());
    for c in &codes {
        assert!(html.contains(c.as_str()), "code {c} missing");
    }
    // The code fixes grade and class: the slip prints the class and does not ask for it.
    assert!(html.contains("三年级1班"));
    assert!(!html.contains("\">1. 孩子所在的年级"));
    assert!(html.contains("\">1. 您的孩子本学期是否需要"), "{html}");

    // Printed again (from the page this time), each code keeps its serial.
    let b = secretary(&app).await;
    let school = app.school_id(SCHOOL);
    let page = format!("/admin/schools/{school}/rounds/{round}");
    let csrf = b.csrf_from(&page).await;
    let r = b
        .post(&format!("{page}/slips"), &[("csrf", &csrf), ("page", "1")])
        .await;
    assert_eq!(r.status(), 200);
    let again = r.text().await.unwrap();
    let (mut a, mut b2) = (serials(&html), serials(&again));
    a.sort();
    b2.sort();
    assert_eq!(a, b2);
}
