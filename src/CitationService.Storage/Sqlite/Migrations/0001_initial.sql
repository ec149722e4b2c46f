-- Hubs (cited papers) and the papers citing them.
-- Timestamps are ISO-8601 UTC text with 100 ns precision ("O" format); dates are "yyyy-MM-dd".
-- Labels are the integer values of CitationRole / CitationPolarity; probabilities are JSON objects
-- keyed by label name.

CREATE TABLE hubs (
    id                    TEXT    NOT NULL PRIMARY KEY,
    title                 TEXT    NOT NULL,
    normalized_title      TEXT    NOT NULL,
    abstract              TEXT    NOT NULL DEFAULT '',
    tier_label            TEXT    NOT NULL DEFAULT '',
    stated_citing_count   INTEGER NULL,
    source_url            TEXT    NOT NULL DEFAULT '',
    arxiv_id              TEXT    NOT NULL DEFAULT '',
    doi                   TEXT    NOT NULL DEFAULT '',
    stated_role_counts    TEXT    NOT NULL DEFAULT '[]',
    stated_polarity_counts TEXT   NOT NULL DEFAULT '[]',
    ingested_at           TEXT    NOT NULL,
    updated_at            TEXT    NOT NULL
);

CREATE INDEX ix_hubs_normalized_title ON hubs (normalized_title, id);
CREATE INDEX ix_hubs_source_url ON hubs (source_url) WHERE source_url <> '';
CREATE INDEX ix_hubs_arxiv_id ON hubs (arxiv_id COLLATE NOCASE) WHERE arxiv_id <> '';
CREATE INDEX ix_hubs_doi ON hubs (doi COLLATE NOCASE) WHERE doi <> '';

CREATE TABLE citing_papers (
    id                       TEXT    NOT NULL PRIMARY KEY,
    hub_id                   TEXT    NOT NULL REFERENCES hubs (id) ON DELETE CASCADE,
    position                 INTEGER NOT NULL,
    title                    TEXT    NOT NULL,
    normalized_title         TEXT    NOT NULL,
    summary                  TEXT    NULL,
    arxiv_id                 TEXT    NOT NULL DEFAULT '',
    primary_category         TEXT    NOT NULL DEFAULT '',
    submitted_date           TEXT    NULL,
    verdict                  TEXT    NOT NULL DEFAULT '',
    novelty_score            REAL    NULL,
    reference_count          INTEGER NULL,
    representative           INTEGER NOT NULL DEFAULT 0 CHECK (representative IN (0, 1)),
    role                     INTEGER NULL,
    role_confidence          REAL    NULL,
    role_probabilities       TEXT    NULL,
    role_model_version       TEXT    NULL,
    polarity                 INTEGER NULL,
    polarity_confidence      REAL    NULL,
    polarity_probabilities   TEXT    NULL,
    polarity_model_version   TEXT    NULL
);

-- Keyset reads of one hub's papers in page order; also serves "papers of hub" lookups and counts.
CREATE UNIQUE INDEX ux_citing_papers_hub_position_id ON citing_papers (hub_id, position, id);
