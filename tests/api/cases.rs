//! Typical cases (典型案例): a school uploads one with images and a PDF, the images lose their
//! GPS tags, the township recommends, the bureau selects, the public page shows it and the
//! bureau downloads the ZIP; a disguised or oversized file is refused and nothing is stored.

use std::io::Read;

use kehou_survey::db;
use kehou_survey::domain::account::Role;
use sha2::{Digest, Sha256};

use crate::helpers::{spawn_app, TestApp};
use crate::staff_helpers::Browser;

/// A JPEG whose EXIF segment carries a GPS position, and a comment.
pub fn jpeg_with_gps() -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8];
    let exif = b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude 24.78N GPSLongitude 118.55E";
    v.extend_from_slice(&[0xFF, 0xE1]);
    v.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    v.extend_from_slice(exif);
    v.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x0A]);
    v.extend_from_slice(b"camera  ");
    v.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x04, 0x00, 0x01]);
    v.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0xFF, 0xD9]);
    v
}

/// A real 8×8 PNG with an eXIf and a tEXt chunk (GPS) after its header.
pub fn png_with_gps() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 8, image::Rgb([31, 95, 168]));
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        c.extend_from_slice(&[0, 0, 0, 0]);
        c
    };
    // Signature (8) and IHDR (25) first.
    let mut out = png[..33].to_vec();
    out.extend(chunk(b"eXIf", b"MM\0*GPSLatitude"));
    out.extend(chunk(b"tEXt", b"Comment\0GPS 24.78N"));
    out.extend_from_slice(&png[33..]);
    out
}

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// Files to upload: `(name, bytes)`.
pub type Files<'a> = Vec<(&'a str, Vec<u8>)>;

/// Uploads a case as `b` for school `school`.
pub async fn upload(b: &Browser, school: i64, title: &str, files: Files<'_>) -> (u16, String) {
    let path = format!("/admin/schools/{school}/cases");
    let csrf = b.csrf_from(&path).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("title", title.to_string())
        .text("category", "science")
        .text(
            "body",
            "每周三下午开展科学实验社团活动。\n学生自己设计实验。",
        );
    b.post_files(&path, form, files).await
}

fn stored_files(app: &TestApp) -> Vec<Vec<u8>> {
    std::fs::read_dir(app.temp_path("data").join("cases"))
        .map(|d| {
            d.map(|e| std::fs::read(e.unwrap().path()).unwrap())
                .collect()
        })
        .unwrap_or_default()
}

fn has(bytes: &[u8], s: &str) -> bool {
    bytes.windows(s.len()).any(|w| w == s.as_bytes())
}

#[tokio::test]
async fn a_case_goes_from_the_school_to_the_public_page_without_its_gps_tags() {
    let app = spawn_app().await;
    app.import_standard_roster();
    app.make_user("a@school.cn", Role::School, Some("3505820001"), None);
    app.make_user("qy@town.cn", Role::Township, None, Some("青阳街道"));
    app.make_user("ah@town.cn", Role::Township, None, Some("安海镇"));
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let school = app.school_id("3505820001");
    let sec = app.signed_in("a@school.cn").await;
    let files = vec![
        ("photo.jpg", jpeg_with_gps()),
        ("poster.png", png_with_gps()),
        ("方案.pdf", PDF.to_vec()),
    ];
    let (status, page) = upload(&sec, school, "科学实验社团", files).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("案例已报送") && page.contains("科学实验社团"));

    // On disk: three files, no GPS tag or EXIF left, each named in the database by its hash.
    let stored = stored_files(&app);
    assert_eq!(stored.len(), 3);
    for f in &stored {
        assert!(!has(f, "GPS") && !has(f, "Exif") && !has(f, "eXIf") && !has(f, "camera"));
    }
    let rows = db::cases::files(&mut app.conn(), &[1]).unwrap();
    let mut hashes: Vec<String> = rows.iter().map(|r| r.sha256.clone()).collect();
    let mut on_disk: Vec<String> = stored
        .iter()
        .map(|f| hex::encode(Sha256::digest(f)))
        .collect();
    hashes.sort();
    on_disk.sort();
    assert_eq!(hashes, on_disk);
    assert_eq!(
        rows.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>(),
        ["jpeg", "png", "pdf"]
    );

    // Its township sees it whole before recommending, the other township does not.
    let town = app.signed_in("qy@town.cn").await;
    let (status, page) = town.get_html("/admin/cases/1").await;
    assert_eq!(status, 200);
    assert!(page.contains("科学实验社团") && page.contains("仅供镇街和教育局审阅"));
    let file = format!("/admin/cases/1/files/{}", rows[0].id);
    assert_eq!(town.get(&file).await.status(), 200);
    let other = app.signed_in("ah@town.cn").await;
    assert_eq!(other.get("/admin/cases/1").await.status(), 404);
    assert_eq!(other.get(&file).await.status(), 404);

    // Not public before the bureau selects it.
    let public = Browser::new(&app);
    let (_, list) = public.get_html("/cases").await;
    assert!(!list.contains("科学实验社团"));
    let file_id = rows[0].id;
    assert_eq!(
        public
            .get(&format!("/cases/files/{file_id}"))
            .await
            .status(),
        404
    );

    // Another township cannot reach it; its own recommends; the bureau selects.
    let csrf = other.csrf_from("/admin/cases").await;
    let r = other
        .post("/admin/cases/1/recommend", &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status(), 404);
    let csrf = town.csrf_from("/admin/cases").await;
    let r = town
        .post("/admin/cases/1/recommend", &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("镇街已推荐"));
    let bureau = app.signed_in("admin@bureau.cn").await;
    let csrf = bureau.csrf_from("/admin/cases").await;
    let r = bureau
        .post("/admin/cases/1/select", &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status(), 200);

    let (status, list) = public.get_html("/cases").await;
    assert_eq!(status, 200);
    assert!(list.contains("科学实验社团") && list.contains("晋江市青阳中心小学"));
    assert!(list.contains("科学教育") && list.contains("附件 1（PDF）"));
    let r = public.get(&format!("/cases/files/{file_id}")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    let served = r.bytes().await.unwrap();
    assert!(!has(&served, "GPS"));

    // The bureau's ZIP: a print-ready index page and the files beside it.
    let r = bureau.get("/admin/cases/export").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut index = String::new();
    zip.by_name("index.html")
        .unwrap()
        .read_to_string(&mut index)
        .unwrap();
    assert!(index.contains("科学实验社团") && index.contains("@page{size:A4"));
    assert!(index.contains("files/case1-1.jpg") && index.contains("files/case1-3.pdf"));
    assert_eq!(zip.len(), 4);
    let audit = app.audit_actions();
    for a in [
        "case_submitted",
        "case_recommended",
        "case_selected",
        "cases_exported",
    ] {
        assert!(audit.iter().any(|x| x == a), "audit log lacks {a}");
    }
}

#[tokio::test]
async fn a_disguised_or_oversized_file_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    app.import_standard_roster();
    app.make_user("a@school.cn", Role::School, Some("3505820001"), None);
    let school = app.school_id("3505820001");
    let sec = app.signed_in("a@school.cn").await;
    let good = || ("good.jpg", jpeg_with_gps());
    let mut big = jpeg_with_gps();
    big.resize(10 * 1024 * 1024 + 1, 0);
    let cases: Vec<(Files, &str)> = vec![
        (
            vec![good(), ("photo.jpg", b"MZ\x90\0\x03 a program".to_vec())],
            "文件“photo.jpg”不是 JPEG、PNG 图片或 PDF 文件",
        ),
        (
            vec![("poster.png", b"<html><script>alert(1)</script>".to_vec())],
            "文件“poster.png”不是 JPEG、PNG 图片或 PDF 文件",
        ),
        (vec![good(), ("big.jpg", big)], "文件“big.jpg”超过 10 MB"),
        ((0..10).map(|_| good()).collect(), "最多上传 9 个文件"),
    ];
    for (files, message) in cases {
        let (status, page) = upload(&sec, school, "科学实验社团", files).await;
        assert_eq!(status, 422, "{message}");
        assert!(page.contains(message), "{message} not in:\n{page}");
    }
    assert!(db::cases::list(&mut app.conn(), db::cases::Scope::All)
        .unwrap()
        .is_empty());
    assert!(
        stored_files(&app).is_empty(),
        "a refused upload stored a file"
    );
}
