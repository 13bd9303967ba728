-- Open WebUI 0.11's account self-service: a user's settings and info (JSON objects the clients own), profile
-- fields and status, kept beside the users row so sign-in and access checks never read them.
CREATE TABLE user_details (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    settings TEXT NULL,
    info TEXT NULL,
    bio TEXT NULL,
    gender TEXT NULL,
    date_of_birth TEXT NULL,
    status_emoji TEXT NULL,
    status_message TEXT NULL,
    status_expires_at BIGINT NULL
);
