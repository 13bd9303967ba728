-- Open WebUI 0.11 opens a share link only for the users its access grants reach (resource type
-- 'shared_chat', keyed by the chat's id). Links made before were open to every signed-in user: each
-- keeps that as an explicit grant to every user, which its owner sees and can change.
INSERT INTO access_grants (resource_type, resource_id, principal_type, principal_id, permission, created_at)
SELECT 'shared_chat', id, 'user', '*', 'read', updated_at FROM chats WHERE share_id IS NOT NULL;
