//! A school's own questions after the city's core survey (本校补充题): added on the school's
//! page before the round opens, asked in that school's form only, validated like the core,
//! shown in that school's report and in no township or city report or export; read-only once
//! the round opens; at most as many as the round allows.

use kehou_survey::domain::account::Role;

use crate::helpers::{
    assert_field_error, assert_kept, encode, error_ids, html_of, spawn_app, valid_needs_answers,
    with_meta, TestApp,
};
use crate::staff_helpers::Browser;

const TITLE: &str = "您希望学校开设哪种非遗手艺课？";
const NUMBER_TITLE: &str = "孩子每周最多能参加几次手艺课？";
const TEXT_TITLE: &str = "您还希望学校请哪些老艺人来校？";
const TEXT_ANSWER: &str = "泉州提线木偶，电话13812345678";
const SCHOOL_A: &str = "3505820001";
const SCHOOL_B: &str = "3505820002";

/// The standard roster and a needs round opening in two days that allows `max` questions.
fn round_opening_later(app: &TestApp, max: &str) -> i64 {
    app.import_standard_roster();
    let dir = app.survey_dir.clone();
    app.publish_with(
        &dir,
        "after-school-needs",
        ("+2", "+30"),
        &["--supplement-max", max, "--sections", "summer"],
    )
}

async fn post_question(b: &Browser, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    // The password page always has a form (a read-only supplement page has none).
    let csrf = b.csrf_from("/account/password").await;
    let mut pairs = vec![("csrf", csrf.as_str())];
    pairs.extend_from_slice(fields);
    let r = b.post(path, &pairs).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

fn single(title: &'static str, options: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("action", "add"),
        ("n", "0"),
        ("kind", "single"),
        ("title", title),
        ("options", options),
        ("min", ""),
        ("max", ""),
        ("required", "1"),
    ]
}

#[tokio::test]
async fn a_supplement_is_asked_and_reported_at_its_school_only() {
    let app = spawn_app().await;
    let round = round_opening_later(&app, "3");
    let a = app.school_id(SCHOOL_A);
    app.make_user("a@example.edu.cn", Role::School, Some(SCHOOL_A), None);
    app.make_user("b@example.edu.cn", Role::School, Some(SCHOOL_B), None);
    app.make_user("qy@example.edu.cn", Role::Township, None, Some("青阳街道"));
    app.make_user("ah@example.edu.cn", Role::Township, None, Some("安海镇"));
    app.make_user("boss@example.edu.cn", Role::Bureau, None, None);
    let school = app.signed_in("a@example.edu.cn").await;
    let page = format!("/admin/schools/{a}/rounds/{round}/supplement");

    // The round page points to it.
    let (status, html) = school
        .get_html(&format!("/admin/schools/{a}/rounds/{round}"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("本校补充题") && html.contains(&format!("href=\"{page}\"")));

    // Two questions; a third is one more than the round allows.
    let (status, _) = post_question(
        &school,
        &page,
        &single(TITLE, "德化瓷塑\n安溪竹藤编\n惠安石雕"),
    )
    .await;
    assert_eq!(status, 303);
    let mut number = single(NUMBER_TITLE, "");
    number[2].1 = "number";
    (number[5].1, number[6].1) = ("0", "5");
    let (status, _) = post_question(&school, &page, &number).await;
    assert_eq!(status, 303);
    let mut text = single(TEXT_TITLE, "");
    (text[2].1, text[7].1) = ("text", "");
    let (status, _) = post_question(&school, &page, &text).await;
    assert_eq!(status, 303);
    let (status, html) = post_question(&school, &page, &single("第四题", "甲\n乙")).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("本轮每所学校最多添加 3 道补充题，已经有 3 道了。"),
        "{html}"
    );
    assert!(html.contains("value=\"第四题\""), "what was typed stays");

    // The bureau and the school's township read it; another school and township do not.
    for who in ["boss@example.edu.cn", "qy@example.edu.cn"] {
        let (status, html) = app.signed_in(who).await.get_html(&page).await;
        assert_eq!(status, 200, "{who}");
        assert!(html.contains(TITLE) && html.contains("惠安石雕"), "{who}");
    }
    let (_, html) = app
        .signed_in("qy@example.edu.cn")
        .await
        .get_html(&page)
        .await;
    assert!(
        !html.contains("添加一道补充题"),
        "a township officer only reads"
    );
    for who in ["b@example.edu.cn", "ah@example.edu.cn"] {
        let (status, html) = app.signed_in(who).await.get_html(&page).await;
        assert_eq!(status, 404, "{who}");
        assert!(!html.contains(TITLE));
    }

    // Once the round opens the supplement is read-only.
    app.clock.advance(chrono::Duration::days(3));
    let school = app.signed_in("a@example.edu.cn").await;
    let (status, html) = post_question(&school, &page, &single("开学后加的题", "甲\n乙")).await;
    assert_eq!(status, 422);
    assert!(html.contains("本校补充题不能再添加、修改或删除"), "{html}");
    let (status, html) = school.get_html(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains("只能查看") && !html.contains("开学后加的题"));
    assert!(!html.contains("添加一道补充题"));

    // Paper slips carry the core only.
    let (status, slips) = crate::paper::print_slips(&app, &school, round, "2").await;
    assert_eq!(status, 200);
    assert_eq!(crate::paper::serials(&slips).len(), 2);
    assert!(!slips.contains(TITLE) && !slips.contains("惠安石雕"));

    // School A's parents are asked it; school B's are not.
    let slug_a = app.slug(round, SCHOOL_A);
    let (form_a, _) = app.open_form(&slug_a, None).await;
    assert!(form_a.contains(TITLE) && form_a.contains("安溪竹藤编"));
    assert!(form_a.contains("name=\"q.school_q2\""));
    let (form_b, _) = app.open_form(&app.slug(round, SCHOOL_B), None).await;
    assert!(!form_b.contains(TITLE) && !form_b.contains("school_q"));

    // A bad answer to it comes back like a core one: the error at the question, every answer
    // kept, nothing stored.
    let mut answers = valid_needs_answers();
    answers.extend([
        ("q.school_q1", "o3"),
        ("q.school_q3", TEXT_ANSWER),
        ("q.school_q2", "9"),
    ]);
    let (_, idem) = app.open_form(&slug_a, None).await;
    let resp = app
        .post_form(&slug_a, encode(&with_meta(&idem, &answers)))
        .await;
    assert_eq!(resp.status(), 422);
    let html = html_of(resp).await;
    assert_eq!(error_ids(&html), ["school_q2"]);
    assert!(html.contains("有 1 道题需要修改"));
    let kept: Vec<_> = answers
        .iter()
        .copied()
        .filter(|(k, _)| *k != "q.school_q2")
        .collect();
    assert_kept(&html, &kept);
    assert_eq!(app.response_count(round), 0);
    assert_field_error(&html, "school_q2", "请填写 0 到 5 之间的整数");

    answers.pop();
    answers.push(("q.school_q2", "4"));
    // The phone number in the text is asked about once, then kept as written.
    let (_, idem) = app.open_form(&slug_a, None).await;
    let mut pairs = with_meta(&idem, &answers);
    pairs.push(("pii_ok", "1"));
    let resp = app.post_form(&slug_a, encode(&pairs)).await;
    assert_eq!(resp.status(), 303);
    let stored = app.stored_answers(&idem);
    assert_eq!(stored["school_q1"], "o3");
    assert_eq!(stored["school_q2"], 4);
    assert_eq!(stored["school_q3"], TEXT_ANSWER);
    app.submit(&app.slug(round, SCHOOL_B), &valid_needs_answers())
        .await;
    app.count_waiting_responses();

    // The school's report has it with its title and options; the township's and the city's
    // do not, and their figures still come.
    let bureau = app.signed_in("boss@example.edu.cn").await;
    let (status, html) = school
        .get_html(&format!("/admin/schools/{a}/rounds/{round}/analysis"))
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains(TITLE) && html.contains("惠安石雕") && html.contains(NUMBER_TITLE),
        "{html}"
    );
    assert!(!html.contains("school_q"), "no raw ids on the page");
    // Its answers, 填空 included, as a table for the school and its township; the phone masked.
    let csv_path = format!("{page}/answers");
    for b in [&school, &app.signed_in("qy@example.edu.cn").await] {
        let csv = String::from_utf8(b.get_bytes(&csv_path).await).unwrap();
        assert!(
            csv.contains(TEXT_TITLE) && csv.contains("惠安石雕") && csv.contains("三年级"),
            "{csv}"
        );
        assert!(
            csv.contains("泉州提线木偶") && !csv.contains("13812345678"),
            "{csv}"
        );
        assert_eq!(csv.lines().count(), 2, "one response: {csv}");
    }
    let (status, _) = app
        .signed_in("b@example.edu.cn")
        .await
        .get_html(&csv_path)
        .await;
    assert_eq!(status, 404);
    let qy = app.township_id("青阳街道");
    for path in [
        format!("/admin/townships/{qy}/rounds/{round}/analysis"),
        format!("/admin/rounds/{round}/analysis"),
        format!("/admin/rounds/{round}/analysis?format=csv"),
    ] {
        let (status, body) = bureau.get_html(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(body.contains("科学"), "{path}: the core figures are there");
        assert!(
            !body.contains(TITLE)
                && !body.contains("惠安石雕")
                && !body.contains("school_q")
                && !body.contains(TEXT_TITLE),
            "{path}"
        );
    }
    let json = bureau
        .get_json(&format!("/admin/rounds/{round}/analysis?format=json"))
        .await;
    assert!(!json.to_string().contains("school_q"));

    // The raw exports are the city's: the core only, one survey version.
    let round_s = round.to_string();
    for format in ["csv", "json"] {
        let out = app.temp_path(&format!("raw.{format}"));
        app.cli_ok(&[
            "export",
            "--round",
            &round_s,
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
        ]);
        let body = std::fs::read_to_string(&out).unwrap();
        assert!(
            body.contains(SCHOOL_A),
            "{format}: school A's response is exported"
        );
        assert!(
            !body.contains("school_q")
                && !body.contains("惠安石雕")
                && !body.contains(TITLE)
                && !body.contains("提线木偶"),
            "{format}: {body}"
        );
    }

    // Every save is in the audit log, in words.
    assert_eq!(
        app.audit_actions()
            .iter()
            .filter(|a| *a == "supplement_saved")
            .count(),
        3
    );
    let (_, audit) = bureau.get_html("/admin/audit").await;
    assert!(
        audit.contains("修改本校补充题") && audit.contains("新增一题"),
        "{audit}"
    );
}

#[tokio::test]
async fn a_question_is_checked_changed_and_removed_and_zero_allows_none() {
    let app = spawn_app().await;
    let round = round_opening_later(&app, "2");
    let a = app.school_id(SCHOOL_A);
    app.make_user("a@example.edu.cn", Role::School, Some(SCHOOL_A), None);
    let school = app.signed_in("a@example.edu.cn").await;
    let page = format!("/admin/schools/{a}/rounds/{round}/supplement");

    // A choice question needs two options, each once; nothing is saved until it is right.
    let (status, html) = post_question(&school, &page, &single(TITLE, "德化瓷塑\n德化瓷塑")).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("选项：第 2 个选项“德化瓷塑”和前面的选项重复了。"),
        "{html}"
    );
    assert!(html.contains("本校还没有补充题"));
    // Options may be ticked from the school's plan (一校一案), before any typed ones.
    let mut picked = single("您最想让孩子参加哪项活动？", "其他");
    picked.push(("plan_2", "1"));
    let (status, html) = post_question(&school, &page, &picked).await;
    assert_eq!(status, 422, "no plan yet");
    assert!(html.contains("所选的一校一案活动已不在方案中"), "{html}");
    let plan = format!("/admin/schools/{a}/plan");
    let csrf = school.csrf_from(&plan).await;
    let saved = school
        .post(
            &plan,
            &[
                ("csrf", &csrf),
                ("term", "2026秋"),
                ("extra_n", "2"),
                ("days_per_week", "5"),
                ("minutes_per_day", "120"),
                ("teachers", "20"),
                ("outside_staff", "0"),
                ("a.0.name", "科学实验社"),
                ("a.0.category", "science.experiment"),
                ("a.0.weekly", "2"),
                ("a.0.capacity", "40"),
                ("a.0.fee", "0"),
                ("a.1.name", "南音社"),
                ("a.1.category", "heritage.nanyin"),
                ("a.1.weekly", "1"),
                ("a.1.capacity", "30"),
                ("a.1.fee", "0"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let (_, html) = school.get_html(&page).await;
    assert!(html.contains("选项：南音社（本校一校一案）"), "{html}");
    assert_eq!(post_question(&school, &page, &picked).await.0, 303);
    let (_, html) = school.get_html(&page).await;
    assert!(
        html.contains("南音社／其他") && !html.contains("科学实验社／"),
        "{html}"
    );
    let remove = [("action", "remove"), ("n", "1")];
    assert_eq!(post_question(&school, &page, &remove).await.0, 303);

    let (status, _) = post_question(&school, &page, &single(TITLE, "德化瓷塑\n惠安石雕")).await;
    assert_eq!(status, 303);
    let mut edit = single("您更想让孩子学哪一种？", "德化瓷塑\n惠安石雕\n安溪竹藤编");
    (edit[0].1, edit[1].1) = ("edit", "1");
    assert_eq!(post_question(&school, &page, &edit).await.0, 303);
    let (_, html) = school.get_html(&page).await;
    assert!(html.contains("您更想让孩子学哪一种？") && !html.contains(TITLE));
    assert_eq!(post_question(&school, &page, &remove).await.0, 303);
    let (_, html) = school.get_html(&page).await;
    assert!(html.contains("本校还没有补充题"));
    let derived = kehou_survey::db::supplements::derived_hash(&mut app.conn(), round, a).unwrap();
    assert_eq!(
        derived, None,
        "without questions the school's parents answer the core"
    );

    // A round that allows none says so and takes none.
    let dir = app.survey_dir.clone();
    let closed = app.publish_with(
        &dir,
        "after-school-needs",
        ("+2", "+30"),
        &["--supplement-max", "0"],
    );
    let page = format!("/admin/schools/{a}/rounds/{closed}/supplement");
    let (status, html) = post_question(&school, &page, &single(TITLE, "甲\n乙")).await;
    assert_eq!(status, 422);
    assert!(html.contains("本轮教育局没有开放本校补充题。"), "{html}");
}

#[tokio::test]
async fn the_bureau_sets_the_allowance_when_publishing_and_companion_rounds_take_none() {
    let app = spawn_app().await;
    app.import_standard_roster();
    app.make_user("boss@example.edu.cn", Role::Bureau, None, None);
    app.make_user("a@example.edu.cn", Role::School, Some(SCHOOL_A), None);
    let bureau = app.signed_in("boss@example.edu.cn").await;
    // The round opens in two days, whatever day the clock says it is.
    let day = |n: i64| {
        (kehou_survey::domain::time::to_local(app.clock.now()) + chrono::Duration::days(n))
            .format("%Y-%m-%d")
            .to_string()
    };
    let (opens, closes) = (day(2), day(30));
    let publish = |max: &'static str| {
        let bureau = &bureau;
        let (opens, closes) = (opens.clone(), closes.clone());
        async move {
            let csrf = bureau.csrf_from("/admin/rounds").await;
            let r = bureau
                .post(
                    "/admin/rounds",
                    &[
                        ("csrf", &csrf),
                        ("survey", "after-school-needs"),
                        ("student_survey", "student-needs"),
                        ("name", "2027 春季需求调查"),
                        ("opens", &opens),
                        ("closes", &closes),
                        ("township_id", ""),
                        ("supplement_max", max),
                    ],
                )
                .await;
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, html) = publish("很多").await;
    assert_eq!(status, 422);
    assert!(html.contains("每校补充题上限请填 0–10 的整数。"), "{html}");
    let (status, html) = publish("11").await;
    assert_eq!(status, 422);
    assert!(html.contains("每校补充题数量应为 0–10 道"), "{html}");
    assert!(kehou_survey::db::rounds::list(&mut app.conn())
        .unwrap()
        .is_empty());

    let (status, html) = publish("1").await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("最多 1 道") && html.contains("不设"),
        "{html}"
    );
    let rounds = kehou_survey::db::rounds::list(&mut app.conn()).unwrap();
    let parents = rounds.iter().find(|r| r.companion_of.is_none()).unwrap();
    let students = rounds.iter().find(|r| r.companion_of.is_some()).unwrap();
    assert_eq!((parents.supplement_max, students.supplement_max), (1, 0));

    // The students' survey says it has no supplement and takes none.
    let a = app.school_id(SCHOOL_A);
    let school = app.signed_in("a@example.edu.cn").await;
    let page = format!("/admin/schools/{a}/rounds/{}/supplement", students.id);
    let (status, html) = school.get_html(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains("学生问卷和教师问卷不设本校补充题"), "{html}");
    assert!(!html.contains("添加一道补充题"));
    let (status, _) = post_question(&school, &page, &single(TITLE, "甲\n乙")).await;
    assert_eq!(status, 422);
    let page = format!("/admin/schools/{a}/rounds/{}/supplement", parents.id);
    assert_eq!(
        post_question(&school, &page, &single(TITLE, "甲\n乙"))
            .await
            .0,
        303
    );
    let (status, html) = post_question(&school, &page, &single("再加一题", "甲\n乙")).await;
    assert_eq!(status, 422);
    assert!(html.contains("最多添加 1 道补充题"), "{html}");
}
