-- A number per user that changes whenever the order or the members of their default chat list (not archived,
-- not pinned, outside folders) change: a chat joins or leaves it, or moves within it. The list keeps the start
-- of pages it has served along with this number, so a deep page is a short seek instead of a walk from the
-- top, and a stale start is never used, whichever Hearth process made the change: the page query reads the
-- number in the same snapshot as the rows. A newer time for the chat already at the top (a reply being saved,
-- the usual write) moves nothing and counts nothing, so remembered starts survive it and such writes do not
-- queue on the user's row. Share snapshots (user 'shared-<chat id>') get no number.
CREATE TABLE chat_list_versions (
    user_id TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO chat_list_versions (user_id, version) SELECT DISTINCT user_id, 1 FROM chats WHERE user_id NOT LIKE 'shared-%';

CREATE FUNCTION chat_in_default_list(archived BOOLEAN, pinned BOOLEAN, folder_id TEXT) RETURNS BOOLEAN
    LANGUAGE sql IMMUTABLE AS $$ SELECT archived = FALSE AND COALESCE(pinned, FALSE) = FALSE AND folder_id IS NULL $$;

CREATE FUNCTION chat_list_version_bump(owner TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO chat_list_versions (user_id, version) SELECT owner, 1 WHERE owner NOT LIKE 'shared-%'
    ON CONFLICT (user_id) DO UPDATE SET version = chat_list_versions.version + 1;
$$;

CREATE FUNCTION chat_list_version_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was_listed BOOLEAN;
    is_listed BOOLEAN;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF chat_in_default_list(NEW.archived, NEW.pinned, NEW.folder_id) THEN
            PERFORM chat_list_version_bump(NEW.user_id);
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        -- A chat that was in the list got its user a row when it joined, so counting up is enough.
        IF chat_in_default_list(OLD.archived, OLD.pinned, OLD.folder_id) THEN
            UPDATE chat_list_versions SET version = version + 1 WHERE user_id = OLD.user_id;
        END IF;
        RETURN OLD;
    END IF;
    was_listed := chat_in_default_list(OLD.archived, OLD.pinned, OLD.folder_id);
    is_listed := chat_in_default_list(NEW.archived, NEW.pinned, NEW.folder_id);
    IF OLD.user_id IS DISTINCT FROM NEW.user_id THEN
        IF was_listed THEN
            UPDATE chat_list_versions SET version = version + 1 WHERE user_id = OLD.user_id;
        END IF;
        IF is_listed THEN
            PERFORM chat_list_version_bump(NEW.user_id);
        END IF;
    ELSIF was_listed IS DISTINCT FROM is_listed THEN
        PERFORM chat_list_version_bump(NEW.user_id);
    ELSIF is_listed AND OLD.updated_at IS DISTINCT FROM NEW.updated_at THEN
        -- Moved within the list: another chat of the list comes before it, before or after the change. Only
        -- the newest entries are looked at (the index range from the earlier of the two times). Locking the
        -- user's row first waits for a transaction that is counting up (and so changing the list) to commit,
        -- so this check sees its chats; otherwise a chat that stays first here could move behind them
        -- uncounted. The lock is the one a count-up takes, so taking it never needs an upgrade (no deadlock).
        PERFORM 1 FROM chat_list_versions WHERE user_id = NEW.user_id FOR NO KEY UPDATE;
        IF EXISTS (SELECT 1 FROM chats o
            WHERE o.user_id = NEW.user_id AND o.archived = FALSE AND COALESCE(o.pinned, FALSE) = FALSE AND o.folder_id IS NULL
              AND o.updated_at >= LEAST(OLD.updated_at, NEW.updated_at) AND o.id <> NEW.id
              AND (o.updated_at > OLD.updated_at OR (o.updated_at = OLD.updated_at AND o.id < NEW.id)
                   OR o.updated_at > NEW.updated_at OR (o.updated_at = NEW.updated_at AND o.id < NEW.id))) THEN
            PERFORM chat_list_version_bump(NEW.user_id);
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER chat_list_version AFTER INSERT OR DELETE OR UPDATE OF user_id, updated_at, archived, pinned, folder_id
    ON chats FOR EACH ROW EXECUTE FUNCTION chat_list_version_track();

-- The admin dump (GET /all/db) reads every chat newest first, in batches that each seek here.
CREATE INDEX chats_updated_idx ON chats (updated_at DESC, id);

CREATE FUNCTION chat_list_version_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM chat_list_versions WHERE user_id = OLD.id;
    RETURN OLD;
END $$;
CREATE TRIGGER chat_list_version_user_delete AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION chat_list_version_forget();
