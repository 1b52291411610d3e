-- IAM principals (users and roles) of AWS accounts, with their identity-based policies as
-- a JSON array of {name, document}; version goes up at every change of the policies.
CREATE TABLE iam_principals (
    arn        TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL,
    policies   TEXT NOT NULL,
    version    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX iam_principals_tenant ON iam_principals (tenant_id, arn);
-- The principal an access key belongs to; a role session's name; a session policy.
ALTER TABLE access_keys ADD COLUMN principal_arn TEXT NOT NULL DEFAULT '';
ALTER TABLE access_keys ADD COLUMN session_name TEXT NOT NULL DEFAULT '';
ALTER TABLE access_keys ADD COLUMN session_policy TEXT NOT NULL DEFAULT '';
