-- Staff accounts (parents have none), server-side sessions, one-time account
-- links, sign-in throttling, the audit log, and the complaint channel.
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('bureau', 'township', 'school')),
    township_id BIGINT REFERENCES townships(id),
    school_id BIGINT REFERENCES schools(id),
    password_hash TEXT,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (role <> 'township' OR township_id IS NOT NULL),
    CHECK (role <> 'school' OR school_id IS NOT NULL)
);

-- Only the hash of a session id is stored; logout deletes the row.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Invitation and password-reset links (hash only).
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

-- Sliding-window rate limits shared by every app instance: failed sign-ins
-- (per account and per address) and complaint submissions. Keys are hashed,
-- so no address is stored.
CREATE TABLE rate_events (
    id BIGSERIAL PRIMARY KEY,
    key_hash TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX rate_events_key_at ON rate_events(key_hash, at);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    user_id BIGINT REFERENCES users(id),
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TABLE complaints (
    id BIGSERIAL PRIMARY KEY,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    contact TEXT,
    office TEXT NOT NULL,
    status TEXT NOT NULL,
    reply TEXT,
    created_at TIMESTAMP NOT NULL,
    handled_at TIMESTAMP,
    handled_by BIGINT REFERENCES users(id)
);
CREATE INDEX complaints_status ON complaints(status, created_at);
