-- Settings the replicas share (the key that signs pagination tokens): each is written
-- once, by whichever replica inserts it first (INSERT ... ON CONFLICT DO NOTHING), and
-- read back by all of them, so racing replicas agree.
CREATE TABLE settings (
    name  text PRIMARY KEY,
    value text NOT NULL
);
