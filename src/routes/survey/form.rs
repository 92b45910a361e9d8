//! GET /s/{slug}/form: the questionnaire, and the renderer that the POST
//! handler reuses to show the form again with every answer kept.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::{draft_key, gate, html, Ctx, Gate};
use crate::app::prefilled::{self, Known};
use crate::app::submission::AccessCode;
use crate::domain::school::SchoolLevel;
use crate::domain::survey::{class_label, grade_label, FieldErrors, FormInput};
use crate::domain::token::random_token;
use crate::error::AppResult;
use crate::state::State;
use crate::views::survey_form::{self, Fixed, Steps};

/// Idempotency keys: 26 base32 characters (130 bits), made when the form is
/// first shown and carried through re-renders and retries.
pub const IDEM_CHARS: usize = 26;

pub fn new_idempotency_key() -> String {
    random_token(IDEM_CHARS)
}

#[derive(Serialize)]
struct FormPage<'a> {
    title: &'a str,
    slug: &'a str,
    survey_title: &'a str,
    school_name: &'a str,
    fixed_class: Option<String>,
    alert: Option<&'a str>,
    action: String,
    idem: &'a str,
    code: Option<&'a str>,
    draft_key: String,
    #[serde(flatten)]
    steps: Steps,
    personal_info_confirmed: bool,
    /// The computer-room session: carried with the answers, and no draft is kept on the device.
    session: Option<&'a str>,
}

/// What to show on a (re-)rendered form.
pub struct FormState<'a> {
    pub input: &'a FormInput,
    pub errors: Option<&'a FieldErrors>,
    pub alert: Option<&'a str>,
    pub idem: &'a str,
    /// The parent was asked about personal information in a free-text answer: the next
    /// submit stores the answers as they are.
    pub personal_info_asked: bool,
    /// The page to show, 0-based.
    pub page: usize,
    /// The computer-room session code, when the form is answered in one.
    pub session: Option<&'a str>,
    /// The grade and class a code or the session already tells: not asked.
    pub known: Known,
}

pub fn render(
    state: &State,
    ctx: &Ctx,
    code: Option<&AccessCode>,
    form: FormState<'_>,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let known = form.known;
    let fixed = Fixed {
        grade: known.grade.is_some(),
        class: known.class_no.is_some(),
        level: SchoolLevel::from_db_code(&ctx.publication.school_level),
    };
    let fixed_class = (|| {
        let g = u8::try_from(known.grade?).ok()?;
        let k = u16::try_from(known.class_no?).ok()?;
        Some(format!("{}{}", grade_label(g), class_label(k)))
    })();
    let body = state.templates.render(
        "form",
        &FormPage {
            slug: &ctx.publication.slug,
            title: &ctx.def.title,
            survey_title: &ctx.def.title,
            school_name: &ctx.publication.school_name,
            fixed_class,
            alert: form.alert,
            action: format!("/s/{}", ctx.publication.slug),
            idem: form.idem,
            code: code.map(|c| c.code.as_str()),
            draft_key: draft_key(&ctx.publication.slug, code),
            steps: survey_form::steps(&ctx.def, form.input, form.errors, &fixed, form.page),
            personal_info_confirmed: form.personal_info_asked,
            session: form.session,
        },
    )?;
    Ok(html(status, body))
}

/// The form exactly as parents see it, from a definition that no round carries yet (the
/// survey editor's preview): page `page` (0-based), nothing answered, a sample school.
pub fn preview_body(
    state: &State,
    def: &crate::domain::survey::SurveyDefinition,
    action: String,
    page: usize,
) -> AppResult<String> {
    let input = FormInput::default();
    let fixed = Fixed {
        grade: false,
        class: false,
        level: None,
    };
    Ok(state.templates.render(
        "form",
        &FormPage {
            slug: "preview",
            title: &def.title,
            survey_title: &def.title,
            school_name: "示例学校（预览）",
            fixed_class: None,
            alert: None,
            action,
            idem: "",
            code: None,
            draft_key: String::new(),
            steps: survey_form::steps(def, &input, None, &fixed, page),
            personal_info_confirmed: false,
            session: Some("preview"),
        },
    )?)
}

pub async fn get(
    state: State,
    req: actix_web::HttpRequest,
    slug: web::Path<String>,
    query: web::Query<super::letter::Query>,
) -> AppResult<HttpResponse> {
    let (ctx, code) = match gate(&state, &req, slug.into_inner(), query.c.as_deref()).await? {
        Gate::Open(ctx, code) => (ctx, code),
        Gate::Page(page) => return Ok(page),
    };
    let idem = new_idempotency_key();
    let input = FormInput::default();
    let known = prefilled::known(&state, &ctx, code.as_ref(), query.k.as_deref()).await;
    let page = crate::domain::survey::first_page(&ctx.def, &input, &prefilled::left_out(known));
    render(
        &state,
        &ctx,
        code.as_ref(),
        FormState {
            input: &input,
            errors: None,
            alert: None,
            idem: &idem,
            personal_info_asked: false,
            page,
            session: query.k.as_deref(),
            known,
        },
        StatusCode::OK,
    )
}
