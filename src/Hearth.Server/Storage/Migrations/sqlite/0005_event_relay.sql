-- SQLite runs one Hearth process, so events need no relay; this step only keeps the version numbers of
-- both databases in step.
SELECT 1;
