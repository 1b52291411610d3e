package main

import (
	"fmt"
	"io"
	"text/template"

	"github.com/rollcall/rollcall"
)

var quickstart = template.Must(template.New("").Parse(`rollcall is listening on {{.URL}} ({{.Store}})
Web console (users, the outbox, the audit trail; sign in with the admin token): {{.URL}}/_rollcall/console
{{if .AdminToken}}
Admin token (printed once; its hash is kept in the data directory): {{.AdminToken}}
{{end}}{{if .Dev}}
Dev credentials (local use only; --no-dev-defaults turns them off):
  AWS account {{.Account}}, access key {{.Key}} / secret {{.Secret}}
  WorkDocs organization {{.Org}}
  Amazon Business access token {{.Token}}

Try it in a shell with the AWS CLI v2 (Debian's is /usr/bin/aws; CLIs released since mid-2024
have no alexaforbusiness). --endpoint-url works with every version; AWS_ENDPOINT_URL only
from 2.13 on (Debian's 2.9 ignores it and calls AWS):
  export AWS_ACCESS_KEY_ID={{.Key}} AWS_SECRET_ACCESS_KEY={{.Secret}} AWS_DEFAULT_REGION=us-east-1
  ACCOUNT_ID=$(aws --endpoint-url {{.URL}} chime create-account --name Demo --query Account.AccountId --output text)
  aws --endpoint-url {{.URL}} chime create-user --account-id "$ACCOUNT_ID" --email ada@example.com --user-type PrivateUser
  aws --endpoint-url {{.URL}} workdocs create-user --organization-id {{.Org}} --username ada --given-name Ada --surname Lovelace --password 'correct-horse-1'
  aws --endpoint-url {{.URL}} alexaforbusiness create-user --user-id ada --first-name Ada --last-name Lovelace --email ada@example.com
  curl -i -X POST {{.URL}}/businessAccounts/2021-08-30/businessUserAccount \
    -H 'x-amz-access-token: {{.Token}}' -H 'content-type: application/json' \
    -d '{"accountHolder":{"email":"ada@example.com","givenName":"Ada","familyName":"Lovelace"},"region":"US"}'
{{end}}`))

func printQuickstart(w io.Writer, url, store string, dev bool, adminToken string) {
	err := quickstart.Execute(w, map[string]any{
		"URL": url, "Store": store, "Dev": dev, "AdminToken": adminToken,
		"Account": rollcall.DevAccountID, "Key": rollcall.DevAccessKeyID, "Secret": rollcall.DevSecretKey,
		"Org": rollcall.DevOrganizationID, "Token": rollcall.DevAccessToken,
	})
	if err != nil {
		fmt.Fprintln(w, "quickstart:", err)
	}
}
