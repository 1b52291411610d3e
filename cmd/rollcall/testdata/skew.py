"""One read call per face with boto3 in its default configuration. Prints, per face,
"ok" or "error <code>: <message>"."""
import sys

import boto3
import botocore

endpoint = sys.argv[1]
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
for face, call in [
    ("chime", lambda c: c.list_accounts()),
    ("workdocs", lambda c: c.describe_users(OrganizationId="d-0000000000")),
    ("alexaforbusiness", lambda c: c.search_users()),
]:
    try:
        call(boto3.client(face, **kw))
        print(face, "ok")
    except botocore.exceptions.ClientError as e:
        err = e.response["Error"]
        print(face, "error", err["Code"] + ":", err["Message"])
