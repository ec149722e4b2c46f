-- Hubs (cited papers), their filtered views and the papers citing them: the schema SQLite reaches with its
-- migrations 1 to 6, in one step (no PostgreSQL database predates it).
--
-- Values are stored as the SQLite store stores them, so one row mapping reads both engines and a value
-- reads back identical from either: timestamps are ISO-8601 UTC text with 100 ns precision
-- ("yyyy-MM-ddTHH:mm:ss.fffffffZ", which sorts as time does), dates "yyyy-MM-dd", flags and labels bigint
-- (labels are the values of CitationRole / CitationPolarity), probabilities JSON objects keyed by label
-- name. Text compares and sorts by code point (COLLATE "C"), as in SQLite, so keyset pages and cursors
-- are the same on both engines.

CREATE TABLE hubs (
    id                     text COLLATE "C" NOT NULL PRIMARY KEY,
    title                  text COLLATE "C" NOT NULL,
    normalized_title       text COLLATE "C" NOT NULL,
    abstract               text COLLATE "C" NOT NULL DEFAULT '',
    tier_label             text COLLATE "C" NOT NULL DEFAULT '',
    stated_citing_count    bigint NULL,
    source_url             text COLLATE "C" NOT NULL DEFAULT '',
    arxiv_id               text COLLATE "C" NOT NULL DEFAULT '',
    doi                    text COLLATE "C" NOT NULL DEFAULT '',
    stated_role_counts     text COLLATE "C" NOT NULL DEFAULT '[]',
    stated_polarity_counts text COLLATE "C" NOT NULL DEFAULT '[]',
    ingested_at            text COLLATE "C" NOT NULL,
    updated_at             text COLLATE "C" NOT NULL,
    citing_paper_count     bigint NOT NULL DEFAULT 0,
    pith_id                text COLLATE "C" NOT NULL DEFAULT '',
    authors                text COLLATE "C" NOT NULL DEFAULT '',
    year                   bigint NULL,
    venue                  text COLLATE "C" NOT NULL DEFAULT ''
);

CREATE INDEX ix_hubs_normalized_title ON hubs (normalized_title, id);
CREATE INDEX ix_hubs_source_url ON hubs (source_url) WHERE source_url <> '';
-- arXiv ids and DOIs compare ignoring ASCII case: lower(column) = lower(value).
CREATE INDEX ix_hubs_arxiv_id ON hubs (lower(arxiv_id)) WHERE arxiv_id <> '';
CREATE INDEX ix_hubs_doi ON hubs (lower(doi)) WHERE doi <> '';
CREATE UNIQUE INDEX ux_hubs_pith_id ON hubs (pith_id) WHERE pith_id <> '';

-- What a filtered view of a hub (?cat=cs.LG, ?year=2021, ...) states about its subset of citing papers.
CREATE TABLE hub_views (
    hub_id                 text COLLATE "C" NOT NULL REFERENCES hubs (id) ON DELETE CASCADE,
    filter                 text COLLATE "C" NOT NULL,
    stated_citing_count    bigint NULL,
    stated_role_counts     text COLLATE "C" NOT NULL DEFAULT '[]',
    stated_polarity_counts text COLLATE "C" NOT NULL DEFAULT '[]',
    updated_at             text COLLATE "C" NOT NULL,
    PRIMARY KEY (hub_id, filter)
);

CREATE TABLE citing_papers (
    id                     text COLLATE "C" NOT NULL PRIMARY KEY,
    hub_id                 text COLLATE "C" NOT NULL REFERENCES hubs (id) ON DELETE CASCADE,
    position               bigint NOT NULL,
    title                  text COLLATE "C" NOT NULL,
    normalized_title       text COLLATE "C" NOT NULL,
    summary                text COLLATE "C" NULL,
    arxiv_id               text COLLATE "C" NOT NULL DEFAULT '',
    primary_category       text COLLATE "C" NOT NULL DEFAULT '',
    submitted_date         text COLLATE "C" NULL,
    verdict                text COLLATE "C" NOT NULL DEFAULT '',
    novelty_score          double precision NULL,
    reference_count        bigint NULL,
    representative         bigint NOT NULL DEFAULT 0 CHECK (representative IN (0, 1)),
    role                   bigint NULL,
    role_confidence        double precision NULL,
    role_probabilities     text COLLATE "C" NULL,
    role_model_version     text COLLATE "C" NULL,
    polarity               bigint NULL,
    polarity_confidence    double precision NULL,
    polarity_probabilities text COLLATE "C" NULL,
    polarity_model_version text COLLATE "C" NULL,
    -- Grows with every ingest write to the paper's summary or labels; the background sweep writes a label
    -- only if the revision it read is still there.
    label_revision         bigint NOT NULL DEFAULT 0,
    submitted_at           text COLLATE "C" NULL,
    link_confidence        double precision NULL,
    context_text           text COLLATE "C" NULL,
    context_count          bigint NULL,
    source_role            text COLLATE "C" NOT NULL DEFAULT '',
    source_polarity        text COLLATE "C" NOT NULL DEFAULT '',
    source_labels_from     text COLLATE "C" NOT NULL DEFAULT '',
    -- 0: labels from the summary; 1: from the summary and the citation context.
    label_source           bigint NOT NULL DEFAULT 0
);

-- Keyset reads of one hub's papers in page order; also serves "papers of hub" look-ups and counts.
CREATE UNIQUE INDEX ux_citing_papers_hub_position_id ON citing_papers (hub_id, position, id);

-- The papers awaiting labels, found without reading the others.
CREATE INDEX ix_citing_papers_awaiting_labels ON citing_papers (id)
    WHERE summary IS NOT NULL AND role_model_version IS NULL;
