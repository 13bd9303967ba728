-- Open WebUI 0.11's workspace models: an entry over a connection's model (its own id, or a new id over
-- base_model_id) with a name, parameters (system prompt, temperature, ...) and meta; who may use it is in
-- access_grants (resource_type 'model').
CREATE TABLE workspace_models (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    base_model_id TEXT NULL,
    name TEXT NOT NULL,
    params TEXT NOT NULL,
    meta TEXT NOT NULL,
    is_active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
