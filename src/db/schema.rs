//! Diesel table definitions, shared by SQLite and PostgreSQL (see migrations/).

diesel::table! {
    townships (id) {
        id -> BigInt,
        name -> Text,
        kind -> Text,
        sort_order -> Integer,
    }
}

diesel::table! {
    schools (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        township_id -> BigInt,
        level -> Text,
        urban_rural_code -> Integer,
        contact_email -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    school_enrolments (school_id, grade) {
        school_id -> BigInt,
        grade -> Integer,
        students -> Integer,
    }
}

diesel::table! {
    survey_versions (hash) {
        hash -> Text,
        survey_key -> Text,
        title -> Text,
        source -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rounds (id) {
        id -> BigInt,
        name -> Text,
        survey_hash -> Text,
        opens_at -> Timestamp,
        closes_at -> Timestamp,
        created_at -> Timestamp,
        retention_until -> Timestamp,
        purged_at -> Nullable<Timestamp>,
        codes_required -> Bool,
        sections -> Text,
        tally_version -> Integer,
        companion_of -> Nullable<BigInt>,
        supplement_max -> Integer,
    }
}

diesel::table! {
    school_supplements (round_id, school_id) {
        round_id -> BigInt,
        school_id -> BigInt,
        questions -> Text,
        derived_hash -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    round_schools (round_id, school_id) {
        round_id -> BigInt,
        school_id -> BigInt,
        slug -> Text,
    }
}

diesel::table! {
    access_codes (code) {
        code -> Text,
        round_id -> BigInt,
        school_id -> BigInt,
        grade -> Nullable<Integer>,
        class_no -> Nullable<Integer>,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    responses (id) {
        id -> BigInt,
        round_id -> BigInt,
        school_id -> BigInt,
        survey_hash -> Text,
        grade -> Nullable<Integer>,
        class_no -> Nullable<Integer>,
        answers -> Text,
        idempotency_key -> Text,
        access_code -> Nullable<Text>,
        submitted_at -> Timestamp,
        counted -> Bool,
        channel -> Text,
        serial -> Nullable<Text>,
    }
}

diesel::table! {
    paper_entries (id) {
        id -> BigInt,
        round_id -> BigInt,
        school_id -> BigInt,
        batch -> Text,
        pass -> Integer,
        serial -> Text,
        fields -> Text,
        entered_by -> BigInt,
        entered_at -> Timestamp,
    }
}

diesel::table! {
    paper_slips (round_id, school_id, slip_no) {
        round_id -> BigInt,
        school_id -> BigInt,
        slip_no -> Integer,
        access_code -> Nullable<Text>,
        printed_at -> Timestamp,
    }
}

diesel::table! {
    scan_reviews (id) {
        id -> BigInt,
        round_id -> BigInt,
        school_id -> BigInt,
        serial -> Text,
        source -> Text,
        fields -> Text,
        doubts -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    scan_crops (review_id, question_id) {
        review_id -> BigInt,
        question_id -> Text,
        png -> Binary,
    }
}

diesel::joinable!(scan_crops -> scan_reviews (review_id));

diesel::table! {
    setup_tokens (token_hash) {
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        display_name -> Text,
        role -> Text,
        township_id -> Nullable<BigInt>,
        school_id -> Nullable<BigInt>,
        password_hash -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        user_id -> BigInt,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    account_tokens (token_hash) {
        token_hash -> Text,
        user_id -> BigInt,
        purpose -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    rate_events (id) {
        id -> BigInt,
        key_hash -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        user_id -> Nullable<BigInt>,
        action -> Text,
        detail -> Text,
    }
}

diesel::table! {
    complaints (id) {
        id -> BigInt,
        /// None: the parent named no school (the standing channel); the bureau assigns one.
        school_id -> Nullable<BigInt>,
        township_id -> Nullable<BigInt>,
        kind -> Text,
        body -> Text,
        contact -> Nullable<Text>,
        office -> Text,
        status -> Text,
        /// The note of what was done, written when the complaint is closed.
        reply -> Nullable<Text>,
        created_at -> Timestamp,
        /// When and by whom the complaint was closed.
        handled_at -> Nullable<Timestamp>,
        handled_by -> Nullable<BigInt>,
        assigned_at -> Nullable<Timestamp>,
        /// The school's rectification plan (整改方案) and its deadline.
        plan -> Nullable<Text>,
        due_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    complaint_steps (id) {
        id -> BigInt,
        complaint_id -> BigInt,
        at -> Timestamp,
        user_id -> Nullable<BigInt>,
        step -> Text,
        note -> Text,
    }
}

diesel::table! {
    cases (id) {
        id -> BigInt,
        school_id -> BigInt,
        township_id -> BigInt,
        title -> Text,
        category -> Text,
        body -> Text,
        /// `submitted`, `recommended` (by the township) or `selected` (by the bureau).
        status -> Text,
        created_at -> Timestamp,
        created_by -> Nullable<BigInt>,
        recommended_at -> Nullable<Timestamp>,
        selected_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    case_files (id) {
        id -> BigInt,
        case_id -> BigInt,
        position -> Integer,
        /// `jpeg`, `png` or `pdf`, from the content.
        kind -> Text,
        sha256 -> Text,
        size -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    class_sessions (id) {
        id -> BigInt,
        code -> Text,
        round_id -> BigInt,
        school_id -> BigInt,
        grade -> Integer,
        class_no -> Integer,
        expected -> Integer,
        submitted -> Integer,
        opened_at -> Timestamp,
        closes_at -> Timestamp,
        opened_by -> Nullable<BigInt>,
    }
}

diesel::joinable!(schools -> townships (township_id));
diesel::joinable!(cases -> schools (school_id));
diesel::joinable!(case_files -> cases (case_id));
diesel::joinable!(school_enrolments -> schools (school_id));
diesel::joinable!(rounds -> survey_versions (survey_hash));
diesel::joinable!(round_schools -> rounds (round_id));
diesel::joinable!(school_supplements -> rounds (round_id));
diesel::joinable!(school_supplements -> schools (school_id));
diesel::joinable!(round_schools -> schools (school_id));
diesel::joinable!(responses -> schools (school_id));
diesel::joinable!(responses -> rounds (round_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(audit_log -> users (user_id));
diesel::joinable!(account_tokens -> users (user_id));
diesel::joinable!(complaints -> schools (school_id));
diesel::joinable!(complaints -> townships (township_id));
diesel::joinable!(complaint_steps -> complaints (complaint_id));
diesel::joinable!(complaint_steps -> users (user_id));

diesel::table! {
    survey_heads (survey_key) {
        survey_key -> Text,
        hash -> Text,
        saved_by -> Nullable<BigInt>,
        saved_at -> Timestamp,
    }
}

diesel::table! {
    survey_drafts (survey_key) {
        survey_key -> Text,
        source -> Text,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(survey_heads -> survey_versions (hash));

diesel::allow_tables_to_appear_in_same_query!(
    survey_heads,
    survey_drafts,
    townships,
    schools,
    school_enrolments,
    survey_versions,
    rounds,
    round_schools,
    access_codes,
    responses,
    paper_slips,
    paper_entries,
    scan_reviews,
    scan_crops,
    setup_tokens,
    users,
    sessions,
    account_tokens,
    rate_events,
    audit_log,
    complaints,
    complaint_steps,
    cases,
    case_files,
    class_sessions,
    school_supplements,
);

// Analysis tables: queried alone, never joined in the DSL.
diesel::table! {
    answer_counts (round_id, school_id, grade, channel, segment, question_id, value) {
        round_id -> BigInt,
        school_id -> BigInt,
        grade -> Integer,
        channel -> Text,
        segment -> Text,
        question_id -> Text,
        value -> Text,
        n -> BigInt,
    }
}

diesel::table! {
    ledger_sends (month) {
        month -> Text,
        sent_at -> Timestamp,
        recipients -> Integer,
    }
}

diesel::table! {
    daily_sends (job, day) {
        job -> Text,
        day -> Text,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    plan_revisions (id) {
        id -> BigInt,
        school_id -> BigInt,
        term -> Text,
        extra_n -> Integer,
        days_per_week -> Integer,
        minutes_per_day -> Integer,
        resources -> Text,
        teachers -> Integer,
        outside_staff -> Integer,
        source -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    plan_activities (revision_id, position) {
        revision_id -> BigInt,
        position -> Integer,
        name -> Text,
        category -> Text,
        weekly_sessions -> Integer,
        capacity -> Integer,
        fee_yuan -> Integer,
    }
}
