-- practicebot schema, version 1. Times are Unix seconds (UTC); local dates are 'YYYY-MM-DD'.

-- A channel that gets a daily question.
CREATE TABLE subscriptions (
    id              INTEGER PRIMARY KEY,
    platform        TEXT    NOT NULL,              -- 'console' | 'slack' | 'discord'
    space_id        TEXT    NOT NULL,              -- Slack workspace, Discord guild, 'local'
    channel_id      TEXT    NOT NULL,
    post_time       TEXT    NOT NULL,              -- 'HH:MM' local
    timezone        TEXT    NOT NULL,              -- IANA name
    days            TEXT    NOT NULL,              -- 'mon,tue,wed,thu,fri'
    reveal_after_s  INTEGER NOT NULL CHECK (reveal_after_s BETWEEN 300 AND 604800),
    packs           TEXT,                          -- comma-separated filter, NULL = all
    active          INTEGER NOT NULL DEFAULT 1,    -- 0 = unsubscribed or paused
    problem         TEXT,                          -- why posting last failed, for admins
    subscribed_by   TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (platform, space_id, channel_id)
);

-- A question posted in a channel. One per channel and local date, scheduled or by hand.
CREATE TABLE rounds (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
    local_date      TEXT    NOT NULL,
    question_id     TEXT    NOT NULL,
    cycle           INTEGER NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('scheduled', 'manual')),
    status          TEXT    NOT NULL CHECK (status IN ('claimed', 'posted', 'revealed')),
    claimed_at      INTEGER NOT NULL,
    posted_at       INTEGER,
    reveal_at       INTEGER NOT NULL,
    revealed_at     INTEGER,
    message_id      TEXT,
    thread_id       TEXT,
    UNIQUE (subscription_id, local_date)
);
CREATE INDEX rounds_by_thread ON rounds (thread_id) WHERE thread_id IS NOT NULL;
CREATE INDEX rounds_open ON rounds (status, reveal_at) WHERE status != 'revealed';
CREATE INDEX rounds_by_cycle ON rounds (subscription_id, cycle);

-- People we have seen, for names on leaderboards.
CREATE TABLE users (
    platform        TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    PRIMARY KEY (platform, user_id)
) WITHOUT ROWID;

-- Every message seen in a round's thread. One row per platform message.
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    platform        TEXT    NOT NULL,
    message_id      TEXT    NOT NULL,
    round_id        INTEGER NOT NULL REFERENCES rounds (id),
    user_id         TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    truncated       INTEGER NOT NULL DEFAULT 0,
    late            INTEGER NOT NULL DEFAULT 0,    -- sent after the reveal: kept, earns nothing
    sent_at         INTEGER NOT NULL,
    edited_at       INTEGER,
    deleted_at      INTEGER,
    UNIQUE (platform, message_id)
);
CREATE INDEX messages_by_round_user ON messages (round_id, user_id);

-- One on-time answer per user per round, however many messages it took.
CREATE TABLE answers (
    round_id        INTEGER NOT NULL REFERENCES rounds (id),
    user_id         TEXT    NOT NULL,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
    answered_at     INTEGER NOT NULL,
    PRIMARY KEY (round_id, user_id)
) WITHOUT ROWID;
CREATE INDEX answers_by_channel_time ON answers (subscription_id, answered_at, user_id);

-- Per user and channel: streaks (changed only at reveals) and the count of answers.
CREATE TABLE members (
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
    user_id         TEXT    NOT NULL,
    current_streak  INTEGER NOT NULL DEFAULT 0,
    best_streak     INTEGER NOT NULL DEFAULT 0,
    answers         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (subscription_id, user_id)
) WITHOUT ROWID;
CREATE INDEX members_by_streak ON members (subscription_id, current_streak DESC, answers DESC);

-- Platform event ids already handled: a redelivered event is recognised and dropped.
CREATE TABLE processed_events (
    platform        TEXT    NOT NULL,
    event_id        TEXT    NOT NULL,
    processed_at    INTEGER NOT NULL,
    PRIMARY KEY (platform, event_id)
) WITHOUT ROWID;

-- Questions handed out privately with /quiz.
CREATE TABLE quizzes (
    id              INTEGER PRIMARY KEY,
    platform        TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    question_id     TEXT    NOT NULL,
    asked_at        INTEGER NOT NULL,
    revealed_at     INTEGER
);
CREATE INDEX quizzes_by_user ON quizzes (platform, user_id, asked_at);

-- Small named values the bot keeps between runs (e.g. the hash of the synced slash commands).
CREATE TABLE bot_state (
    key             TEXT    PRIMARY KEY,
    value           TEXT    NOT NULL,
    updated_at      INTEGER NOT NULL
) WITHOUT ROWID;
