-- alerts.db version 2: which channels (mail recipients, web hooks) each notice has reached, so that a retry
-- after a partial failure sends only to the channels still missing it.
CREATE TABLE notice_channel (
    notice_id    INTEGER NOT NULL,
    channel      TEXT    NOT NULL,
    delivered_at INTEGER NOT NULL,
    PRIMARY KEY (notice_id, channel)
);
