-- The bus's inbound entries applied (issue 17, docs/events.md): a stream entry redelivered (a consumer that crashed
-- after applying it and before acknowledging it reads it again) is found here and acknowledged without being applied
-- twice. Written in a group commit's unit after the entry was applied and before it is acknowledged to Redis; a close
-- is written first as APPLYING, so one found so after a crash is parked, never applied twice.
CREATE TABLE bus_inbound (
    stream       VARCHAR(200)             NOT NULL,
    entry_id     VARCHAR(64)              NOT NULL,
    processed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome      VARCHAR(16)              NOT NULL,
    PRIMARY KEY (stream, entry_id)
);
