-- Open WebUI 0.11's groups (their permissions add to the default ones) and access grants: who may read or write
-- a resource, named by user, by group, or "*" for every user.
CREATE TABLE user_groups (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    permissions TEXT NULL,
    data TEXT NULL,
    meta TEXT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

CREATE INDEX group_members_user_idx ON group_members (user_id, group_id);

CREATE TABLE access_grants (
    resource_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    principal_type TEXT NOT NULL,
    principal_id TEXT NOT NULL,
    permission TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (resource_type, resource_id, principal_type, principal_id, permission)
);

CREATE INDEX access_grants_principal_idx ON access_grants (principal_type, principal_id, resource_type);
