-- Several processes on one database (issue 13): which process holds a delivery's claim (its
-- PRACTICEBOT_PROCESS_NAME, or host-pid), so a delivery in doubt names the process that died
-- with it. Set at every claim; kept after delivery (who sent it).
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
