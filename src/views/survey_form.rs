//! The survey form's view model: each question with its options, the values
//! the parent already gave (so nothing is lost on a re-render), its error and
//! whether display logic shows it.

use serde::Serialize;

use crate::domain::school::SchoolLevel;
use crate::domain::survey::{
    answered_by_code, class_label, grade_label, grades_at, is_required, is_visible, may_continue,
    offered, previous_page, FieldErrors, FormInput, Question, QuestionKind, SurveyDefinition,
};

#[derive(Debug, Clone, Serialize)]
pub struct OptionView {
    pub id: String,
    pub label: String,
    pub hint: Option<String>,
    pub checked: bool,
    /// Not offered now (its earlier answer did not choose it); the script may offer it.
    pub hidden: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RankPosition {
    pub pos: usize,
    /// A place beyond the number of options offered: left out of the page.
    pub extra: bool,
    pub options: Vec<OptionView>,
}

/// One page (step) of the form, with its questions.
#[derive(Debug, Serialize)]
pub struct PageView {
    /// 1-based.
    pub number: usize,
    pub title: Option<String>,
    pub current: bool,
    pub questions: Vec<QuestionView>,
}

/// The pages of the form and the buttons under the one shown.
#[derive(Debug, Serialize)]
pub struct Steps {
    pub pages: Vec<PageView>,
    /// The page shown, 1-based (the `page` field the form sends back).
    pub page: usize,
    pub paged: bool,
    /// 下一步 rather than 提交问卷.
    pub has_next: bool,
    /// 上一步.
    pub has_back: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct QuestionView {
    pub id: String,
    pub number: usize,
    pub title: String,
    pub help: Option<String>,
    pub required: bool,
    pub visible: bool,
    pub error: Option<String>,
    pub show_q: Option<String>,
    pub show_any: String,
    /// The earlier question whose chosen options this one offers.
    pub from_q: Option<String>,
    pub page: usize,
    pub is_single: bool,
    pub is_multi: bool,
    pub is_rank: bool,
    pub is_scale: bool,
    pub is_select: bool,
    pub is_number: bool,
    pub is_text: bool,
    pub options: Vec<OptionView>,
    pub positions: Vec<RankPosition>,
    pub select_label: String,
    pub low_label: String,
    pub high_label: String,
    pub min: i64,
    pub max: i64,
    pub unit: Option<String>,
    pub max_length: usize,
    pub value: String,
}

/// Questions a one-time code already answers (its grade and class) are left
/// out of the form; the code supplies them.
pub struct Fixed {
    pub grade: bool,
    pub class: bool,
    /// The school's level: the grade question offers only the grades it teaches.
    pub level: Option<SchoolLevel>,
}

impl Fixed {
    /// Whether the form leaves `q` out.
    pub fn leaves_out(&self, q: &Question) -> bool {
        answered_by_code(q, self.grade, self.class)
    }
}

/// The form's pages with page `current` (0-based) shown and the others hidden: their answers
/// travel along in hidden fields, so a form without script keeps every answer from step to
/// step, and the optional script can walk the same pages in place.
pub fn steps(
    def: &SurveyDefinition,
    input: &FormInput,
    errors: Option<&FieldErrors>,
    fixed: &Fixed,
    current: usize,
) -> Steps {
    let current = current.min(def.page_count() - 1);
    let questions = questions(def, input, errors, fixed);
    let pages = (0..def.page_count())
        .map(|p| PageView {
            number: p + 1,
            title: def.pages.get(p).cloned(),
            current: p == current,
            questions: questions.iter().filter(|q| q.page == p).cloned().collect(),
        })
        .collect();
    let left_out = |q: &Question| fixed.leaves_out(q);
    Steps {
        pages,
        page: current + 1,
        paged: def.page_count() > 1,
        has_next: may_continue(def, current, input, &left_out),
        has_back: previous_page(def, current, input, &left_out).is_some(),
    }
}

pub fn questions(
    def: &SurveyDefinition,
    input: &FormInput,
    errors: Option<&FieldErrors>,
    fixed: &Fixed,
) -> Vec<QuestionView> {
    let mut number = 0;
    def.questions
        .iter()
        .filter(|q| !fixed.leaves_out(q))
        .map(|q| {
            let visible = is_visible(def, &q.id, input);
            if visible {
                number += 1;
            }
            let mut v = question(def, q, input, fixed.level);
            v.number = number.max(1);
            v.visible = visible;
            v.error = errors.and_then(|e| e.get(&q.id)).map(String::from);
            v
        })
        .collect()
}

fn choice_views<'a>(
    options: impl Iterator<Item = (String, String, Option<String>)> + 'a,
    selected: &'a [String],
) -> Vec<OptionView> {
    options
        .map(|(id, label, hint)| OptionView {
            checked: selected.contains(&id),
            id,
            label,
            hint,
            hidden: false,
        })
        .collect()
}

fn question(
    def: &SurveyDefinition,
    q: &Question,
    input: &FormInput,
    level: Option<SchoolLevel>,
) -> QuestionView {
    let values = input.values(&q.id);
    let mut v = QuestionView {
        id: q.id.clone(),
        title: q.title.clone(),
        help: q.help.clone(),
        required: is_required(q, input),
        value: values.first().cloned().unwrap_or_default(),
        ..QuestionView::default()
    };
    if let Some(s) = &q.show_if {
        v.show_q = Some(s.question.clone());
        v.show_any = s.any_of.join(" ");
    }
    v.from_q = q.options_from_answer.clone();
    v.page = q.page;
    let offered = offered(def, q, input);
    let opts = || {
        offered
            .iter()
            .map(|o| (o.id.clone(), o.label.clone(), o.hint.clone()))
    };
    match &q.kind {
        QuestionKind::Single { .. } | QuestionKind::Multi { .. } => {
            v.is_single = matches!(q.kind, QuestionKind::Single { .. });
            v.is_multi = !v.is_single;
            // Every option, those not offered hidden, so that the script can offer them.
            let all = q
                .options()
                .iter()
                .map(|o| (o.id.clone(), o.label.clone(), o.hint.clone()));
            v.options = choice_views(all, values);
            for o in &mut v.options {
                o.hidden = !offered.iter().any(|x| x.id == o.id);
            }
        }
        QuestionKind::Rank { top, .. } => {
            v.is_rank = true;
            v.positions = (1..=*top)
                .map(|pos| {
                    let extra = q.options_from_answer.is_some() && pos > offered.len();
                    let chosen: Vec<String> = input
                        .rank_value(&q.id, pos)
                        .map(String::from)
                        .into_iter()
                        .collect();
                    RankPosition {
                        pos,
                        extra,
                        options: choice_views(opts(), &chosen),
                    }
                })
                .collect();
        }
        QuestionKind::Scale {
            low_label,
            high_label,
        } => {
            v.is_scale = true;
            v.low_label = low_label.clone().unwrap_or_else(|| "很不满意".into());
            v.high_label = high_label.clone().unwrap_or_else(|| "非常满意".into());
            let points = (1..=5).map(|n| (n.to_string(), n.to_string(), None));
            v.options = choice_views(points, values);
        }
        QuestionKind::Number { min, max, unit } => {
            v.is_number = true;
            (v.min, v.max, v.unit) = (*min, *max, unit.clone());
        }
        QuestionKind::Text { max_length } => {
            v.is_text = true;
            v.max_length = *max_length;
        }
        QuestionKind::Grade { grades } => {
            v.is_select = true;
            v.select_label = "请选择年级".into();
            let items = grades_at(grades, level)
                .into_iter()
                .map(|g| (g.to_string(), grade_label(g).to_string(), None));
            v.options = choice_views(items, values);
        }
        QuestionKind::Class { max_class } => {
            v.is_select = true;
            v.select_label = "请选择班级".into();
            let items = (1..=*max_class).map(|c| (c.to_string(), class_label(c), None));
            v.options = choice_views(items, values);
        }
    }
    v
}
