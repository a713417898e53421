-- Per-space settings (a Slack workspace, a Discord server, the console): one row per setting
-- that differs from its default. The settings themselves are declared in bot/core/spaces.py.
CREATE TABLE space_settings (
    platform        TEXT    NOT NULL,
    space_id        TEXT    NOT NULL,
    key             TEXT    NOT NULL,
    value           TEXT    NOT NULL,
    updated_by      TEXT,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (platform, space_id, key)
) WITHOUT ROWID;
