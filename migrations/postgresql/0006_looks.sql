-- Streak repairs: as migrations/0005_looks.sql.
CREATE TABLE streak_repairs (
    round_id        BIGINT  PRIMARY KEY REFERENCES rounds (id),
    subscription_id BIGINT  NOT NULL REFERENCES subscriptions (id),
    repaired_by     TEXT,
    repaired_at     BIGINT  NOT NULL
);
CREATE INDEX streak_repairs_by_channel ON streak_repairs (subscription_id);
