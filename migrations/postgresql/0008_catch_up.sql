-- Catch-up (issue 18, item 7): after a restart the bot reads back the threads of open rounds
-- and of rounds revealed in the last day (an answer written before a reveal that happened
-- while the bot was down still counts). This index finds the recently revealed ones.
CREATE INDEX rounds_revealed ON rounds (revealed_at) WHERE status = 'revealed';
