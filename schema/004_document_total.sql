-- Isnad database, schema version 4: the number of documents, kept instead of counted.
--
-- The document list needs the number of documents on its first frame (the height of the
-- list). `count(*)` reads a whole index of the documents table to get it: 280 pages at
-- 40,000 documents, the largest part of a cold start on a large project. This one-row table
-- holds the number, exact at every commit whoever inserts or deletes documents (import,
-- merge, or any other SQLite client), because SQLite's triggers keep it.

CREATE TABLE document_total (
    only      INTEGER PRIMARY KEY CHECK (only = 1),
    documents INTEGER NOT NULL CHECK (documents >= 0)
);

INSERT INTO document_total (only, documents) SELECT 1, count(*) FROM documents;

CREATE TRIGGER document_total_insert AFTER INSERT ON documents
BEGIN
    UPDATE document_total SET documents = documents + 1 WHERE only = 1;
END;

CREATE TRIGGER document_total_delete AFTER DELETE ON documents
BEGIN
    UPDATE document_total SET documents = documents - 1 WHERE only = 1;
END;
