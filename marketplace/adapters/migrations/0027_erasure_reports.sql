-- Issue 20: erasure reports. The wipe tool's report (nwipe's log) a wipe certificate was filled from, kept
-- here as evidence exactly as uploaded; its SHA-256 is in the certificate of the `asset.wiped` event, so
-- anyone with the trail can check the evidence was not changed. `reading` is what Seconde Vie read from it
-- (method, passes, verification, start and end, each disk's model, serial and result), `media_checked`
-- whether the disks were matched against media the device record already knew (a hardware snapshot, an
-- earlier certificate). Serials are in here: read only by the device's donor, its custodian, the
-- organisation that uploaded the report, auditors and admins (marketplace/services/erasure_reports.py);
-- never in the passport or the open data.
CREATE TABLE IF NOT EXISTS erasure_reports (
    id                uuid PRIMARY KEY,
    asset_id          uuid NOT NULL REFERENCES assets(id),
    org_id            uuid NOT NULL REFERENCES organisations(id),  -- the custodian that uploaded it
    uploaded_by       text NOT NULL,                               -- its user, or its API token principal
    tool              text NOT NULL,
    sha256            text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    byte_size         integer NOT NULL,
    raw               bytea NOT NULL,
    station_timezone  text NOT NULL,
    reading           jsonb NOT NULL,
    media_checked     boolean NOT NULL,
    event_id          uuid NOT NULL,
    created_at        timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS erasure_reports_asset_idx ON erasure_reports (asset_id, created_at DESC);
