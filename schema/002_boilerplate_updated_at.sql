-- Isnad database, schema version 2.
--
-- When a user last set or cleared a sentence's boilerplate flag (`u` in the app, and its undo
-- and redo), so that `isnad merge` carries the flag like the other annotations: changed only
-- there, it is taken; changed in both places since the last merge, the later edit wins and
-- the conflict is reported. NULL: the flag is as the boilerplate rules set it at import.
ALTER TABLE sentences ADD COLUMN boilerplate_updated_at TEXT;
