-- Each citing paper gets an integer key, given in the order papers are stored, and its labels are keyed by
-- it instead of by the paper's id (a hash). A stream reads a hub's papers in page order, which is the order
-- they were stored; keyed so, their label rows follow in the same order, and a read of a hub walks both
-- tables forward instead of probing a random page of the label table for every paper.
--
-- SQLite cannot add a primary key to a table: both tables are built again. paper_key is the rowid
-- (INTEGER PRIMARY KEY), so a VACUUM keeps it; the store gives new papers max(paper_key) + 1, ... inside
-- its write transaction. Stored papers are numbered in the order a stream reads them: by hub, then page
-- order.

CREATE TABLE citing_papers_keyed (
    paper_key          INTEGER NOT NULL PRIMARY KEY,
    id                 TEXT    NOT NULL UNIQUE,
    hub_id             TEXT    NOT NULL REFERENCES hubs (id) ON DELETE CASCADE,
    position           INTEGER NOT NULL,
    title              TEXT    NOT NULL,
    normalized_title   TEXT    NOT NULL,
    summary            TEXT    NULL,
    arxiv_id           TEXT    NOT NULL DEFAULT '',
    primary_category   TEXT    NOT NULL DEFAULT '',
    submitted_date     TEXT    NULL,
    verdict            TEXT    NOT NULL DEFAULT '',
    novelty_score      REAL    NULL,
    reference_count    INTEGER NULL,
    representative     INTEGER NOT NULL DEFAULT 0 CHECK (representative IN (0, 1)),
    label_revision     INTEGER NOT NULL DEFAULT 0,
    submitted_at       TEXT    NULL,
    link_confidence    REAL    NULL,
    context_text       TEXT    NULL,
    context_count      INTEGER NULL,
    source_role        TEXT    NOT NULL DEFAULT '',
    source_polarity    TEXT    NOT NULL DEFAULT '',
    source_labels_from TEXT    NOT NULL DEFAULT '',
    awaiting_labels    INTEGER NOT NULL DEFAULT 0 CHECK (awaiting_labels IN (0, 1))
);

INSERT INTO citing_papers_keyed (paper_key, id, hub_id, position, title, normalized_title, summary, arxiv_id,
                                 primary_category, submitted_date, verdict, novelty_score, reference_count,
                                 representative, label_revision, submitted_at, link_confidence, context_text,
                                 context_count, source_role, source_polarity, source_labels_from, awaiting_labels)
SELECT row_number() OVER (ORDER BY hub_id, position, id), id, hub_id, position, title, normalized_title, summary, arxiv_id,
       primary_category, submitted_date, verdict, novelty_score, reference_count,
       representative, label_revision, submitted_at, link_confidence, context_text,
       context_count, source_role, source_polarity, source_labels_from, awaiting_labels
FROM citing_papers
ORDER BY hub_id, position, id;

-- The columns of 0007's table, keyed by the paper's key.
CREATE TABLE citing_paper_labels_keyed (
    paper_key      INTEGER NOT NULL REFERENCES citing_papers_keyed (paper_key) ON DELETE CASCADE,
    task           TEXT    NOT NULL,
    label          INTEGER NOT NULL,
    confidence     REAL    NOT NULL,
    probabilities  TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    source_version TEXT    NOT NULL,
    input          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (paper_key, task)
) WITHOUT ROWID;

INSERT INTO citing_paper_labels_keyed (paper_key, task, label, confidence, probabilities, source, source_version, input)
SELECT c.paper_key, l.task, l.label, l.confidence, l.probabilities, l.source, l.source_version, l.input
FROM citing_paper_labels l JOIN citing_papers_keyed c ON c.id = l.paper_id
ORDER BY c.paper_key, l.task;

DROP TABLE citing_paper_labels;
DROP TABLE citing_papers;
-- Renaming a table rewrites the foreign keys that name it (SQLite 3.26 and later).
ALTER TABLE citing_papers_keyed RENAME TO citing_papers;
ALTER TABLE citing_paper_labels_keyed RENAME TO citing_paper_labels;

CREATE UNIQUE INDEX ux_citing_papers_hub_position_id ON citing_papers (hub_id, position, id);
CREATE INDEX ix_citing_papers_awaiting_labels ON citing_papers (id) WHERE awaiting_labels = 1;
