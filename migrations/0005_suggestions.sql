-- Questions from the team (issue 15): members' suggestions, and the community pack of each
-- space (a Slack workspace, a Discord server, the console), which is the approved ones.
-- Lists (key points, tags, further reading) are JSON arrays of strings; an empty answer means
-- "no reference answer: the thread is the answer".
CREATE TABLE suggestions (
    id              INTEGER PRIMARY KEY,
    platform        TEXT    NOT NULL,
    space_id        TEXT    NOT NULL,
    channel_id      TEXT,                    -- where it was suggested (None: imported)
    author_id       TEXT    NOT NULL,
    author_name     TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    answer          TEXT    NOT NULL DEFAULT '',
    key_points      TEXT    NOT NULL DEFAULT '[]',
    tags            TEXT    NOT NULL DEFAULT '[]',
    further_reading TEXT    NOT NULL DEFAULT '[]',
    pack            TEXT,                    -- the pack the author thinks it fits (a topic)
    difficulty      TEXT    NOT NULL DEFAULT 'medium',
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at      INTEGER NOT NULL,
    decided_by      TEXT,
    decided_by_name TEXT,
    decided_at      INTEGER,
    reason          TEXT,
    review_ref      TEXT,                    -- the platform's reference to the queue message
    posted_at       INTEGER                  -- first time it went out as a round
);
CREATE INDEX suggestions_space ON suggestions (platform, space_id, status);
CREATE INDEX suggestions_author ON suggestions (platform, space_id, author_id, status);
