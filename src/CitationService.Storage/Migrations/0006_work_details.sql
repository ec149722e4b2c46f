-- What Pith's JSON renderings give of a hub beyond the text pages: its authors, year and venue.
ALTER TABLE hubs ADD COLUMN authors TEXT    NOT NULL DEFAULT '';
ALTER TABLE hubs ADD COLUMN year    INTEGER NULL;
ALTER TABLE hubs ADD COLUMN venue   TEXT    NOT NULL DEFAULT '';
