//! The survey form's view model: each question with its options, the values
//! the parent already gave (so nothing is lost on a re-render), its error and
//! whether display logic shows it.

use serde::Serialize;

use crate::domain::school::SchoolLevel;
use crate::domain::survey::{
    class_label, grade_label, grades_at, is_visible, FieldErrors, FormInput, Question,
    QuestionKind, SurveyDefinition,
};

#[derive(Debug, Serialize)]
pub struct OptionView {
    pub id: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Debug, Serialize)]
pub struct RankPosition {
    pub pos: usize,
    pub options: Vec<OptionView>,
}

#[derive(Debug, Default, Serialize)]
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

pub fn questions(
    def: &SurveyDefinition,
    input: &FormInput,
    errors: Option<&FieldErrors>,
    fixed: &Fixed,
) -> Vec<QuestionView> {
    let mut number = 0;
    def.questions
        .iter()
        .filter(|q| match q.kind {
            QuestionKind::Grade { .. } => !fixed.grade,
            QuestionKind::Class { .. } => !fixed.class,
            _ => true,
        })
        .map(|q| {
            let visible = is_visible(def, &q.id, input);
            if visible {
                number += 1;
            }
            let mut v = question(q, input, fixed.level);
            v.number = number.max(1);
            v.visible = visible;
            v.error = errors.and_then(|e| e.get(&q.id)).map(String::from);
            v
        })
        .collect()
}

fn choice_views<'a>(
    options: impl Iterator<Item = (String, String)> + 'a,
    selected: &'a [String],
) -> Vec<OptionView> {
    options
        .map(|(id, label)| OptionView {
            checked: selected.contains(&id),
            id,
            label,
        })
        .collect()
}

fn question(q: &Question, input: &FormInput, level: Option<SchoolLevel>) -> QuestionView {
    let values = input.values(&q.id);
    let mut v = QuestionView {
        id: q.id.clone(),
        title: q.title.clone(),
        help: q.help.clone(),
        required: q.required,
        value: values.first().cloned().unwrap_or_default(),
        ..QuestionView::default()
    };
    if let Some(s) = &q.show_if {
        v.show_q = Some(s.question.clone());
        v.show_any = s.any_of.join(" ");
    }
    let opts = || q.options().iter().map(|o| (o.id.clone(), o.label.clone()));
    match &q.kind {
        QuestionKind::Single { .. } => {
            v.is_single = true;
            v.options = choice_views(opts(), values);
        }
        QuestionKind::Multi { .. } => {
            v.is_multi = true;
            v.options = choice_views(opts(), values);
        }
        QuestionKind::Rank { top, .. } => {
            v.is_rank = true;
            v.positions = (1..=*top)
                .map(|pos| {
                    let chosen: Vec<String> = input
                        .rank_value(&q.id, pos)
                        .map(String::from)
                        .into_iter()
                        .collect();
                    RankPosition {
                        pos,
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
            v.options = choice_views((1..=5).map(|n| (n.to_string(), n.to_string())), values);
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
                .map(|g| (g.to_string(), grade_label(g).to_string()));
            v.options = choice_views(items, values);
        }
        QuestionKind::Class { max_class } => {
            v.is_select = true;
            v.select_label = "请选择班级".into();
            let items = (1..=*max_class).map(|c| (c.to_string(), class_label(c)));
            v.options = choice_views(items, values);
        }
    }
    v
}
