-- Chats stored at message level: the document without history.messages in chats.doc, each message its own row.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE chats (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,                    -- the owner, or 'shared-<chat id>' for a share snapshot (Open WebUI's copy rows)
    owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    search_title TEXT NOT NULL,               -- lower-cased title, for search
    doc TEXT NOT NULL,                        -- the chat JSON with history.messages emptied in place
    has_tree BOOLEAN NOT NULL,                -- doc holds history.messages, so message rows fill it on read
    current_id TEXT NULL,                     -- history.currentId, kept apart so message writes never rewrite doc
    meta TEXT NOT NULL DEFAULT '{}',
    folder_id TEXT NULL,
    share_id TEXT NULL UNIQUE,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    pinned BOOLEAN NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX chats_user_updated_idx ON chats (user_id, updated_at DESC, id);
CREATE INDEX chats_user_archived_idx ON chats (user_id, archived);
CREATE INDEX chats_user_pinned_idx ON chats (user_id, pinned);
CREATE INDEX chats_folder_user_idx ON chats (folder_id, user_id);
CREATE INDEX chats_owner_idx ON chats (owner_id);
CREATE INDEX chats_search_title_trgm_idx ON chats USING gin (search_title gin_trgm_ops);

CREATE TABLE chat_messages (
    chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    seq BIGINT NOT NULL,                      -- position in history.messages, so key order survives
    parent_id TEXT NULL,
    role TEXT NULL,
    model TEXT NULL,
    timestamp BIGINT NULL,
    search_text TEXT NOT NULL,                -- lower-cased text content
    body TEXT NOT NULL,                       -- the message's own JSON, verbatim
    body_hash TEXT NOT NULL,
    PRIMARY KEY (chat_id, id)
);
CREATE UNIQUE INDEX chat_messages_order_idx ON chat_messages (chat_id, seq);
CREATE INDEX chat_messages_search_trgm_idx ON chat_messages USING gin (search_text gin_trgm_ops);

-- Tags: Open WebUI's per-user tag rows, plus an index of which chat carries which tag (meta.tags stays the wire truth).
CREATE TABLE tags (
    id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    meta TEXT NULL,
    PRIMARY KEY (id, user_id)
);
CREATE TABLE chat_tags (
    chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    tag_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (chat_id, tag_id)
);
CREATE INDEX chat_tags_user_tag_idx ON chat_tags (user_id, tag_id);

CREATE TABLE folders (
    id TEXT PRIMARY KEY,
    parent_id TEXT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,                   -- normalised name: unique per parent, matched by folder: search
    items TEXT NULL,
    meta TEXT NULL,
    data TEXT NULL,
    is_expanded BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX folders_unique_name_idx ON folders (user_id, COALESCE(parent_id, ''), name_key);
CREATE INDEX folders_parent_idx ON folders (parent_id);
