-- The number of citing papers stored per hub, kept by the page save that adds them, so hub
-- look-ups stay constant-time however many papers a hub has.

ALTER TABLE hubs ADD COLUMN citing_paper_count INTEGER NOT NULL DEFAULT 0;

UPDATE hubs SET citing_paper_count = (SELECT count(*) FROM citing_papers c WHERE c.hub_id = hubs.id);
