-- IAM principals (users and roles) of AWS accounts, with their identity-based policies as
-- a JSON array of {name, document}; version goes up at every change of the policies.
CREATE TABLE IF NOT EXISTS iam_principals (
    arn        text PRIMARY KEY,
    tenant_id  text NOT NULL,
    policies   text NOT NULL,
    version    bigint NOT NULL,
    created_at timestamptz(3) NOT NULL,
    updated_at timestamptz(3) NOT NULL
);
CREATE INDEX IF NOT EXISTS iam_principals_tenant ON iam_principals (tenant_id, arn COLLATE "C");
-- The principal an access key belongs to; a role session's name; a session policy.
ALTER TABLE access_keys ADD COLUMN IF NOT EXISTS principal_arn text NOT NULL DEFAULT '';
ALTER TABLE access_keys ADD COLUMN IF NOT EXISTS session_name text NOT NULL DEFAULT '';
ALTER TABLE access_keys ADD COLUMN IF NOT EXISTS session_policy text NOT NULL DEFAULT '';
