-- Isnad database, schema version 3: the document list reads its counts instead of counting.
--
-- Listing documents with an annotator's progress, and above all filtering them by status
-- ("not started / in progress / done"), used to count every decision of the annotator on
-- every query: 250,000 claims read for one filter on a large project. Three derived
-- structures make those reads small; all of them are exact at every commit, whoever writes
-- the rows (the app, import, import-claims, merge, undo, or any other SQLite client), because
-- SQLite maintains them itself: an index, and a table kept by the triggers below.
--
--   documents_sentence_count  the sentence count of a document without reading its row
--                             (the column lies past the text, on the text's overflow pages).
--   sentences_boilerplate     the sentences flagged as boilerplate (a few per cent): content
--                             sentences = sentence_count - flagged.
--   annotator_progress        per annotator and document: how many content sentences the
--                             annotator has decided (a confirmed, live claim or a live "no
--                             claim" mark). Rows at 0 may remain after an undo.
--
-- A sentence is "decided" by an annotator when at least one of their confirmed, non-deleted
-- claims or their non-deleted mark is on it; it counts when it is not boilerplate. Each
-- trigger adds or removes one decided sentence exactly when the row change it sees makes a
-- sentence decided or undecided (AFTER triggers see the table as changed so far).

CREATE INDEX documents_sentence_count ON documents(id, sentence_count);
CREATE INDEX sentences_boilerplate ON sentences(doc_id) WHERE boilerplate = 1;

CREATE TABLE annotator_progress (
    annotator TEXT NOT NULL,
    doc_id    TEXT NOT NULL,
    done      INTEGER NOT NULL CHECK (done >= 0),
    PRIMARY KEY (annotator, doc_id)
) WITHOUT ROWID;

INSERT INTO annotator_progress (annotator, doc_id, done)
SELECT x.annotator, x.doc_id, count(*)
  FROM (SELECT doc_id, sentence_idx, annotator FROM claims
         WHERE status = 'confirmed' AND deleted = 0
        UNION
        SELECT doc_id, sentence_idx, annotator FROM sentence_marks WHERE deleted = 0) x
  JOIN sentences s ON s.doc_id = x.doc_id AND s.idx = x.sentence_idx
 WHERE s.boilerplate = 0
 GROUP BY x.annotator, x.doc_id;

-- ---------------------------------------------------------------- claims

-- A confirmed, live claim appears: its sentence becomes decided unless another such claim
-- or a live mark of the same annotator already decided it.
CREATE TRIGGER annotator_progress_claim_insert AFTER INSERT ON claims
WHEN NEW.status = 'confirmed' AND NEW.deleted = 0
BEGIN
    INSERT INTO annotator_progress (annotator, doc_id, done)
    SELECT NEW.annotator, NEW.doc_id, 1
     WHERE EXISTS (SELECT 1 FROM sentences
                    WHERE doc_id = NEW.doc_id AND idx = NEW.sentence_idx AND boilerplate = 0)
       AND (SELECT count(*) FROM claims
             WHERE doc_id = NEW.doc_id AND sentence_idx = NEW.sentence_idx
               AND annotator = NEW.annotator AND status = 'confirmed' AND deleted = 0) = 1
       AND NOT EXISTS (SELECT 1 FROM sentence_marks
                        WHERE doc_id = NEW.doc_id AND sentence_idx = NEW.sentence_idx
                          AND annotator = NEW.annotator AND deleted = 0)
    ON CONFLICT (annotator, doc_id) DO UPDATE SET done = done + 1;
END;

-- A confirmed, live claim goes away: its sentence becomes undecided if nothing else decides it.
CREATE TRIGGER annotator_progress_claim_delete AFTER DELETE ON claims
WHEN OLD.status = 'confirmed' AND OLD.deleted = 0
BEGIN
    UPDATE annotator_progress SET done = done - 1
     WHERE annotator = OLD.annotator AND doc_id = OLD.doc_id
       AND EXISTS (SELECT 1 FROM sentences
                    WHERE doc_id = OLD.doc_id AND idx = OLD.sentence_idx AND boilerplate = 0)
       AND NOT EXISTS (SELECT 1 FROM claims
                        WHERE doc_id = OLD.doc_id AND sentence_idx = OLD.sentence_idx
                          AND annotator = OLD.annotator AND status = 'confirmed' AND deleted = 0)
       AND NOT EXISTS (SELECT 1 FROM sentence_marks
                        WHERE doc_id = OLD.doc_id AND sentence_idx = OLD.sentence_idx
                          AND annotator = OLD.annotator AND deleted = 0);
END;

-- An update that confirms, un-confirms, deletes, restores or moves a claim: the old place
-- may lose a decided sentence, the new one gain one. (Edits of a draft, or of a confirmed
-- claim's other fields, do not fire.)
CREATE TRIGGER annotator_progress_claim_update
AFTER UPDATE OF doc_id, sentence_idx, annotator, status, deleted ON claims
WHEN ((OLD.status = 'confirmed' AND OLD.deleted = 0) OR (NEW.status = 'confirmed' AND NEW.deleted = 0))
 AND ((OLD.status = 'confirmed' AND OLD.deleted = 0) != (NEW.status = 'confirmed' AND NEW.deleted = 0)
      OR OLD.doc_id IS NOT NEW.doc_id OR OLD.sentence_idx IS NOT NEW.sentence_idx
      OR OLD.annotator IS NOT NEW.annotator)
BEGIN
    UPDATE annotator_progress SET done = done - 1
     WHERE OLD.status = 'confirmed' AND OLD.deleted = 0
       AND annotator = OLD.annotator AND doc_id = OLD.doc_id
       AND EXISTS (SELECT 1 FROM sentences
                    WHERE doc_id = OLD.doc_id AND idx = OLD.sentence_idx AND boilerplate = 0)
       AND NOT EXISTS (SELECT 1 FROM claims
                        WHERE doc_id = OLD.doc_id AND sentence_idx = OLD.sentence_idx
                          AND annotator = OLD.annotator AND status = 'confirmed' AND deleted = 0)
       AND NOT EXISTS (SELECT 1 FROM sentence_marks
                        WHERE doc_id = OLD.doc_id AND sentence_idx = OLD.sentence_idx
                          AND annotator = OLD.annotator AND deleted = 0);
    INSERT INTO annotator_progress (annotator, doc_id, done)
    SELECT NEW.annotator, NEW.doc_id, 1
     WHERE NEW.status = 'confirmed' AND NEW.deleted = 0
       AND EXISTS (SELECT 1 FROM sentences
                    WHERE doc_id = NEW.doc_id AND idx = NEW.sentence_idx AND boilerplate = 0)
       AND (SELECT count(*) FROM claims
             WHERE doc_id = NEW.doc_id AND sentence_idx = NEW.sentence_idx
               AND annotator = NEW.annotator AND status = 'confirmed' AND deleted = 0) = 1
       AND NOT EXISTS (SELECT 1 FROM sentence_marks
                        WHERE doc_id = NEW.doc_id AND sentence_idx = NEW.sentence_idx
                          AND annotator = NEW.annotator AND deleted = 0)
    ON CONFLICT (annotator, doc_id) DO UPDATE SET done = done + 1;
END;

-- ---------------------------------------------------------------- "no claim" marks
-- (one row per sentence and annotator: the primary key)

CREATE TRIGGER annotator_progress_mark_insert AFTER INSERT ON sentence_marks
WHEN NEW.deleted = 0
BEGIN
    INSERT INTO annotator_progress (annotator, doc_id, done)
    SELECT NEW.annotator, NEW.doc_id, 1
     WHERE EXISTS (SELECT 1 FROM sentences
                    WHERE doc_id = NEW.doc_id AND idx = NEW.sentence_idx AND boilerplate = 0)
       AND NOT EXISTS (SELECT 1 FROM claims
                        WHERE doc_id = NEW.doc_id AND sentence_idx = NEW.sentence_idx
                          AND annotator = NEW.annotator AND status = 'confirmed' AND deleted = 0)
    ON CONFLICT (annotator, doc_id) DO UPDATE SET done = done + 1;
END;

CREATE TRIGGER annotator_progress_mark_delete AFTER DELETE ON sentence_marks
WHEN OLD.deleted = 0
BEGIN
    UPDATE annotator_progress SET done = done - 1
     WHERE annotator = OLD.annotator AND doc_id = OLD.doc_id
       AND EXISTS (SELECT 1 FROM sentences
                    WHERE doc_id = OLD.doc_id AND idx = OLD.sentence_idx AND boilerplate = 0)
       AND NOT EXISTS (SELECT 1 FROM claims
                        WHERE doc_id = OLD.doc_id AND sentence_idx = OLD.sentence_idx
                          AND annotator = OLD.annotator AND status = 'confirmed' AND deleted = 0);
END;

CREATE TRIGGER annotator_progress_mark_update
AFTER UPDATE OF doc_id, sentence_idx, annotator, deleted ON sentence_marks
WHEN (OLD.deleted = 0 OR NEW.deleted = 0)
 AND (OLD.deleted != NEW.deleted
      OR OLD.doc_id IS NOT NEW.doc_id OR OLD.sentence_idx IS NOT NEW.sentence_idx
      OR OLD.annotator IS NOT NEW.annotator)
BEGIN
    UPDATE annotator_progress SET done = done - 1
     WHERE OLD.deleted = 0
       AND annotator = OLD.annotator AND doc_id = OLD.doc_id
       AND EXISTS (SELECT 1 FROM sentences
                    WHERE doc_id = OLD.doc_id AND idx = OLD.sentence_idx AND boilerplate = 0)
       AND NOT EXISTS (SELECT 1 FROM claims
                        WHERE doc_id = OLD.doc_id AND sentence_idx = OLD.sentence_idx
                          AND annotator = OLD.annotator AND status = 'confirmed' AND deleted = 0);
    INSERT INTO annotator_progress (annotator, doc_id, done)
    SELECT NEW.annotator, NEW.doc_id, 1
     WHERE NEW.deleted = 0
       AND EXISTS (SELECT 1 FROM sentences
                    WHERE doc_id = NEW.doc_id AND idx = NEW.sentence_idx AND boilerplate = 0)
       AND NOT EXISTS (SELECT 1 FROM claims
                        WHERE doc_id = NEW.doc_id AND sentence_idx = NEW.sentence_idx
                          AND annotator = NEW.annotator AND status = 'confirmed' AND deleted = 0)
    ON CONFLICT (annotator, doc_id) DO UPDATE SET done = done + 1;
END;

-- ---------------------------------------------------------------- boilerplate flags

-- A sentence flagged or unflagged: every annotator who decided it gains or loses it.
CREATE TRIGGER annotator_progress_boilerplate AFTER UPDATE OF boilerplate ON sentences
WHEN OLD.boilerplate != NEW.boilerplate
BEGIN
    INSERT INTO annotator_progress (annotator, doc_id, done)
    SELECT who, NEW.doc_id, 1
      FROM (SELECT annotator AS who FROM claims
             WHERE doc_id = NEW.doc_id AND sentence_idx = NEW.idx
               AND status = 'confirmed' AND deleted = 0
            UNION
            SELECT annotator FROM sentence_marks
             WHERE doc_id = NEW.doc_id AND sentence_idx = NEW.idx AND deleted = 0)
     WHERE NEW.boilerplate = 0
    ON CONFLICT (annotator, doc_id) DO UPDATE SET done = done + 1;
    UPDATE annotator_progress SET done = done - 1
     WHERE NEW.boilerplate = 1 AND doc_id = NEW.doc_id
       AND annotator IN (SELECT annotator FROM claims
                          WHERE doc_id = NEW.doc_id AND sentence_idx = NEW.idx
                            AND status = 'confirmed' AND deleted = 0
                         UNION
                         SELECT annotator FROM sentence_marks
                          WHERE doc_id = NEW.doc_id AND sentence_idx = NEW.idx AND deleted = 0);
END;
