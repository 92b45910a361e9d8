//! Printable A4 letters (告家长一封信) carrying the QR code: one page per
//! school link, or one page per student code.

use serde::Serialize;

use crate::db::codes::AccessCode;
use crate::domain::survey::{class_label, grade_label, SurveyDefinition};
use crate::domain::token::display_code;
use crate::templates::{paragraphs, Templates};

use super::{code_url, qr, school_url};

#[derive(Serialize)]
struct LetterView {
    qr_svg: String,
    url: String,
    code: Option<String>,
    class_label: Option<String>,
}

#[derive(Serialize)]
struct LettersPage<'a> {
    title: String,
    survey_title: &'a str,
    school_name: &'a str,
    letter: Vec<String>,
    consent: Vec<String>,
    letters: Vec<LetterView>,
    pager: Option<Pager>,
}

/// Where a page of letters sits among the others (not printed).
#[derive(Debug, Serialize)]
pub struct Pager {
    pub text: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

fn page(
    templates: &Templates,
    def: &SurveyDefinition,
    school_name: &str,
    letters: Vec<LetterView>,
    pager: Option<Pager>,
) -> anyhow::Result<String> {
    templates.render(
        "print_letter",
        &LettersPage {
            title: format!("{} · {}", def.title, school_name),
            survey_title: &def.title,
            school_name,
            letter: paragraphs(&def.letter_for(school_name)),
            consent: paragraphs(&def.consent_for(school_name)),
            letters,
            pager,
        },
    )
}

/// The school's letter with the QR code of its public link.
pub fn school_letter(
    templates: &Templates,
    def: &SurveyDefinition,
    school_name: &str,
    public_base: &str,
    slug: &str,
) -> anyhow::Result<String> {
    let url = school_url(public_base, slug);
    let letter = LetterView {
        qr_svg: qr::inline_svg(&url)?,
        url,
        code: None,
        class_label: None,
    };
    page(templates, def, school_name, vec![letter], None)
}

/// One letter per code, each with its own QR, for printing N per class.
pub fn code_letters(
    templates: &Templates,
    def: &SurveyDefinition,
    school_name: &str,
    public_base: &str,
    codes: &[AccessCode],
) -> anyhow::Result<String> {
    code_letters_page(templates, def, school_name, public_base, codes, None)
}

/// [`code_letters`] for one page of a school's codes, with links to the others.
pub fn code_letters_page(
    templates: &Templates,
    def: &SurveyDefinition,
    school_name: &str,
    public_base: &str,
    codes: &[AccessCode],
    pager: Option<Pager>,
) -> anyhow::Result<String> {
    let letters = codes
        .iter()
        .map(|c| {
            let url = code_url(public_base, &c.code);
            let class = match (c.grade, c.class_no) {
                (Some(g), Some(k)) => Some(format!(
                    "{}{}",
                    grade_label(u8::try_from(g).unwrap_or(0)),
                    class_label(u16::try_from(k).unwrap_or(0))
                )),
                _ => None,
            };
            Ok(LetterView {
                qr_svg: qr::inline_svg(&url)?,
                url,
                code: Some(display_code(&c.code)),
                class_label: class,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    page(templates, def, school_name, letters, pager)
}

/// Page `wanted` (from 1, clamped to the pages there are) of `codes`, `per_page` to a page,
/// and the links to its neighbours (`?page=N`) when there is more than one page.
pub fn paginate(
    codes: Vec<AccessCode>,
    wanted: u32,
    per_page: usize,
) -> (Vec<AccessCode>, Option<Pager>) {
    let pages = codes.len().div_ceil(per_page.max(1)).max(1);
    let n = usize::try_from(wanted)
        .unwrap_or(usize::MAX)
        .clamp(1, pages);
    let total = codes.len();
    let page: Vec<_> = codes
        .into_iter()
        .skip((n - 1) * per_page)
        .take(per_page)
        .collect();
    let pager = (pages > 1).then(|| Pager {
        text: format!("共 {total} 封，每页 {per_page} 封，第 {n}/{pages} 页。请逐页打印。"),
        previous: (n > 1).then(|| format!("?page={}", n - 1)),
        next: (n < pages).then(|| format!("?page={}", n + 1)),
    });
    (page, pager)
}
