//! The selected typical cases as one page: on the platform (files served from
//! `/cases/files/…`) and as the index page of the bureau's ZIP (files beside it).

use serde::Serialize;

use crate::app::cases::{zip_name, Case};
use crate::domain::survey::Taxonomy;
use crate::domain::upload::FileKind;

#[derive(Serialize)]
pub struct CasesPage {
    pub title: &'static str,
    pub print: bool,
    pub cases: Vec<CaseView>,
}

#[derive(Serialize)]
pub struct CaseView {
    pub anchor: String,
    pub title: String,
    pub school: String,
    pub category: String,
    pub paragraphs: Vec<String>,
    pub images: Vec<FileView>,
    pub documents: Vec<FileView>,
}

#[derive(Serialize)]
pub struct FileView {
    pub href: String,
    pub label: String,
}

/// The page for `cases`; `print` links the files as the ZIP holds them.
pub fn page(cases: &[Case], taxonomy: &Taxonomy, print: bool) -> CasesPage {
    let cases = cases
        .iter()
        .map(|(c, files)| {
            let (mut images, mut documents) = (Vec::new(), Vec::new());
            for (i, f) in files.iter().enumerate() {
                let kind = FileKind::from_db_code(&f.kind).unwrap_or(FileKind::Pdf);
                let href = if print {
                    zip_name(c, i, kind)
                } else {
                    format!("/cases/files/{}", f.id)
                };
                if kind.is_image() {
                    images.push(FileView {
                        href,
                        label: format!("{}：图 {}", c.title, images.len() + 1),
                    });
                } else {
                    documents.push(FileView {
                        href,
                        label: format!("附件 {}（PDF）", documents.len() + 1),
                    });
                }
            }
            CaseView {
                anchor: format!("case-{}", c.id),
                title: c.title.clone(),
                school: c.school_name.clone(),
                category: taxonomy
                    .name_of(&c.category)
                    .unwrap_or(&c.category)
                    .to_string(),
                paragraphs: c
                    .body
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from)
                    .collect(),
                images,
                documents,
            }
        })
        .collect();
    CasesPage {
        title: "课后服务典型案例",
        print,
        cases,
    }
}
