//! The linter speaks English to whoever edits the files on the server; the editor page speaks
//! Chinese. Each message is recognised by a telling part of its wording.

/// `(part of the English message, what the page says)`, most specific first.
const WORDS: &[(&str, &str)] = &[
    ("TOML: invalid type", "这里应填写整数。"),
    ("TOML: duplicate key", "同一项填写了两次。"),
    ("TOML:", "这一项的写法无法读取，请检查。"),
    (
        "duplicate question id",
        "题目编号重复：另一道题已经用了这个编号。",
    ),
    (
        "duplicate option id",
        "选项编号重复：同一道题的每个选项须有不同的编号。",
    ),
    ("duplicate section id", "可选部分的编号重复。"),
    (
        "has no options",
        "这道选择题还没有选项：请每行写一个选项（编号 空格 文字），或选择从课程分类取选项。",
    ),
    (
        "survey has no questions",
        "问卷还没有题目：请至少添加一道题。",
    ),
    (
        "unknown placeholder",
        "只能使用占位符 {{学校}}，其他写在 {{ }} 之间的内容都不允许。",
    ),
    (
        "survey id",
        "问卷编号只能由英文字母、数字、下划线或连字符组成。",
    ),
    (
        "option id",
        "选项编号只能由英文字母、数字、下划线、连字符或点组成，且不能为空。",
    ),
    (
        "question id",
        "题目编号只能由英文字母、数字、下划线或连字符组成，且不能为空。",
    ),
    ("unknown category", "这个分类不在课程分类表中。"),
    (
        "options_from_taxonomy",
        "从课程分类取选项时，请填写分类表中的分类编号，或 * 表示全部大类。",
    ),
    (
        "options_from_answer",
        "“选项取自前面的答案”须指向前面一页的一道多选题，且本题不能另有选项。",
    ),
    ("refers to unknown question", "条件指向的题目不存在。"),
    ("refers to itself", "条件不能指向本题自己。"),
    ("defined later", "条件只能指向前面的题目。"),
    (
        "on the same page",
        "分页的问卷中，条件只能指向前面一页的题目。",
    ),
    ("show_if any_of is empty", "请填写条件的取值。"),
    ("show_if cannot refer", "条件不能指向数字题或填空题。"),
    (
        "is not an option of question",
        "条件的取值不是所指题目的选项编号。",
    ),
    ("is not a scale value", "条件的取值应为 1 到 5。"),
    (
        "is not an allowed grade",
        "条件的取值不是所指题目可选的年级。",
    ),
    ("is not a class", "条件的取值不是所指题目可选的班级。"),
    (
        "has required_if but required = false",
        "设了必答条件的题须勾选“必答”。",
    ),
    ("does not apply to question", "这种题型不用这一项。"),
    ("unknown question type", "请选择题型。"),
    ("unknown survey kind", "请选择问卷类别。"),
    ("unknown respondent", "请选择填写人。"),
    ("no free-text questions", "学生问卷不能有填空题。"),
    (
        "grades 3-9 only",
        "学生问卷只问三至九年级，请填写年级范围 3 到 9。",
    ),
    (
        "teacher survey does not ask grade",
        "教师问卷不问年级和班级。",
    ),
    ("must say that parents", "学生问卷的说明须写明会告知家长。"),
    (
        "the first question must start a page",
        "有题目分页时，第一题须有页标题。",
    ),
    ("needs `top`", "排序题须填写排出前几位。"),
    ("needs both `min` and `max`", "数字题须填写最小值和最大值。"),
    ("is above the number of options", "超过了选项的个数。"),
    ("is above max", "最小值不能大于最大值。"),
    ("is negative", "不能小于 0。"),
    ("must be at least 1", "至少应为 1。"),
    ("max_length", "字数上限应在 1 到 2000 之间。"),
    ("max_class", "班数应在 1 到 99 之间。"),
    ("is not between 1 and 9", "年级应在 1 到 9 之间。"),
    ("is listed twice", "同一个年级填写了两次。"),
    ("grades of question", "请填写年级。"),
    ("paper", "这道题不能印在纸质回执上。"),
    ("show_at", "学校类型只能选城区、镇区或乡村，至少选一个。"),
    (
        "not declared in [[sections]]",
        "这个可选部分还没有在问卷的“可选部分”中列出。",
    ),
    (
        "section",
        "可选部分填写有误：编号和名称都要填，本题条件所指的题也须在同一部分。",
    ),
    ("is empty", "这一项不能空着。"),
];

/// The page's wording for a lint message.
pub fn in_chinese(message: &str) -> String {
    WORDS
        .iter()
        .find(|(part, _)| message.contains(part))
        .map_or("这一项填写有误，请检查。", |(_, zh)| zh)
        .to_string()
}
