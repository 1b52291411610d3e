CREATE TABLE tenants (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE access_keys (
    id                 TEXT PRIMARY KEY,
    secret             TEXT NOT NULL,
    tenant_id          TEXT NOT NULL,
    session_token_hash TEXT NOT NULL DEFAULT '',
    expires_at         INTEGER,
    created_at         INTEGER NOT NULL
);

CREATE TABLE access_tokens (
    hash         TEXT PRIMARY KEY,
    directory_id TEXT NOT NULL,
    tenant_id    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    expires_at   INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE INDEX access_tokens_directory ON access_tokens (directory_id);

CREATE TABLE directories (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    attrs      TEXT NOT NULL
);
CREATE INDEX directories_tenant ON directories (tenant_id, kind, id);

CREATE TABLE business_groups (
    directory_id TEXT NOT NULL,
    id           TEXT NOT NULL,
    tag          TEXT,
    name         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (directory_id, id)
);
CREATE UNIQUE INDEX business_groups_tag ON business_groups (directory_id, tag) WHERE tag IS NOT NULL;

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    directory_id  TEXT NOT NULL,
    tenant_id     TEXT NOT NULL,
    kind          TEXT NOT NULL,
    key           TEXT NOT NULL,
    email         TEXT NOT NULL,
    username      TEXT NOT NULL,
    given_name    TEXT NOT NULL,
    family_name   TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    user_type     TEXT NOT NULL,
    status        TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    attrs         TEXT NOT NULL,
    UNIQUE (directory_id, key)
);
CREATE INDEX users_directory ON users (directory_id, id);
CREATE INDEX users_email ON users (directory_id, lower(email));

CREATE TABLE idempotency (
    scope        TEXT NOT NULL,
    token        TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    result_id    TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (scope, token)
);

CREATE TABLE messages (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL,
    directory_id TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    to_addr      TEXT NOT NULL,
    to_name      TEXT NOT NULL,
    subject      TEXT NOT NULL,
    text_body    TEXT NOT NULL,
    html_body    TEXT NOT NULL,
    status       TEXT NOT NULL,
    attempts     INTEGER NOT NULL,
    last_error   TEXT NOT NULL,
    next_attempt INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER
);
CREATE INDEX messages_due ON messages (status, next_attempt);
CREATE INDEX messages_created ON messages (created_at, id);

CREATE TABLE invitations (
    id           TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    tenant_id    TEXT NOT NULL,
    directory_id TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE INDEX invitations_directory ON invitations (directory_id);
