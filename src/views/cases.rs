//! Typical cases as one page: the selected ones on the platform (files served from
//! `/cases/files/…`) and as the index page of the bureau's ZIP (files beside it), and one
//! case as the staff who review it see it.

use serde::Serialize;

use crate::app::cases::{zip_name, Case};
use crate::domain::survey::Taxonomy;
use crate::domain::upload::FileKind;

#[derive(Serialize)]
pub struct CasesPage {
    pub title: &'static str,
    pub print: bool,
    /// A link back to the staff pages (on a case under review).
    pub back: Option<String>,
    pub cases: Vec<CaseView>,
}

/// Where a page's files are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// The public page: only selected cases' files are served.
    Public,
    /// The ZIP's index: the files beside it.
    Zip,
    /// A staff member reviewing a case.
    Staff,
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

/// The page for `cases`, its files linked as `links` says.
pub fn page(cases: &[Case], taxonomy: &Taxonomy, links: Links) -> CasesPage {
    let cases = cases
        .iter()
        .map(|(c, files)| {
            let (mut images, mut documents) = (Vec::new(), Vec::new());
            for (i, f) in files.iter().enumerate() {
                let kind = FileKind::from_db_code(&f.kind).unwrap_or(FileKind::Pdf);
                let href = match links {
                    Links::Zip => zip_name(c, i, kind),
                    Links::Public => format!("/cases/files/{}", f.id),
                    Links::Staff => format!("/admin/cases/{}/files/{}", c.id, f.id),
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
        print: links == Links::Zip,
        back: (links == Links::Staff).then(|| "/admin".into()),
        cases,
    }
}
