-- The service's labels of a citing paper move out of its row into one row per task (role, polarity, any
-- task added later), each with its source: the model that computed it and that model's version now, a
-- person's correction later. A new task or a new kind of source is rows, not columns.
--
--   label          the label's value (CitationRole / CitationPolarity)
--   confidence     the probability of the label
--   probabilities  JSON object keyed by label name, in label order
--   source         who gave the label: 'model'
--   source_version the model's version; stored labels whose version differs from the loaded model's are
--                  computed again
--   input          which texts of the paper were read: 0 the summary, 1 the summary and the citation
--                  context (CitationService.Core.Classification.LabelSource)
CREATE TABLE citing_paper_labels (
    paper_id       TEXT    NOT NULL REFERENCES citing_papers (id) ON DELETE CASCADE,
    task           TEXT    NOT NULL,
    label          INTEGER NOT NULL,
    confidence     REAL    NOT NULL,
    probabilities  TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    source_version TEXT    NOT NULL,
    input          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (paper_id, task)
) WITHOUT ROWID;

INSERT INTO citing_paper_labels (paper_id, task, label, confidence, probabilities, source, source_version, input)
SELECT id, 'role', role, coalesce(role_confidence, 0), coalesce(role_probabilities, '{}'), 'model',
       coalesce(role_model_version, ''), label_source
FROM citing_papers
WHERE role IS NOT NULL;

INSERT INTO citing_paper_labels (paper_id, task, label, confidence, probabilities, source, source_version, input)
SELECT id, 'polarity', polarity, coalesce(polarity_confidence, 0), coalesce(polarity_probabilities, '{}'), 'model',
       coalesce(polarity_model_version, ''), label_source
FROM citing_papers
WHERE polarity IS NOT NULL;

-- The papers the background sweep is to label: a summary and no labels (their hub's text changed, or they
-- were stored before the models could label them). Set with the labels' removal, cleared with their write.
ALTER TABLE citing_papers ADD COLUMN awaiting_labels INTEGER NOT NULL DEFAULT 0 CHECK (awaiting_labels IN (0, 1));
UPDATE citing_papers SET awaiting_labels = 1 WHERE summary IS NOT NULL AND role_model_version IS NULL;

DROP INDEX ix_citing_papers_awaiting_labels;
ALTER TABLE citing_papers DROP COLUMN role;
ALTER TABLE citing_papers DROP COLUMN role_confidence;
ALTER TABLE citing_papers DROP COLUMN role_probabilities;
ALTER TABLE citing_papers DROP COLUMN role_model_version;
ALTER TABLE citing_papers DROP COLUMN polarity;
ALTER TABLE citing_papers DROP COLUMN polarity_confidence;
ALTER TABLE citing_papers DROP COLUMN polarity_probabilities;
ALTER TABLE citing_papers DROP COLUMN polarity_model_version;
ALTER TABLE citing_papers DROP COLUMN label_source;

CREATE INDEX ix_citing_papers_awaiting_labels ON citing_papers (id) WHERE awaiting_labels = 1;
