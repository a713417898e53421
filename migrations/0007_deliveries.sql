-- The outbox (issue 18): every outbound message the rules produce is a delivery, written in the
-- same transaction as the state change that causes it (a claim writes its post, a reveal its
-- reveal message). The delivery worker claims due deliveries under a lease, sends them, and
-- marks them delivered (a post's round becomes posted in that same transaction).
--
-- status: 'pending' (due at due_at), 'claimed' (being sent until lease_until; a claim whose
-- lease expired is "in doubt": it may have reached the platform), 'delivered', 'parked' (a
-- permanent refusal: waits for the admin to fix it). first_claimed_at is when the first attempt
-- began: an in-doubt delivery is looked up among the channel's messages from then on.
CREATE TABLE deliveries (
    id               INTEGER PRIMARY KEY,
    kind             TEXT    NOT NULL CHECK (kind IN ('post', 'reveal', 'notice')),
    subscription_id  INTEGER NOT NULL REFERENCES subscriptions (id),
    round_id         INTEGER REFERENCES rounds (id) ON DELETE CASCADE,
    body             TEXT    NOT NULL DEFAULT '',  -- a notice's text; empty for posts, reveals
    status           TEXT    NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'claimed', 'delivered', 'parked')),
    due_at           INTEGER NOT NULL,
    not_after        INTEGER,                      -- no use after this (a post's grace); NULL: until delivered
    attempts         INTEGER NOT NULL DEFAULT 0,
    first_claimed_at INTEGER,
    lease_until      INTEGER,
    message_id       TEXT,
    thread_id        TEXT,
    error            TEXT,                         -- the last failure, for /practice status
    created_at       INTEGER NOT NULL,
    delivered_at     INTEGER
);
-- One post and one reveal per round.
CREATE UNIQUE INDEX deliveries_per_round ON deliveries (round_id, kind) WHERE round_id IS NOT NULL;
CREATE INDEX deliveries_due ON deliveries (status, due_at) WHERE status IN ('pending', 'claimed');
CREATE INDEX deliveries_by_subscription ON deliveries (subscription_id, status);
