-- A number per user that changes whenever the order or the membership of their chat list may have changed
-- (a chat added, removed, moved in time, archived, pinned or filed). The list keeps the start of pages it has
-- served along with this number, so a deep page is a short seek instead of a walk from the top, and a stale
-- start is never used, whichever Hearth process made the change: the page query reads the number in the
-- same statement. Share snapshots (user 'shared-<chat id>') are in no list and get no number.
CREATE TABLE chat_list_versions (
    user_id TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO chat_list_versions (user_id, version) SELECT DISTINCT user_id, 1 FROM chats WHERE user_id NOT LIKE 'shared-%';

CREATE FUNCTION chat_list_version_bump(owner TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO chat_list_versions (user_id, version) SELECT owner, 1 WHERE owner NOT LIKE 'shared-%'
    ON CONFLICT (user_id) DO UPDATE SET version = chat_list_versions.version + 1;
$$;
CREATE FUNCTION chat_list_version_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM chat_list_version_bump(NEW.user_id);
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        -- A user who has chats always has a row; a delete cascading from the user's own removal adds none.
        UPDATE chat_list_versions SET version = version + 1 WHERE user_id = OLD.user_id;
        RETURN OLD;
    END IF;
    IF (OLD.user_id, OLD.updated_at, OLD.archived, OLD.pinned, OLD.folder_id)
        IS DISTINCT FROM (NEW.user_id, NEW.updated_at, NEW.archived, NEW.pinned, NEW.folder_id) THEN
        PERFORM chat_list_version_bump(NEW.user_id);
        IF OLD.user_id IS DISTINCT FROM NEW.user_id THEN
            PERFORM chat_list_version_bump(OLD.user_id);
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER chat_list_version AFTER INSERT OR DELETE OR UPDATE OF user_id, updated_at, archived, pinned, folder_id
    ON chats FOR EACH ROW EXECUTE FUNCTION chat_list_version_track();
CREATE FUNCTION chat_list_version_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM chat_list_versions WHERE user_id = OLD.id;
    RETURN OLD;
END $$;
CREATE TRIGGER chat_list_version_user_delete AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION chat_list_version_forget();
