-- Isnad on a PostgreSQL server, schema version 3: who may read and write what, enforced by
-- the server itself (grants and row-level security), whatever client connects.
--
-- The project's members are PostgreSQL logins listed in `project_users` with one role:
--   annotator    reads the documents assigned to them; reads and writes only their own
--                claims, marks, reading time and undo history; adds to the entity registry;
--                cannot read other annotators' labels or the gold standard; cannot change
--                documents, assignments, settings, users or the schema.
--   adjudicator  reads every annotator's labels and every document; writes the gold
--                standard (and may annotate as themselves).
--   lead         everything: documents, assignments, settings, merges, anyone's labels.
-- The database's owner (who ran `isnad server init`) and superusers count as leads; as
-- owners they are not subject to row-level security anyway. A login that is not a member
-- gets no rows and can write nothing (and `isnad server init` revokes CONNECT from PUBLIC).
-- Only the owner changes `project_users` (`isnad server add-user`), and only the owner
-- changes the schema: members own nothing.
--
-- `project_users` has no row-level security (isnad_role() reads it; the member list is no
-- secret among those allowed to connect); nobody but the owner may write it.
--
-- Privileges go to PUBLIC (the policies decide per member), so that no cluster-wide group
-- role has to be made or named per project; every table has row-level security enabled.

CREATE TABLE project_users (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('annotator', 'adjudicator', 'lead')),
    created_at TEXT NOT NULL
);

-- The caller's role: their row in project_users; the owner and superusers are leads;
-- NULL for anyone else.
CREATE FUNCTION isnad_role() RETURNS TEXT
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT COALESCE(
        (SELECT role FROM project_users WHERE name = current_user),
        (SELECT 'lead' FROM pg_roles r
          WHERE r.rolname = current_user
            AND (r.rolsuper OR pg_has_role(current_user,
                     (SELECT datdba FROM pg_database WHERE datname = current_database()),
                     'MEMBER'))));
$$;

-- Whether the caller may work on a document: assigned to them, or not an annotator.
CREATE FUNCTION isnad_may_read_document(doc TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT CASE isnad_role()
        WHEN 'annotator' THEN EXISTS (SELECT 1 FROM assignments a
                                       WHERE a.doc_id = doc AND a.annotator = current_user)
        WHEN 'adjudicator' THEN TRUE
        WHEN 'lead' THEN TRUE
        ELSE FALSE END;
$$;

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

GRANT SELECT ON isnad_schema, project_users, document_total TO PUBLIC;
GRANT SELECT ON annotator_progress TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON
    project_meta, documents, sentences, annotators, entities, entity_aliases, claims,
    sentence_marks, sentence_activity, action_log, assignments, gold_claims, gold_sentences,
    merge_sources, merge_seen
    TO PUBLIC;

ALTER TABLE project_meta ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE sentences ENABLE ROW LEVEL SECURITY;
ALTER TABLE annotators ENABLE ROW LEVEL SECURITY;
ALTER TABLE entities ENABLE ROW LEVEL SECURITY;
ALTER TABLE entity_aliases ENABLE ROW LEVEL SECURITY;
ALTER TABLE claims ENABLE ROW LEVEL SECURITY;
ALTER TABLE sentence_marks ENABLE ROW LEVEL SECURITY;
ALTER TABLE sentence_activity ENABLE ROW LEVEL SECURITY;
ALTER TABLE action_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE gold_claims ENABLE ROW LEVEL SECURITY;
ALTER TABLE gold_sentences ENABLE ROW LEVEL SECURITY;
ALTER TABLE merge_sources ENABLE ROW LEVEL SECURITY;
ALTER TABLE merge_seen ENABLE ROW LEVEL SECURITY;
ALTER TABLE annotator_progress ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_total ENABLE ROW LEVEL SECURITY;

-- (SELECT isnad_role()) is evaluated once per statement, not once per row.

-- Settings: every member reads them; the lead writes them.
CREATE POLICY member_reads ON project_meta FOR SELECT
    USING ((SELECT isnad_role()) IS NOT NULL);
CREATE POLICY lead_writes ON project_meta FOR ALL
    USING ((SELECT isnad_role()) = 'lead') WITH CHECK ((SELECT isnad_role()) = 'lead');

CREATE POLICY member_reads ON document_total FOR SELECT
    USING ((SELECT isnad_role()) IS NOT NULL);

-- Documents and sentences: annotators see what is assigned to them; leads write.
CREATE POLICY assigned_reads ON documents FOR SELECT
    USING (isnad_may_read_document(id));
CREATE POLICY lead_writes ON documents FOR ALL
    USING ((SELECT isnad_role()) = 'lead') WITH CHECK ((SELECT isnad_role()) = 'lead');
CREATE POLICY assigned_reads ON sentences FOR SELECT
    USING (isnad_may_read_document(doc_id));
CREATE POLICY lead_writes ON sentences FOR ALL
    USING ((SELECT isnad_role()) = 'lead') WITH CHECK ((SELECT isnad_role()) = 'lead');

CREATE POLICY own_or_reviewer_reads ON assignments FOR SELECT
    USING (annotator = current_user OR (SELECT isnad_role()) IN ('adjudicator', 'lead'));
CREATE POLICY lead_writes ON assignments FOR ALL
    USING ((SELECT isnad_role()) = 'lead') WITH CHECK ((SELECT isnad_role()) = 'lead');

-- Annotator names: each member registers their own; reviewers see everyone.
CREATE POLICY own_or_reviewer_reads ON annotators FOR SELECT
    USING (name = current_user OR (SELECT isnad_role()) IN ('adjudicator', 'lead'));
CREATE POLICY own_inserts ON annotators FOR INSERT
    WITH CHECK ((SELECT isnad_role()) IS NOT NULL
                AND (name = current_user OR (SELECT isnad_role()) = 'lead'));
CREATE POLICY lead_changes ON annotators FOR UPDATE
    USING ((SELECT isnad_role()) = 'lead') WITH CHECK ((SELECT isnad_role()) = 'lead');
CREATE POLICY lead_deletes ON annotators FOR DELETE
    USING ((SELECT isnad_role()) = 'lead');

-- The entity registry is shared: members read it, add to it and correct it; an entity or
-- alias is removed (an undone "new entity") only by whoever made it, or by a reviewer.
CREATE POLICY member_reads ON entities FOR SELECT
    USING ((SELECT isnad_role()) IS NOT NULL);
CREATE POLICY member_inserts ON entities FOR INSERT
    WITH CHECK ((SELECT isnad_role()) IS NOT NULL
                AND (created_by = current_user OR (SELECT isnad_role()) = 'lead'));
CREATE POLICY member_updates ON entities FOR UPDATE
    USING ((SELECT isnad_role()) IS NOT NULL) WITH CHECK ((SELECT isnad_role()) IS NOT NULL);
CREATE POLICY maker_deletes ON entities FOR DELETE
    USING (created_by = current_user OR (SELECT isnad_role()) IN ('adjudicator', 'lead'));
CREATE POLICY member_reads ON entity_aliases FOR SELECT
    USING ((SELECT isnad_role()) IS NOT NULL);
CREATE POLICY member_inserts ON entity_aliases FOR INSERT
    WITH CHECK ((SELECT isnad_role()) IS NOT NULL
                AND (created_by = current_user OR (SELECT isnad_role()) = 'lead'));
CREATE POLICY member_updates ON entity_aliases FOR UPDATE
    USING ((SELECT isnad_role()) IS NOT NULL) WITH CHECK ((SELECT isnad_role()) IS NOT NULL);
CREATE POLICY maker_deletes ON entity_aliases FOR DELETE
    USING (created_by = current_user OR (SELECT isnad_role()) IN ('adjudicator', 'lead'));

-- An annotator's own labels: claims, marks, reading time. Blind annotation: nobody but
-- reviewers reads another annotator's rows; a member writes rows under their own login
-- only, on a document they may read; the lead writes anyone's (imports, merges).
CREATE POLICY own_or_reviewer_reads ON claims FOR SELECT
    USING (annotator = current_user OR (SELECT isnad_role()) IN ('adjudicator', 'lead'));
CREATE POLICY own_inserts ON claims FOR INSERT
    WITH CHECK ((annotator = current_user AND isnad_may_read_document(doc_id))
                OR (SELECT isnad_role()) = 'lead');
CREATE POLICY own_updates ON claims FOR UPDATE
    USING (annotator = current_user OR (SELECT isnad_role()) = 'lead')
    WITH CHECK ((annotator = current_user AND isnad_may_read_document(doc_id))
                OR (SELECT isnad_role()) = 'lead');
-- (Own rows are in reach of a DELETE, so that the lead_only trigger refuses it loudly.)
CREATE POLICY own_deletes ON claims FOR DELETE
    USING (annotator = current_user OR (SELECT isnad_role()) = 'lead');

CREATE POLICY own_or_reviewer_reads ON sentence_marks FOR SELECT
    USING (annotator = current_user OR (SELECT isnad_role()) IN ('adjudicator', 'lead'));
CREATE POLICY own_inserts ON sentence_marks FOR INSERT
    WITH CHECK ((annotator = current_user AND isnad_may_read_document(doc_id))
                OR (SELECT isnad_role()) = 'lead');
CREATE POLICY own_updates ON sentence_marks FOR UPDATE
    USING (annotator = current_user OR (SELECT isnad_role()) = 'lead')
    WITH CHECK ((annotator = current_user AND isnad_may_read_document(doc_id))
                OR (SELECT isnad_role()) = 'lead');
-- (Own rows are in reach of a DELETE, so that the lead_only trigger refuses it loudly.)
CREATE POLICY own_deletes ON sentence_marks FOR DELETE
    USING (annotator = current_user OR (SELECT isnad_role()) = 'lead');

CREATE POLICY own_or_reviewer_reads ON sentence_activity FOR SELECT
    USING (annotator = current_user OR (SELECT isnad_role()) IN ('adjudicator', 'lead'));
CREATE POLICY own_inserts ON sentence_activity FOR INSERT
    WITH CHECK ((annotator = current_user AND isnad_may_read_document(doc_id))
                OR (SELECT isnad_role()) = 'lead');
CREATE POLICY own_updates ON sentence_activity FOR UPDATE
    USING (annotator = current_user OR (SELECT isnad_role()) = 'lead')
    WITH CHECK ((annotator = current_user AND isnad_may_read_document(doc_id))
                OR (SELECT isnad_role()) = 'lead');
-- (Own rows are in reach of a DELETE, so that the lead_only trigger refuses it loudly.)
CREATE POLICY own_deletes ON sentence_activity FOR DELETE
    USING (annotator = current_user OR (SELECT isnad_role()) = 'lead');

-- Undo history: everyone their own (the lead reads all of it).
CREATE POLICY own_reads ON action_log FOR SELECT
    USING (annotator = current_user OR (SELECT isnad_role()) = 'lead');
CREATE POLICY own_inserts ON action_log FOR INSERT
    WITH CHECK ((SELECT isnad_role()) IS NOT NULL
                AND (annotator = current_user OR (SELECT isnad_role()) = 'lead'));
CREATE POLICY own_updates ON action_log FOR UPDATE
    USING (annotator = current_user OR (SELECT isnad_role()) = 'lead')
    WITH CHECK (annotator = current_user OR (SELECT isnad_role()) = 'lead');
-- A new action clears the annotator's own redo stack (deletes their undone entries).
CREATE POLICY own_deletes ON action_log FOR DELETE
    USING (annotator = current_user OR (SELECT isnad_role()) = 'lead');

-- Progress counts: one's own; reviewers see everyone's (the documents panel, `isnad docs`).
CREATE POLICY own_or_reviewer_reads ON annotator_progress FOR SELECT
    USING (annotator = current_user OR (SELECT isnad_role()) IN ('adjudicator', 'lead'));

-- The gold standard: reviewers only.
CREATE POLICY reviewer_all ON gold_claims FOR ALL
    USING ((SELECT isnad_role()) IN ('adjudicator', 'lead'))
    WITH CHECK ((SELECT isnad_role()) IN ('adjudicator', 'lead'));
CREATE POLICY reviewer_all ON gold_sentences FOR ALL
    USING ((SELECT isnad_role()) IN ('adjudicator', 'lead'))
    WITH CHECK ((SELECT isnad_role()) IN ('adjudicator', 'lead'));

-- Merge bookkeeping: the lead (merges are a lead's work).
CREATE POLICY lead_all ON merge_sources FOR ALL
    USING ((SELECT isnad_role()) = 'lead') WITH CHECK ((SELECT isnad_role()) = 'lead');
CREATE POLICY lead_all ON merge_seen FOR ALL
    USING ((SELECT isnad_role()) = 'lead') WITH CHECK ((SELECT isnad_role()) = 'lead');

-- Row-level security filters what a member may not touch out of an UPDATE or DELETE
-- silently ("UPDATE 0"). For the tables only some roles may change at all, these triggers
-- refuse the change outright instead, naming the table, so that a forbidden change is an
-- error through any client (psql included), never a quiet no-op. They fire per row where
-- a member's legitimate statement may touch no row of the table (an annotator's undo of a
-- new entity clears that entity from rejected gold claims: none of theirs), and per
-- statement on the document tables and assignments, which only a lead's statements touch
-- at all (a per-row check would cost an import a function call per sentence).
CREATE FUNCTION isnad_require_lead() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF isnad_role() IS DISTINCT FROM 'lead' THEN
        RAISE EXCEPTION 'only a lead of this project may % %', lower(TG_OP), TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_LEVEL = 'STATEMENT' THEN
        RETURN NULL;
    ELSIF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION isnad_require_reviewer() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF isnad_role() IS NULL OR isnad_role() NOT IN ('adjudicator', 'lead') THEN
        RAISE EXCEPTION 'only an adjudicator or a lead of this project may % %',
            lower(TG_OP), TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER lead_only BEFORE INSERT OR UPDATE OR DELETE ON project_meta
    FOR EACH STATEMENT EXECUTE FUNCTION isnad_require_lead();
CREATE TRIGGER lead_only BEFORE INSERT OR UPDATE OR DELETE ON documents
    FOR EACH STATEMENT EXECUTE FUNCTION isnad_require_lead();
CREATE TRIGGER lead_only BEFORE INSERT OR UPDATE OR DELETE ON sentences
    FOR EACH STATEMENT EXECUTE FUNCTION isnad_require_lead();
CREATE TRIGGER lead_only BEFORE INSERT OR UPDATE OR DELETE ON assignments
    FOR EACH STATEMENT EXECUTE FUNCTION isnad_require_lead();
CREATE TRIGGER lead_only BEFORE INSERT OR UPDATE OR DELETE ON merge_sources
    FOR EACH ROW EXECUTE FUNCTION isnad_require_lead();
CREATE TRIGGER lead_only BEFORE INSERT OR UPDATE OR DELETE ON merge_seen
    FOR EACH ROW EXECUTE FUNCTION isnad_require_lead();
CREATE TRIGGER lead_only BEFORE DELETE ON claims
    FOR EACH ROW EXECUTE FUNCTION isnad_require_lead();
CREATE TRIGGER lead_only BEFORE DELETE ON sentence_marks
    FOR EACH ROW EXECUTE FUNCTION isnad_require_lead();
CREATE TRIGGER lead_only BEFORE DELETE ON sentence_activity
    FOR EACH ROW EXECUTE FUNCTION isnad_require_lead();
CREATE TRIGGER lead_only BEFORE UPDATE OR DELETE ON annotators
    FOR EACH ROW EXECUTE FUNCTION isnad_require_lead();
CREATE TRIGGER reviewer_only BEFORE INSERT OR UPDATE OR DELETE ON gold_claims
    FOR EACH ROW EXECUTE FUNCTION isnad_require_reviewer();
CREATE TRIGGER reviewer_only BEFORE INSERT OR UPDATE OR DELETE ON gold_sentences
    FOR EACH ROW EXECUTE FUNCTION isnad_require_reviewer();
CREATE TRIGGER lead_only BEFORE TRUNCATE ON gold_claims
    FOR EACH STATEMENT EXECUTE FUNCTION isnad_require_lead();
