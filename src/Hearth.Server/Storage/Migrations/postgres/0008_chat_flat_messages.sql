-- Open WebUI's web client saves the current branch twice: in history.messages and as the chat's flat top-level
-- `messages` list. Kept inside chats.doc, that list made every write of the chat row (a message event touches
-- updated_at) as dear as the chat was long. Each item of the list is a row here instead: a reference to the
-- message row it equals, or its own JSON where it differs. Before a referenced message changes or goes, its
-- references get its old JSON, so the list reads back as it was saved. chats.doc keeps an empty list in its
-- place (for key order); documents saved before this migration keep theirs until their next save.
CREATE TABLE chat_flat_messages (
    chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    pos BIGINT NOT NULL,
    message_id TEXT NULL,                     -- the item is this message's JSON, as stored now
    body TEXT NULL,                           -- else the item's own JSON, verbatim
    PRIMARY KEY (chat_id, pos)
);
CREATE INDEX chat_flat_messages_ref_idx ON chat_flat_messages (chat_id, message_id) WHERE message_id IS NOT NULL;

-- Deleting a message finds its descendants by walking down from it, not by reading the whole chat.
CREATE INDEX chat_messages_parent_idx ON chat_messages (chat_id, parent_id);
