-- Issue 16 and issue 18 item 2 (numbered 0010 in the plan; renumbered at merge if needed).
--
-- 1. The outbox carries every message the bot sends on its own initiative: besides posts,
--    reveals and admin notices, the weekly recap ('recap', body: the Monday of the week it
--    sums up; one per channel and week) and each opted-in answerer's private feedback on a
--    daily round ('feedback', body: the person's user id; one per round and person). A
--    delivery of no use any more is 'dropped' (a recap whose day is over, a notice about a
--    problem already fixed, feedback with nothing to grade). SQLite cannot change a CHECK
--    constraint in place, so the table is rebuilt with its rows and indexes.
CREATE TABLE deliveries_0008 (
    id               INTEGER PRIMARY KEY,
    kind             TEXT    NOT NULL
                     CHECK (kind IN ('post', 'reveal', 'notice', 'recap', 'feedback')),
    subscription_id  INTEGER NOT NULL REFERENCES subscriptions (id),
    round_id         INTEGER REFERENCES rounds (id) ON DELETE CASCADE,
    body             TEXT    NOT NULL DEFAULT '',
    status           TEXT    NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'claimed', 'delivered', 'parked', 'dropped')),
    due_at           INTEGER NOT NULL,
    not_after        INTEGER,
    attempts         INTEGER NOT NULL DEFAULT 0,
    first_claimed_at INTEGER,
    lease_until      INTEGER,
    message_id       TEXT,
    thread_id        TEXT,
    error            TEXT,
    created_at       INTEGER NOT NULL,
    delivered_at     INTEGER
);
INSERT INTO deliveries_0008 (id, kind, subscription_id, round_id, body, status, due_at,
    not_after, attempts, first_claimed_at, lease_until, message_id, thread_id, error,
    created_at, delivered_at)
SELECT id, kind, subscription_id, round_id, body, status, due_at, not_after, attempts,
    first_claimed_at, lease_until, message_id, thread_id, error, created_at, delivered_at
FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_0008 RENAME TO deliveries;
-- One post, one reveal and one recap per round; one feedback per round and person; one recap
-- per channel and week.
CREATE UNIQUE INDEX deliveries_per_round ON deliveries (round_id, kind)
    WHERE round_id IS NOT NULL AND kind IN ('post', 'reveal', 'recap');
CREATE UNIQUE INDEX deliveries_feedback_per_person ON deliveries (round_id, body)
    WHERE kind = 'feedback';
CREATE UNIQUE INDEX deliveries_recap_per_week ON deliveries (subscription_id, body)
    WHERE kind = 'recap';
CREATE INDEX deliveries_due ON deliveries (status, due_at) WHERE status IN ('pending', 'claimed');
CREATE INDEX deliveries_by_subscription ON deliveries (subscription_id, status);

-- 2. Feedback on graded answers (the App Home's "last feedback"): one row per graded answer,
--    a quiz's (ref_id: the quiz) or a daily round's (ref_id: the round). verdicts: JSON, one
--    object per key point (point, status, evidence, reference), in the key points' order.
CREATE TABLE feedback (
    id               INTEGER PRIMARY KEY,
    platform         TEXT    NOT NULL,
    user_id          TEXT    NOT NULL,
    source           TEXT    NOT NULL CHECK (source IN ('quiz', 'daily')),
    ref_id           INTEGER NOT NULL,
    question_id      TEXT    NOT NULL,
    verdicts         TEXT    NOT NULL,
    suggested_rating TEXT    NOT NULL,
    graded_at        INTEGER NOT NULL,
    UNIQUE (platform, user_id, source, ref_id)
);
CREATE INDEX feedback_latest ON feedback (platform, user_id, graded_at, id);

-- 3. Per-channel settings (the weekly recap is a channel's choice, not the workspace's): one
--    row per setting that differs from its default. The weekly-recap value a space had is
--    carried into each of its channels, and the space's row goes.
CREATE TABLE channel_settings (
    platform        TEXT    NOT NULL,
    space_id        TEXT    NOT NULL,
    channel_id      TEXT    NOT NULL,
    key             TEXT    NOT NULL,
    value           TEXT    NOT NULL,
    updated_by      TEXT,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (platform, space_id, channel_id, key)
) WITHOUT ROWID;
INSERT INTO channel_settings (platform, space_id, channel_id, key, value, updated_by, updated_at)
SELECT s.platform, s.space_id, c.channel_id, s.key, s.value, s.updated_by, s.updated_at
FROM space_settings s
JOIN subscriptions c ON c.platform = s.platform AND c.space_id = s.space_id
WHERE s.key = 'weekly-recap';
DELETE FROM space_settings WHERE key = 'weekly-recap';
