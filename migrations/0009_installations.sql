-- Slack for many workspaces (issue 13): each workspace's installation of the app, the OAuth
-- states of installs under way, and the channels an uninstall paused.
--
-- installations: one row per (platform, kind, enterprise, team, user); kind 'bot' is the
-- workspace's bot (user_id ''), kind 'installation' one person's install. `data` is the
-- installation as slack_sdk serialises it, TOKENS INCLUDED: a secret, kept in the database and
-- so in its backups, as Bolt's own SQL stores keep it. A save replaces the row (a new id), so
-- the newest row of a workspace has the highest id.
CREATE TABLE installations (
    id            INTEGER PRIMARY KEY,
    platform      TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('bot', 'installation')),
    enterprise_id TEXT    NOT NULL DEFAULT '',
    team_id       TEXT    NOT NULL DEFAULT '',
    user_id       TEXT    NOT NULL DEFAULT '',
    data          TEXT    NOT NULL,
    installed_at  INTEGER NOT NULL,
    UNIQUE (platform, kind, enterprise_id, team_id, user_id)
);
-- An OAuth state lives until it is consumed once, or expires.
CREATE TABLE oauth_states (
    platform   TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (platform, state)
);
-- Subscriptions paused because their workspace uninstalled the app: a reinstall resumes
-- exactly these (not the ones an admin or a missing channel paused).
CREATE TABLE space_pauses (
    subscription_id INTEGER PRIMARY KEY REFERENCES subscriptions (id),
    paused_at       INTEGER NOT NULL
);
