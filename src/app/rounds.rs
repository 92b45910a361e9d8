//! Publishing a round: what makes a valid round (name, dates, retention,
//! schools), creating it with one publication per school, and its audit
//! record. The bureau's form and the `publish` command both come here.

use chrono::NaiveDateTime;

use super::with_conn;
use crate::db::{self, DbConnection};
use crate::domain::supplement;
use crate::domain::survey::Respondent;
use crate::error::{AppError, AppResult, During, Invalid};
use crate::state::AppState;

pub use crate::db::rounds::{default_retention, Round};

/// Which schools a round goes to.
#[derive(Debug, Clone)]
pub enum Scope {
    /// Every school in the roster.
    All,
    /// Every school of one township.
    Township(i64),
    /// These school codes (each must exist).
    Codes(Vec<String>),
}

/// A round as asked for; nothing in it is checked yet.
#[derive(Debug, Clone)]
pub struct PublishRound {
    pub name: String,
    /// The survey version's content hash and the survey's id (for the audit record).
    pub survey: Option<(String, String)>,
    /// `None` opens it now.
    pub opens: Option<NaiveDateTime>,
    pub closes: Option<NaiveDateTime>,
    /// `None` keeps raw responses for the default period after closing.
    pub retain_until: Option<NaiveDateTime>,
    pub scope: Scope,
    /// Every answer needs an unused one-time code printed on a letter.
    pub codes_required: bool,
    /// The survey's optional sections to ask (ids); none by default.
    pub sections: Vec<String>,
    /// The optional sections the chosen survey declares: `(id, title)`.
    pub survey_sections: Vec<(String, String)>,
    /// A students' survey asked in the same round, beside the parents' one.
    pub student_survey: Option<CompanionSurvey>,
    /// A teachers' survey asked in the same round, through a link only the school's staff get.
    pub teacher_survey: Option<CompanionSurvey>,
    /// How many questions of its own each school may add after the core (0: none).
    pub supplement_max: i32,
}

/// A survey a round carries beside the parents' one: its content hash, id and declared
/// respondent.
#[derive(Debug, Clone)]
pub struct CompanionSurvey {
    pub hash: String,
    pub id: String,
    pub respondent: Respondent,
}

impl CompanionSurvey {
    pub fn of(f: &crate::catalog::SurveyFile) -> CompanionSurvey {
        CompanionSurvey {
            hash: f.hash.clone(),
            id: f.definition.id.clone(),
            respondent: f.definition.respondent,
        }
    }
}

/// A round that was published.
#[derive(Debug, Clone)]
pub struct Published {
    pub id: i64,
    pub schools: usize,
    pub retain_until: NaiveDateTime,
}

/// The longest round name, in characters.
pub const MAX_NAME_CHARS: usize = 60;

/// The checked round: its dates and retention, or what is wrong with it.
fn check(
    r: &PublishRound,
    now: NaiveDateTime,
) -> Result<(NaiveDateTime, NaiveDateTime, NaiveDateTime), Invalid> {
    let name = r.name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(Invalid::field(
            "name",
            format!("请填写 1–{MAX_NAME_CHARS} 字的轮次名称。"),
        ));
    }
    if r.survey.is_none() {
        return Err(Invalid::field("survey", "请选择问卷。"));
    }
    let opens = r.opens.unwrap_or(now);
    let Some(closes) = r.closes else {
        return Err(Invalid::field("closes", "请填写开始和截止日期。"));
    };
    if closes <= opens {
        return Err(Invalid::field("closes", "截止日期应晚于开始日期。"));
    }
    if let Some(s) = r
        .sections
        .iter()
        .find(|s| !r.survey_sections.iter().any(|(id, _)| id == *s))
    {
        return Err(Invalid::field(
            "sections",
            format!("所选问卷没有可选部分“{s}”。"),
        ));
    }
    if r.student_survey
        .as_ref()
        .is_some_and(|s| s.respondent != Respondent::Student)
    {
        return Err(Invalid::field(
            "student_survey",
            "同时调查学生时，请选择学生版问卷。",
        ));
    }
    if r.teacher_survey
        .as_ref()
        .is_some_and(|s| s.respondent != Respondent::Teacher)
    {
        return Err(Invalid::field(
            "teacher_survey",
            "同时调查教师时，请选择教师问卷。",
        ));
    }
    if !(0..=supplement::MAX_ALLOWED).contains(&r.supplement_max) {
        return Err(Invalid::field(
            "supplement_max",
            format!(
                "每校补充题数量应为 0–{} 道（0 为不允许补充）。",
                supplement::MAX_ALLOWED
            ),
        ));
    }
    let retain_until = r.retain_until.unwrap_or_else(|| default_retention(closes));
    if retain_until < closes {
        return Err(Invalid::field(
            "retain_until",
            "原始回答保留日期应为截止日期当天或之后。",
        ));
    }
    Ok((opens, closes, retain_until))
}

fn school_ids(conn: &mut DbConnection, scope: &Scope) -> AppResult<Vec<i64>> {
    let all = db::schools::list(conn).during("listing schools")?;
    match scope {
        Scope::All => Ok(all.into_iter().map(|s| s.id).collect()),
        Scope::Township(t) => Ok(all
            .into_iter()
            .filter(|s| s.township_id == *t)
            .map(|s| s.id)
            .collect()),
        Scope::Codes(codes) => codes
            .iter()
            .map(|c| {
                all.iter()
                    .find(|s| s.code == c.trim())
                    .map(|s| s.id)
                    .ok_or_else(|| AppError::invalid(format!("找不到学校代码“{}”。", c.trim())))
            })
            .collect(),
    }
}

/// Publishes the round: checks it, creates it with a publication per school
/// in one transaction, and records who did it (`by`; `None` for the CLI).
pub fn publish(
    conn: &mut DbConnection,
    r: &PublishRound,
    by: Option<i64>,
    now: NaiveDateTime,
) -> AppResult<Published> {
    let (opens, closes, retain_until) = check(r, now).map_err(AppError::Invalid)?;
    let (hash, survey_id) = r.survey.clone().unwrap_or_default();
    let name = r.name.trim();
    diesel::Connection::transaction(conn, |c| {
        let ids = school_ids(c, &r.scope)?;
        if ids.is_empty() {
            return Err(AppError::invalid("没有学校：请先导入学校名册。"));
        }
        let id = db::rounds::create_retained(
            c,
            &db::rounds::NewRound {
                name,
                survey_hash: &hash,
                opens_at: opens,
                closes_at: closes,
                school_ids: &ids,
                codes_required: r.codes_required,
                sections: &r.sections.join(","),
                supplement_max: r.supplement_max,
            },
            retain_until,
            now,
        )
        .during("creating the round")?;
        for (survey, suffix) in [
            (&r.student_survey, "（学生版）"),
            (&r.teacher_survey, "（教师问卷）"),
        ] {
            let Some(survey) = survey else { continue };
            let companion = db::rounds::create_retained(
                c,
                &db::rounds::NewRound {
                    name: &format!("{name}{suffix}"),
                    survey_hash: &survey.hash,
                    opens_at: opens,
                    closes_at: closes,
                    school_ids: &ids,
                    codes_required: false,
                    sections: "",
                    // Students' and teachers' surveys carry no school questions.
                    supplement_max: 0,
                },
                retain_until,
                now,
            )
            .during("creating a companion round")?;
            db::rounds::set_companion(c, companion, id).during("linking a companion round")?;
        }
        db::audit::record(
            c,
            by,
            "round_published",
            &format!(
                "round={id} survey={survey_id} schools={} codes_required={} student_survey={} teacher_survey={} supplement_max={}",
                ids.len(),
                r.codes_required,
                r.student_survey.as_ref().map_or("-", |s| s.id.as_str()),
                r.teacher_survey.as_ref().map_or("-", |s| s.id.as_str()),
                r.supplement_max
            ),
            now,
        )
        .during("recording the publication")?;
        Ok(Published {
            id,
            schools: ids.len(),
            retain_until,
        })
    })
}

/// Every survey a round can carry: the folder's files and the web surveys' current versions,
/// read from the database so that every instance sees a survey saved on another.
pub async fn surveys(state: &AppState) -> AppResult<Vec<crate::catalog::SurveyFile>> {
    let surveys = state.catalog.surveys();
    with_conn(state, move |c| Ok(surveys.all(c)?)).await
}

/// Publishes a round for a signed-in staff member.
pub async fn publish_as(state: &AppState, r: PublishRound, by: i64) -> AppResult<Published> {
    let now = state.clock.now();
    with_conn(state, move |c| publish(c, &r, Some(by), now)).await
}

/// A round with how many schools it went to and how many responses it has.
pub struct RoundSummary {
    pub round: Round,
    pub schools: usize,
    pub responses: i64,
}

/// Every round, newest first, with its figures; and the townships (for the scope choice).
pub async fn list(
    state: &AppState,
) -> AppResult<(Vec<RoundSummary>, Vec<db::townships::Township>)> {
    with_conn(state, |c| {
        let mut out = Vec::new();
        for round in db::rounds::list(c).during("listing rounds")? {
            let schools = db::rounds::publications(c, round.id)
                .during("listing a round's schools")?
                .len();
            let responses =
                db::responses::count_for(c, round.id, None).during("counting responses")?;
            out.push(RoundSummary {
                round,
                schools,
                responses,
            });
        }
        Ok((out, db::townships::list(c).during("listing townships")?))
    })
    .await
}

/// One school's link in a round, for printing after publishing.
pub fn publications(
    conn: &mut DbConnection,
    round_id: i64,
) -> AppResult<Vec<db::rounds::Publication>> {
    db::rounds::publications(conn, round_id).during("listing a round's schools")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::time::{parse_local, DayEdge};

    fn round(name: &str, opens: &str, closes: &str) -> PublishRound {
        PublishRound {
            name: name.into(),
            survey: Some(("h".into(), "s".into())),
            opens: parse_local(opens, DayEdge::Start),
            closes: parse_local(closes, DayEdge::End),
            retain_until: None,
            scope: Scope::All,
            codes_required: false,
            sections: Vec::new(),
            survey_sections: Vec::new(),
            student_survey: None,
            teacher_survey: None,
            supplement_max: 3,
        }
    }

    #[test]
    fn a_round_needs_a_short_name_and_dates_in_order() {
        let now = parse_local("2026-09-01", DayEdge::Start).unwrap();
        assert!(check(&round("秋季调查", "2026-09-01", "2026-09-15"), now).is_ok());
        let long = "很".repeat(61);
        for (r, field) in [
            (round("", "2026-09-01", "2026-09-15"), "name"),
            (round(&long, "2026-09-01", "2026-09-15"), "name"),
            (round("a\u{7}b", "2026-09-01", "2026-09-15"), "name"),
            (round("秋季调查", "2026-09-15", "2026-09-01"), "closes"),
        ] {
            assert_eq!(check(&r, now).unwrap_err().fields[0].0, field);
        }
        let mut early = round("秋季调查", "2026-09-01", "2026-09-15");
        early.retain_until = parse_local("2026-09-10", DayEdge::End);
        assert_eq!(check(&early, now).unwrap_err().fields[0].0, "retain_until");
        let mut too_many = round("秋季调查", "2026-09-01", "2026-09-15");
        too_many.supplement_max = supplement::MAX_ALLOWED + 1;
        assert_eq!(
            check(&too_many, now).unwrap_err().fields[0].0,
            "supplement_max"
        );
        let mut parents_twice = round("秋季调查", "2026-09-01", "2026-09-15");
        parents_twice.student_survey = Some(CompanionSurvey {
            hash: "h".into(),
            id: "s".into(),
            respondent: Respondent::Parent,
        });
        assert_eq!(
            check(&parents_twice, now).unwrap_err().fields[0].0,
            "student_survey"
        );
    }
}
