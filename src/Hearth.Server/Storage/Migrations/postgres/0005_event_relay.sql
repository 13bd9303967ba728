-- Large events relayed between Hearth processes: NOTIFY carries only the id of the row holding them.
CREATE TABLE relayed_events (
    id BIGSERIAL PRIMARY KEY,
    payload TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
