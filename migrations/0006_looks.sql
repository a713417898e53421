-- Streak repairs (issue 16): a round an admin repaired breaks nobody's streak
-- (bot/core/streaks.py). Who repaired it and when, for /practice status.
CREATE TABLE streak_repairs (
    round_id        INTEGER PRIMARY KEY REFERENCES rounds (id),
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
    repaired_by     TEXT,
    repaired_at     INTEGER NOT NULL
);
CREATE INDEX streak_repairs_by_channel ON streak_repairs (subscription_id);
