-- One hub per cited work. A Pith hub is its uuid, whatever the address it was fetched from (host, scheme,
-- trailing slash, .json or /citers.json suffix, filter query): pith_id holds it. Hubs stored before this
-- migration under several addresses of one uuid are merged by HubIdentityMigration, which runs in the same
-- transaction after this file and then creates ux_hubs_pith_id.

ALTER TABLE hubs ADD COLUMN pith_id TEXT NOT NULL DEFAULT '';

-- What a filtered view of a hub (?cat=cs.LG, ?year=2021, ...) states about its subset of citing papers:
-- its counts are the filter's, not the hub's. filter is PithAddress.Filter (parameters sorted by name).
CREATE TABLE hub_views (
    hub_id                 TEXT    NOT NULL REFERENCES hubs (id) ON DELETE CASCADE,
    filter                 TEXT    NOT NULL,
    stated_citing_count    INTEGER NULL,
    stated_role_counts     TEXT    NOT NULL DEFAULT '[]',
    stated_polarity_counts TEXT    NOT NULL DEFAULT '[]',
    updated_at             TEXT    NOT NULL,
    PRIMARY KEY (hub_id, filter)
);
