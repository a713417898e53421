-- Spaced repetition (FSRS) and feedback on written answers.

-- One review card per person and question: the FSRS state as JSON, and when it is due.
CREATE TABLE review_cards (
    platform        TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    question_id     TEXT    NOT NULL,
    card            TEXT    NOT NULL,              -- fsrs.Card.to_json()
    due_at          INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (platform, user_id, question_id)
) WITHOUT ROWID;
CREATE INDEX review_cards_due ON review_cards (platform, user_id, due_at);

-- Every self-rating, from a /quiz or from a daily round's reveal.
CREATE TABLE review_log (
    id              INTEGER PRIMARY KEY,
    platform        TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    question_id     TEXT    NOT NULL,
    rating          TEXT    NOT NULL CHECK (rating IN ('again', 'hard', 'good', 'easy')),
    source          TEXT    NOT NULL CHECK (source IN ('quiz', 'daily')),
    round_id        INTEGER REFERENCES rounds (id),
    quiz_id         INTEGER REFERENCES quizzes (id),
    reviewed_at     INTEGER NOT NULL,
    log             TEXT    NOT NULL               -- fsrs.ReviewLog.to_json()
);
CREATE INDEX review_log_by_user ON review_log (platform, user_id, reviewed_at);
-- A quiz, or a daily round, is rated once per person.
CREATE UNIQUE INDEX review_log_one_per_quiz ON review_log (quiz_id) WHERE quiz_id IS NOT NULL;
CREATE UNIQUE INDEX review_log_one_per_round
    ON review_log (platform, user_id, round_id) WHERE round_id IS NOT NULL;

-- What someone wrote for a /quiz before revealing it, for feedback.
ALTER TABLE quizzes ADD COLUMN answer_text TEXT;

-- Per-person settings: private feedback on daily answers after each reveal.
CREATE TABLE user_settings (
    platform        TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    daily_feedback  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (platform, user_id)
) WITHOUT ROWID;
