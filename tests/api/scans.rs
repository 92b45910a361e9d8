//! Scanned paper reply slips: real slips printed by Chromium and turned into a 200-dpi scan by
//! pdftoppm, ticked, uploaded on the school's scan page; clear slips stored as paper, doubtful
//! ones reviewed with their pictures, a serial stored once across scanning and typing; and bad
//! uploads refused with the file and page named, nothing stored.

use diesel::prelude::*;
use image::GrayImage;
use kehou_survey::app::scans::slip_of;
use kehou_survey::catalog::Catalog;
use kehou_survey::db::schema::{responses, scan_reviews};
use kehou_survey::domain::slip_layout::{Marks, SlipLayout};
use kehou_survey::scan;

use crate::helpers::{spawn_app, TestApp};
use crate::paper::{secretary, SCHOOL};
use crate::paper_entry::{enter, slip_answers};
use crate::staff_helpers::{location, Browser};

/// Uploads files to the school's scan page: status and page.
async fn upload(
    app: &TestApp,
    b: &Browser,
    round: i64,
    files: Vec<(&str, Vec<u8>)>,
) -> (u16, String) {
    let path = format!(
        "/admin/schools/{}/rounds/{round}/scans",
        app.school_id(SCHOOL)
    );
    let csrf = b.csrf_from(&path).await;
    let form = reqwest::multipart::Form::new().text("csrf", csrf);
    b.post_files(&path, form, files).await
}

fn paper_count(app: &TestApp) -> i64 {
    responses::table
        .filter(responses::channel.eq("paper"))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

fn waiting_ids(app: &TestApp) -> Vec<i64> {
    scan_reviews::table
        .select(scan_reviews::id)
        .order(scan_reviews::id)
        .load(&mut app.conn())
        .unwrap()
}

/// Fills the box of each `(q.id, value)` answer on a clean scan of a slip, as a dark pen would.
fn tick(page: &mut GrayImage, layout: &SlipLayout, answers: &[(&str, &str)]) {
    let found = scan::locate(page).expect("a clean slip is found");
    for (field, value) in answers {
        let id = field.trim_start_matches("q.");
        let q = layout.questions.iter().find(|q| q.id == id).expect(id);
        let squares: Vec<_> = match &q.marks {
            Marks::Choice { boxes, .. } => boxes
                .iter()
                .filter(|b| b.value == *value)
                .map(|b| b.square)
                .collect(),
            Marks::Digits { rows } => {
                let digits = format!("{value:0>width$}", width = rows.len());
                rows.iter()
                    .zip(digits.chars())
                    .filter_map(|(r, d)| {
                        r.boxes
                            .iter()
                            .find(|b| b.value == d.to_string())
                            .map(|b| b.square)
                    })
                    .collect()
            }
            Marks::Lines { .. } => Vec::new(),
        };
        assert!(!squares.is_empty(), "{id}={value}");
        for s in squares {
            let steps = 40;
            for i in 0..=steps {
                for j in 0..=steps {
                    let x = f64::from(s.x)
                        + 0.6
                        + f64::from(s.w - 1.2) * f64::from(i) / f64::from(steps);
                    let y = f64::from(s.y)
                        + 0.6
                        + f64::from(s.h - 1.2) * f64::from(j) / f64::from(steps);
                    let (px, py) = scan::page_point(&found, layout, (x, y)).unwrap();
                    if let Some(p) = page.get_pixel_mut_checked(px as u32, py as u32) {
                        p.0[0] = 40;
                    }
                }
            }
        }
    }
}

fn png(page: &GrayImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    page.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Prints `count` slips as a PDF with the `slips` command and scans it at 200 dpi with
/// pdftoppm: the pages that hold a slip, in order.
fn printed_slips(app: &TestApp, round: i64, count: usize) -> Vec<GrayImage> {
    let pdf = app.temp_path("slips.pdf");
    app.cli_ok(&[
        "slips",
        "--round",
        &round.to_string(),
        "--school",
        SCHOOL,
        "--count",
        &count.to_string(),
        "--out",
        pdf.to_str().unwrap(),
    ]);
    let prefix = app.temp_path("scan");
    let ok = std::process::Command::new("pdftoppm")
        .args(["-r", "200", "-gray", "-png"])
        .arg(&pdf)
        .arg(&prefix)
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(ok.success());
    let dir = prefix.parent().unwrap();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("scan"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| image::open(p).unwrap().to_luma8())
        .filter(|img| scan::locate(img).is_ok())
        .collect()
}

fn layout_of(app: &TestApp, round: i64) -> SlipLayout {
    let mut conn = app.conn();
    let catalog = Catalog::load(&app.survey_dir, &mut conn, app.clock.now()).unwrap();
    slip_of(
        &mut conn,
        &catalog.versions(),
        (round, app.school_id(SCHOOL)),
        false,
    )
    .unwrap()
}

#[tokio::test]
async fn scanned_slips_are_stored_or_reviewed_and_a_serial_counts_once() {
    if std::env::var_os("TEST_CHROMEDRIVER").is_none() {
        eprintln!("skipped: set TEST_CHROMEDRIVER (Chromium and poppler-utils installed) to print and scan real slips");
        return;
    }
    let app = spawn_app().await;
    let round = app.setup_round();
    let layout = layout_of(&app, round);
    let mut pages = printed_slips(&app, round, 2);
    // Signed in after printing: an idle kept-alive connection would be closed by the server.
    let b = secretary(&app).await;
    assert_eq!(
        pages.len(),
        2,
        "two printed slips found on the scanned pages"
    );
    let answers = slip_answers();
    tick(&mut pages[0], &layout, &answers);
    // The second slip: the same answers, and a second box ticked in a one-answer question.
    let mut doubtful = answers.clone();
    doubtful.push(("q.need", "unsure"));
    tick(&mut pages[1], &layout, &doubtful);
    let first = png(&pages[0]);
    let (status, page) = upload(
        &app,
        &b,
        round,
        vec![("一班.png", first.clone()), ("二班.png", png(&pages[1]))],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("已保存 1 张，等待人工核对 1 张"), "{page}");
    assert_eq!(paper_count(&app), 1);

    // The review screen shows the doubted question with its picture; confirming stores it.
    let ids = waiting_ids(&app);
    assert_eq!(ids.len(), 1);
    let base = format!(
        "/admin/schools/{}/rounds/{round}/scans/{}",
        app.school_id(SCHOOL),
        ids[0]
    );
    let (status, review) = b.get_html(&base).await;
    assert_eq!(status, 200);
    assert!(review.contains("这道题只能选一项"), "{review}");
    let picture = b.get(&format!("{base}/picture/need")).await;
    assert_eq!(picture.headers()["content-type"], "image/png");
    assert!(image::load_from_memory(&picture.bytes().await.unwrap()).is_ok());
    let csrf = b.csrf_from(&base).await;
    let mut pairs = vec![("csrf", csrf.as_str())];
    pairs.extend(answers.iter().copied());
    let r = b.post(&base, &pairs).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert!(location(&r).contains("saved="));
    assert_eq!(paper_count(&app), 2);
    assert!(waiting_ids(&app).is_empty());

    // A serial counts once, whether it comes back scanned or typed.
    let found = scan::locate(&pages[0]).unwrap();
    let serial = found.scanned.serial.to_string();
    let typed = enter(&app, &b, round, &serial, &answers).await;
    assert_eq!(typed.status(), 422);
    assert!(typed.text().await.unwrap().contains("已经录入过"));
    let (status, again) = upload(&app, &b, round, vec![("一班.png", first)]).await;
    assert_eq!(status, 200);
    assert!(again.contains("已经录入过"), "{again}");
    assert_eq!(paper_count(&app), 2);
    assert!(app.audit_actions().contains(&"slips_scanned".to_string()));
}

#[tokio::test]
async fn an_unreadable_upload_names_its_file_and_page_and_stores_nothing() {
    let app = spawn_app().await;
    let round = app.setup_round();
    let b = secretary(&app).await;
    let (status, page) = upload(
        &app,
        &b,
        round,
        vec![("名单.xlsx", b"PK\x03\x04 not a scan".to_vec())],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("文件“名单.xlsx”：只能上传扫描得到的 PDF"),
        "{page}"
    );
    // A blank white page: no slip on it.
    let blank = GrayImage::from_pixel(1240, 1754, image::Luma([250]));
    let (status, page) = upload(&app, &b, round, vec![("空白.png", png(&blank))]).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("文件“空白.png”：找不到回执四角的黑色定位块"),
        "{page}"
    );
    assert!(page.contains("这次上传的回执都没有保存"));
    // A PDF with no scanned picture in it.
    let (status, page) = upload(
        &app,
        &b,
        round,
        vec![(
            "letter.pdf",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF".to_vec(),
        )],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("文件里没有扫描图片"), "{page}");
    assert_eq!(paper_count(&app), 0);
    // The command says the same, and exits with 2.
    let file = app.temp_path("blank.png");
    std::fs::write(&file, png(&blank)).unwrap();
    let out = app.cli(&[
        "scan",
        "--round",
        &round.to_string(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("找不到回执四角的黑色定位块"));
}
