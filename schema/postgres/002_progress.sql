-- Isnad on a PostgreSQL server, schema version 2: the counts the document list reads
-- instead of counting (as SQLite's 003_progress.sql and 004_document_total.sql).
--
--   annotator_progress  per annotator and document: how many content (non-boilerplate)
--                       sentences the annotator has decided (a live confirmed claim or a
--                       live "no claim" mark).
--   document_total      the number of documents.
--
-- Both are exact at every commit, whoever writes the rows (the app, import, merge, undo, or
-- psql), because statement triggers keep them. Unlike SQLite's row triggers, which add or
-- remove one decided sentence, these recount each (annotator, document) pair a statement
-- touched from its rows — one indexed read of one document's decisions per pair — so that
-- one multi-row statement (an import, a merge) costs one recount per pair. The functions
-- run as their owner (SECURITY DEFINER), so an annotator's write updates the counts without
-- being allowed to write them directly.

CREATE TABLE annotator_progress (
    annotator TEXT NOT NULL,
    doc_id    TEXT NOT NULL,
    done      BIGINT NOT NULL CHECK (done >= 0),
    PRIMARY KEY (annotator, doc_id)
);
CREATE INDEX annotator_progress_by_doc ON annotator_progress(doc_id);

CREATE TABLE document_total (
    "only"    BIGINT PRIMARY KEY CHECK ("only" = 1),  -- quoted: ONLY is a keyword here
    documents BIGINT NOT NULL CHECK (documents >= 0)
);
INSERT INTO document_total ("only", documents) SELECT 1, count(*) FROM documents;

-- Recounts the given (annotator, document) pairs exactly.
CREATE FUNCTION isnad_progress_recount(who TEXT[], docs TEXT[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    INSERT INTO annotator_progress (annotator, doc_id, done)
    SELECT p.annotator, p.doc_id,
           (SELECT count(*)
              FROM (SELECT c.sentence_idx FROM claims c
                     WHERE c.doc_id = p.doc_id AND c.annotator = p.annotator
                       AND c.status = 'confirmed' AND c.deleted = 0
                    UNION
                    SELECT m.sentence_idx FROM sentence_marks m
                     WHERE m.doc_id = p.doc_id AND m.annotator = p.annotator
                       AND m.deleted = 0) d
              JOIN sentences s
                ON s.doc_id = p.doc_id AND s.idx = d.sentence_idx AND s.boilerplate = 0)
      FROM (SELECT DISTINCT * FROM unnest(who, docs) AS u(annotator, doc_id)) p
    ON CONFLICT (annotator, doc_id) DO UPDATE SET done = EXCLUDED.done;
$$;
REVOKE ALL ON FUNCTION isnad_progress_recount(TEXT[], TEXT[]) FROM PUBLIC;

-- Claims and marks: the pairs of the rows inserted, deleted, or updated (old and new).
CREATE FUNCTION isnad_progress_new_rows() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM isnad_progress_recount(array_agg(annotator), array_agg(doc_id)) FROM new_rows;
    RETURN NULL;
END $$;

CREATE FUNCTION isnad_progress_old_rows() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM isnad_progress_recount(array_agg(annotator), array_agg(doc_id)) FROM old_rows;
    RETURN NULL;
END $$;

CREATE FUNCTION isnad_progress_changed_rows() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM isnad_progress_recount(array_agg(annotator), array_agg(doc_id))
       FROM (SELECT annotator, doc_id FROM old_rows
             UNION SELECT annotator, doc_id FROM new_rows) p;
    RETURN NULL;
END $$;

CREATE TRIGGER claims_progress_insert AFTER INSERT ON claims
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION isnad_progress_new_rows();
CREATE TRIGGER claims_progress_delete AFTER DELETE ON claims
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION isnad_progress_old_rows();
CREATE TRIGGER claims_progress_update AFTER UPDATE ON claims
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION isnad_progress_changed_rows();

CREATE TRIGGER marks_progress_insert AFTER INSERT ON sentence_marks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION isnad_progress_new_rows();
CREATE TRIGGER marks_progress_delete AFTER DELETE ON sentence_marks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION isnad_progress_old_rows();
CREATE TRIGGER marks_progress_update AFTER UPDATE ON sentence_marks
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION isnad_progress_changed_rows();

-- A sentence flagged or unflagged: every annotator with a decision in its document.
CREATE FUNCTION isnad_progress_boilerplate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM isnad_progress_recount(array_agg(annotator), array_agg(doc_id))
       FROM (SELECT c.annotator, c.doc_id FROM claims c
               JOIN (SELECT n.doc_id FROM new_rows n JOIN old_rows o USING (doc_id, idx)
                      WHERE n.boilerplate <> o.boilerplate) f USING (doc_id)
             UNION
             SELECT m.annotator, m.doc_id FROM sentence_marks m
               JOIN (SELECT n.doc_id FROM new_rows n JOIN old_rows o USING (doc_id, idx)
                      WHERE n.boilerplate <> o.boilerplate) f USING (doc_id)) p;
    RETURN NULL;
END $$;

CREATE TRIGGER sentences_progress_boilerplate AFTER UPDATE ON sentences
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION isnad_progress_boilerplate();

CREATE FUNCTION isnad_document_total_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE document_total SET documents = documents + (SELECT count(*) FROM new_rows)
     WHERE "only" = 1;
    RETURN NULL;
END $$;

CREATE FUNCTION isnad_document_total_delete() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE document_total SET documents = documents - (SELECT count(*) FROM old_rows)
     WHERE "only" = 1;
    RETURN NULL;
END $$;

CREATE TRIGGER documents_total_insert AFTER INSERT ON documents
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION isnad_document_total_insert();
CREATE TRIGGER documents_total_delete AFTER DELETE ON documents
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION isnad_document_total_delete();
