-- Labels are written with the rows that hold their summaries (an ingest) or, for papers an ingest could
-- not label, by the background sweep. label_revision grows with every ingest write to a paper's summary or
-- labels, and the sweep writes a label only if the revision it read is still there, so a label computed
-- from an older summary or hub text never lands.

ALTER TABLE citing_papers ADD COLUMN label_revision INTEGER NOT NULL DEFAULT 0;

-- The papers awaiting labels, found without reading the others. Labels are written and cleared for both
-- tasks together, so a missing role version marks them.
CREATE INDEX ix_citing_papers_awaiting_labels ON citing_papers (id)
    WHERE summary IS NOT NULL AND role_model_version IS NULL;
