-- Standings the leaderboards read, kept up to date as answers come and go (bot/store/standings.py),
-- so that a leaderboard walks an index to its tenth row instead of counting every answer.

-- Each person's answers in a channel inside the rolling windows, and their name as the
-- users table has it (copied here so that ties on a board are ordered inside its index).
ALTER TABLE members ADD COLUMN month_answers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN week_answers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN name TEXT NOT NULL DEFAULT '';
UPDATE members SET name = COALESCE(
    (SELECT u.name FROM users u JOIN subscriptions s ON s.platform = u.platform
     WHERE s.id = members.subscription_id AND u.user_id = members.user_id),
    user_id);

-- Where each window starts: the answers at or after `edge` are in its counts. The upkeep
-- moves the edges on (a board read in between sets right what they lag, in memory).
CREATE TABLE window_edges (
    name            TEXT    PRIMARY KEY CHECK (name IN ('month', 'week')),
    edge            INTEGER NOT NULL
) WITHOUT ROWID;

-- Per person and workspace (Slack workspace, Discord guild): over the space's channels, the
-- best streaks and the sums of the answer counts. For the whole-space leaderboard.
CREATE TABLE space_members (
    platform        TEXT    NOT NULL,
    space_id        TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    current_streak  INTEGER NOT NULL DEFAULT 0,
    best_streak     INTEGER NOT NULL DEFAULT 0,
    answers         INTEGER NOT NULL DEFAULT 0,
    month_answers   INTEGER NOT NULL DEFAULT 0,
    week_answers    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (platform, space_id, user_id)
) WITHOUT ROWID;

-- Answers stored (+1) or taken away (-1) and not yet folded into the windows' counts and the
-- space table: answering appends here, the counts catch up in one pass.
CREATE TABLE answer_log (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL,
    user_id         TEXT    NOT NULL,
    answered_at     INTEGER NOT NULL,
    delta           INTEGER NOT NULL CHECK (delta IN (-1, 1))
);

-- One index per order a board is read in, holding every column a board shows: a board is
-- read from its index alone, ties already in order of name. members_by_streak is made again.
DROP INDEX members_by_streak;
CREATE INDEX members_by_streak ON members
    (subscription_id, current_streak DESC, answers DESC, name, user_id, best_streak);
CREATE INDEX members_by_answers ON members
    (subscription_id, answers DESC, current_streak DESC, name, user_id, best_streak);
CREATE INDEX members_by_month ON members
    (subscription_id, month_answers DESC, current_streak DESC, name, user_id, best_streak);
CREATE INDEX members_by_week ON members
    (subscription_id, week_answers DESC, current_streak DESC, name, user_id, best_streak);
CREATE INDEX members_by_user ON members (user_id);
CREATE INDEX space_members_by_streak ON space_members
    (platform, space_id, current_streak DESC, answers DESC, name, user_id, best_streak);
CREATE INDEX space_members_by_answers ON space_members
    (platform, space_id, answers DESC, current_streak DESC, name, user_id, best_streak);
CREATE INDEX space_members_by_month ON space_members
    (platform, space_id, month_answers DESC, current_streak DESC, name, user_id, best_streak);
CREATE INDEX space_members_by_week ON space_members
    (platform, space_id, week_answers DESC, current_streak DESC, name, user_id, best_streak);
CREATE INDEX space_members_by_user ON space_members (platform, user_id);
-- The answers a moving window edge passes.
CREATE INDEX answers_by_time ON answers (answered_at);

-- Fill them from the history already there, with the windows ending now.
INSERT INTO window_edges (name, edge) VALUES
    ('month', CAST(strftime('%s', 'now') AS INTEGER) - 30 * 86400),
    ('week', CAST(strftime('%s', 'now') AS INTEGER) - 7 * 86400);

INSERT INTO members (subscription_id, user_id, answers, month_answers, week_answers)
SELECT subscription_id, user_id, COUNT(*),
       SUM(answered_at >= (SELECT edge FROM window_edges WHERE name = 'month')),
       SUM(answered_at >= (SELECT edge FROM window_edges WHERE name = 'week'))
FROM answers WHERE true GROUP BY subscription_id, user_id
ON CONFLICT (subscription_id, user_id) DO UPDATE SET
    answers = excluded.answers, month_answers = excluded.month_answers,
    week_answers = excluded.week_answers;

INSERT INTO space_members (platform, space_id, user_id, name, current_streak, best_streak,
    answers, month_answers, week_answers)
SELECT s.platform, s.space_id, m.user_id, MAX(m.name), MAX(m.current_streak), MAX(m.best_streak),
       SUM(m.answers), SUM(m.month_answers), SUM(m.week_answers)
FROM members m JOIN subscriptions s ON s.id = m.subscription_id
GROUP BY s.platform, s.space_id, m.user_id;

-- How many people of a space stand at each key of each board, kept by triggers: a person's
-- rank on a whole-space board is one more than the people at keys above theirs, a sum over a
-- few hundred keys instead of a count over every person of the space.
CREATE TABLE space_board_keys (
    platform        TEXT    NOT NULL,
    space_id        TEXT    NOT NULL,
    board           TEXT    NOT NULL CHECK (board IN ('streak', 'all', 'month', 'week')),
    k1              INTEGER NOT NULL,              -- ranked by k1, then k2, highest first
    k2              INTEGER NOT NULL,
    n               INTEGER NOT NULL,
    PRIMARY KEY (platform, space_id, board, k1, k2)
) WITHOUT ROWID;

INSERT INTO space_board_keys (platform, space_id, board, k1, k2, n)
SELECT platform, space_id, 'streak', current_streak, answers, COUNT(*) FROM space_members
GROUP BY platform, space_id, current_streak, answers
UNION ALL
SELECT platform, space_id, 'all', answers, current_streak, COUNT(*) FROM space_members
GROUP BY platform, space_id, answers, current_streak
UNION ALL
SELECT platform, space_id, 'month', month_answers, current_streak, COUNT(*) FROM space_members
GROUP BY platform, space_id, month_answers, current_streak
UNION ALL
SELECT platform, space_id, 'week', week_answers, current_streak, COUNT(*) FROM space_members
GROUP BY platform, space_id, week_answers, current_streak;

CREATE TRIGGER space_members_keys_added AFTER INSERT ON space_members BEGIN
    INSERT INTO space_board_keys (platform, space_id, board, k1, k2, n) VALUES
        (NEW.platform, NEW.space_id, 'streak', NEW.current_streak, NEW.answers, 1),
        (NEW.platform, NEW.space_id, 'all', NEW.answers, NEW.current_streak, 1),
        (NEW.platform, NEW.space_id, 'month', NEW.month_answers, NEW.current_streak, 1),
        (NEW.platform, NEW.space_id, 'week', NEW.week_answers, NEW.current_streak, 1)
    ON CONFLICT (platform, space_id, board, k1, k2) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER space_members_keys_removed AFTER DELETE ON space_members BEGIN
    UPDATE space_board_keys SET n = n - 1 WHERE platform = OLD.platform
        AND space_id = OLD.space_id AND board = 'streak' AND k1 = OLD.current_streak
        AND k2 = OLD.answers;
    UPDATE space_board_keys SET n = n - 1 WHERE platform = OLD.platform
        AND space_id = OLD.space_id AND board = 'all' AND k1 = OLD.answers
        AND k2 = OLD.current_streak;
    UPDATE space_board_keys SET n = n - 1 WHERE platform = OLD.platform
        AND space_id = OLD.space_id AND board = 'month' AND k1 = OLD.month_answers
        AND k2 = OLD.current_streak;
    UPDATE space_board_keys SET n = n - 1 WHERE platform = OLD.platform
        AND space_id = OLD.space_id AND board = 'week' AND k1 = OLD.week_answers
        AND k2 = OLD.current_streak;
END;

CREATE TRIGGER space_members_keys_changed AFTER UPDATE ON space_members BEGIN
    UPDATE space_board_keys SET n = n - 1 WHERE platform = OLD.platform
        AND space_id = OLD.space_id AND board = 'streak' AND k1 = OLD.current_streak
        AND k2 = OLD.answers;
    UPDATE space_board_keys SET n = n - 1 WHERE platform = OLD.platform
        AND space_id = OLD.space_id AND board = 'all' AND k1 = OLD.answers
        AND k2 = OLD.current_streak;
    UPDATE space_board_keys SET n = n - 1 WHERE platform = OLD.platform
        AND space_id = OLD.space_id AND board = 'month' AND k1 = OLD.month_answers
        AND k2 = OLD.current_streak;
    UPDATE space_board_keys SET n = n - 1 WHERE platform = OLD.platform
        AND space_id = OLD.space_id AND board = 'week' AND k1 = OLD.week_answers
        AND k2 = OLD.current_streak;
    INSERT INTO space_board_keys (platform, space_id, board, k1, k2, n) VALUES
        (NEW.platform, NEW.space_id, 'streak', NEW.current_streak, NEW.answers, 1),
        (NEW.platform, NEW.space_id, 'all', NEW.answers, NEW.current_streak, 1),
        (NEW.platform, NEW.space_id, 'month', NEW.month_answers, NEW.current_streak, 1),
        (NEW.platform, NEW.space_id, 'week', NEW.week_answers, NEW.current_streak, 1)
    ON CONFLICT (platform, space_id, board, k1, k2) DO UPDATE SET n = n + 1;
END;
