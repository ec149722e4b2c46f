-- What Pith's JSON renderings give beyond the text pages.

-- The hub's work: authors, year and venue.
ALTER TABLE hubs ADD COLUMN authors TEXT    NOT NULL DEFAULT '';
ALTER TABLE hubs ADD COLUMN year    INTEGER NULL;
ALTER TABLE hubs ADD COLUMN venue   TEXT    NOT NULL DEFAULT '';

-- A citing paper's submission time, how sure the source is that its reference is the hub, its citation
-- context (the text around the citation, and how many contexts the source found), and the role and
-- polarity the source gave that context: kept apart from the service's own labels, with the address of
-- the document that gave them.
ALTER TABLE citing_papers ADD COLUMN submitted_at       TEXT    NULL;
ALTER TABLE citing_papers ADD COLUMN link_confidence    REAL    NULL;
ALTER TABLE citing_papers ADD COLUMN context_text       TEXT    NULL;
ALTER TABLE citing_papers ADD COLUMN context_count      INTEGER NULL;
ALTER TABLE citing_papers ADD COLUMN source_role        TEXT    NOT NULL DEFAULT '';
ALTER TABLE citing_papers ADD COLUMN source_polarity    TEXT    NOT NULL DEFAULT '';
ALTER TABLE citing_papers ADD COLUMN source_labels_from TEXT    NOT NULL DEFAULT '';

-- Which texts the service's labels were computed from: 0 the summary, 1 the summary and the citation
-- context (CitationService.Core.Classification.LabelSource).
ALTER TABLE citing_papers ADD COLUMN label_source INTEGER NOT NULL DEFAULT 0;
