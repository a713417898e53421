-- Per-space settings: as migrations/0004_space_settings.sql.
CREATE TABLE space_settings (
    platform        TEXT    NOT NULL,
    space_id        TEXT    NOT NULL,
    key             TEXT    NOT NULL,
    value           TEXT    NOT NULL,
    updated_by      TEXT,
    updated_at      BIGINT  NOT NULL,
    PRIMARY KEY (platform, space_id, key)
);
