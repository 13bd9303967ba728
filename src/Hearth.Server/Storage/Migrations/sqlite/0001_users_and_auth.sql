-- Users, sign-in sessions, API keys and run-time settings.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,               -- stored lower-cased, so unique case-insensitively
    role TEXT NOT NULL CHECK (role IN ('pending', 'user', 'admin')),
    profile_image_url TEXT NOT NULL,
    password_hash TEXT NULL,
    is_first_user INTEGER NOT NULL DEFAULT 0,
    last_active_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- At most one first user, even when two sign-ups race on an empty database.
CREATE UNIQUE INDEX users_first_user_idx ON users (is_first_user) WHERE is_first_user = 1;
CREATE INDEX users_created_at_idx ON users (created_at);

CREATE TABLE auth_sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NULL
);
CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id);

CREATE TABLE api_keys (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    key_hash TEXT NOT NULL UNIQUE,
    display TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE server_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
