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
    }
}

diesel::table! {
    setup_tokens (token_hash) {
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::joinable!(schools -> townships (township_id));
diesel::joinable!(school_enrolments -> schools (school_id));
diesel::joinable!(rounds -> survey_versions (survey_hash));
diesel::joinable!(round_schools -> rounds (round_id));
diesel::joinable!(round_schools -> schools (school_id));
diesel::joinable!(responses -> schools (school_id));
diesel::joinable!(responses -> rounds (round_id));

diesel::allow_tables_to_appear_in_same_query!(
    townships,
    schools,
    school_enrolments,
    survey_versions,
    rounds,
    round_schools,
    access_codes,
    responses,
    setup_tokens,
);
