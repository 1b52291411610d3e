-- rollcall schema, version 1. Portable to CockroachDB and YugabyteDB (see COMPAT.md):
-- text keys only (no SERIAL or sequences), no foreign keys, triggers or extensions.
--
-- Times are timestamptz(3): milliseconds, as the core keeps them; the store truncates
-- (never rounds) before writing. Columns that are ordered or paged on (the IDs) are
-- COLLATE "C", so they sort bytewise, as Go compares strings, whatever the database's
-- default collation is; equality never depends on the collation.

CREATE TABLE tenants (
    id         text COLLATE "C" PRIMARY KEY,
    kind       text NOT NULL,
    name       text NOT NULL,
    created_at timestamptz(3) NOT NULL
);

CREATE TABLE access_keys (
    id                 text PRIMARY KEY,
    secret             text NOT NULL,
    tenant_id          text NOT NULL,
    session_token_hash text NOT NULL,
    expires_at         timestamptz(3), -- NULL: a long-term key
    created_at         timestamptz(3) NOT NULL
);
CREATE INDEX access_keys_tenant ON access_keys (tenant_id);

CREATE TABLE access_tokens (
    hash         text PRIMARY KEY,
    directory_id text NOT NULL,
    tenant_id    text NOT NULL,
    kind         text NOT NULL,
    expires_at   timestamptz(3), -- NULL: never expires
    created_at   timestamptz(3) NOT NULL
);
CREATE INDEX access_tokens_directory ON access_tokens (directory_id);

CREATE TABLE directories (
    id         text COLLATE "C" PRIMARY KEY,
    tenant_id  text NOT NULL,
    kind       text NOT NULL,
    name       text NOT NULL,
    created_at timestamptz(3) NOT NULL,
    updated_at timestamptz(3) NOT NULL,
    attrs      jsonb NOT NULL
);
CREATE INDEX directories_tenant ON directories (tenant_id, id);

-- An untagged group has a NULL tag: a UNIQUE constraint ignores NULLs, so untagged
-- groups never collide (portable, unlike a partial unique index).
CREATE TABLE business_groups (
    directory_id text NOT NULL,
    id           text COLLATE "C" NOT NULL,
    tag          text,
    name         text NOT NULL,
    created_at   timestamptz(3) NOT NULL,
    PRIMARY KEY (directory_id, id),
    CONSTRAINT business_groups_tag UNIQUE (directory_id, tag)
);

-- A user's ID is unique across directories; its key within its directory.
-- email_lower is the email lower-cased by the store (Go's strings.ToLower, which folds
-- all of Unicode whatever the database's locale), for the email filter.
CREATE TABLE users (
    id            text COLLATE "C" PRIMARY KEY,
    directory_id  text NOT NULL,
    tenant_id     text NOT NULL,
    kind          text NOT NULL,
    key           text NOT NULL,
    email         text NOT NULL,
    email_lower   text NOT NULL,
    username      text NOT NULL,
    given_name    text NOT NULL,
    family_name   text NOT NULL,
    display_name  text NOT NULL,
    user_type     text NOT NULL,
    status        text NOT NULL,
    password_hash text NOT NULL,
    created_at    timestamptz(3) NOT NULL,
    updated_at    timestamptz(3) NOT NULL,
    attrs         jsonb NOT NULL,
    CONSTRAINT users_directory_key UNIQUE (directory_id, key)
);
-- Keyset pagination: WHERE directory_id = $1 AND id > $2 ORDER BY id LIMIT $3.
CREATE INDEX users_directory_id ON users (directory_id, id);
CREATE INDEX users_email ON users (directory_id, email_lower, id);

CREATE TABLE idempotency (
    scope        text NOT NULL,
    token        text NOT NULL,
    request_hash text NOT NULL,
    result_id    text NOT NULL,
    created_at   timestamptz(3) NOT NULL,
    PRIMARY KEY (scope, token)
);

CREATE TABLE messages (
    id           text COLLATE "C" PRIMARY KEY,
    tenant_id    text NOT NULL,
    directory_id text NOT NULL,
    user_id      text NOT NULL,
    kind         text NOT NULL,
    to_addr      text NOT NULL,
    to_name      text NOT NULL,
    subject      text NOT NULL,
    text_body    text NOT NULL,
    html_body    text NOT NULL,
    status       text NOT NULL,
    attempts     bigint NOT NULL,
    last_error   text NOT NULL,
    next_attempt timestamptz(3) NOT NULL,
    created_at   timestamptz(3) NOT NULL,
    sent_at      timestamptz(3)
);
-- The outbox's work queue: status = 'queued' AND next_attempt <= now.
CREATE INDEX messages_due ON messages (status, next_attempt);
-- Listings, newest first, of everything and of one tenant.
CREATE INDEX messages_created ON messages (created_at, id);
CREATE INDEX messages_tenant ON messages (tenant_id, created_at, id);

CREATE TABLE invitations (
    id           text PRIMARY KEY,
    token_hash   text NOT NULL,
    tenant_id    text NOT NULL,
    directory_id text NOT NULL,
    user_id      text NOT NULL,
    expires_at   timestamptz(3) NOT NULL,
    used_at      timestamptz(3),
    created_at   timestamptz(3) NOT NULL,
    CONSTRAINT invitations_token_hash UNIQUE (token_hash)
);
CREATE INDEX invitations_directory ON invitations (directory_id);
