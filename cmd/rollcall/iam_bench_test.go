package main

import (
	"bytes"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws/credentials"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"
	"github.com/aws/aws-sdk-go/service/chime"

	"github.com/rollcall/rollcall/face/facetest"
)

// tenStatements allows chime:CreateUser after examining every statement: five Deny
// statements whose conditions do not hold for the request, four Allow statements that do
// not match it, and the Allow that does, last.
const tenStatements = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "DenyOutside", "Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": ["127.0.0.0/8", "::1/128"]}}},
  {"Sid": "DenyAdminTag", "Effect": "Deny", "Action": "a4b:*", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["admin", "root"]}}},
  {"Sid": "DenyOthers", "Effect": "Deny", "Action": "a4b:*", "NotResource": "arn:aws:a4b:*:111122223333:user/*"},
  {"Sid": "DenyLate", "Effect": "Deny", "Action": "chime:Delete*", "Resource": "*", "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}},
  {"Sid": "DenyRoles", "Effect": "Deny", "Action": "chime:*", "Resource": "*", "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:sts::*:assumed-role/*"}}},
  {"Sid": "WorkDocsRead", "Effect": "Allow", "Action": ["workdocs:Describe*", "workdocs:Get*"], "Resource": "*"},
  {"Sid": "A4BSearch", "Effect": "Allow", "Action": "a4b:Search*", "Resource": "*"},
  {"Sid": "NotIAM", "Effect": "Allow", "NotAction": ["chime:*", "iam:*", "sts:*"], "Resource": "arn:aws:s3:::reports/${aws:username}/*"},
  {"Sid": "ChimeRead", "Effect": "Allow", "Action": ["chime:Get*", "chime:List*"], "Resource": "*"},
  {"Sid": "ChimeUsers", "Effect": "Allow", "Action": ["chime:*User*", "chime:InviteUsers"], "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}}
]}`

// BenchmarkIAMCreateUser: Chime CreateUser through the whole server signed with a key of
// the account (no policy: not evaluated) and with a key of a user with tenStatements
// attached, in one process against one store: each alone (compare the creates/s), then
// interleaved (compare the mean latencies; %-cost is the policy's).
func BenchmarkIAMCreateUser(b *testing.B) {
	seed := `{"accounts":[{"id":"` + iamAccount + `","principals":[{"arn":"arn:aws:iam::` + iamAccount + `:user/ten","policies":[{"name":"ten","document":` + tenStatements + `}]}],
	  "accessKeys":[{"id":"AKIAPLAIN","secret":"plain-secret"},{"id":"AKIATEN","secret":"ten-secret","principal":"arn:aws:iam::` + iamAccount + `:user/ten"}]}]}`
	m := MustRunMain(b, b.TempDir(), "--init", writeSeed(b, seed))
	acct := mustChimeAccount(b, chime.New(sdkSession(b, m.URL, "AKIAPLAIN", "plain-secret")), "Bench")
	url := m.URL + "/accounts/" + *acct.AccountId + "/users?operation=create"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	keys := []struct{ name, id, secret string }{{"no-policy", "AKIAPLAIN", "plain-secret"}, {"10-statement-policy", "AKIATEN", "ten-secret"}}
	create := func(k int, seq int64, start int64) error {
		body := []byte(fmt.Sprintf(`{"Email":"%s-%d-%d@example.com"}`, keys[k].id, start, seq))
		req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		v4.NewSigner(credentials.NewStaticCredentials(keys[k].id, keys[k].secret, "")).Sign(req, bytes.NewReader(body), "chime", "us-east-1", time.Now())
		return facetest.Expect(client, req, http.StatusCreated)
	}
	for k := range keys {
		b.Run(keys[k].name, func(b *testing.B) {
			start := time.Now().UnixNano()
			facetest.BenchCreates(b, 32, func(seq int64) error { return create(k, seq, start) })
		})
	}
	// Interleaved: the two keys alternate request by request, so a machine whose load
	// changes during the run slows both alike; the mean latency of each is reported.
	b.Run("interleaved", func(b *testing.B) {
		var took [2]atomic.Int64
		start := time.Now().UnixNano()
		facetest.BenchCreates(b, 32, func(seq int64) error {
			k := int(seq % 2)
			t0 := time.Now()
			err := create(k, seq, start)
			took[k].Add(int64(time.Since(t0)))
			return err
		})
		plain, ten := float64(took[0].Load())/float64((b.N+1)/2), float64(took[1].Load())/float64(b.N/2+1)
		b.ReportMetric(plain/1e3, "µs/create-no-policy")
		b.ReportMetric(ten/1e3, "µs/create-10-statements")
		b.ReportMetric(100*(ten-plain)/plain, "%-cost")
	})
}
