package main

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/client"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/chime"
	"github.com/aws/aws-sdk-go/service/workdocs"
)

// The official aws-sdk-go v1 sessions the tests call rollcall with: all in us-east-1,
// and, but for retryingSession, with no retries, so each call is one request.

// newSDKSession returns a session on rollcall at url with creds and cfg's settings.
func newSDKSession(tb testing.TB, url string, creds *credentials.Credentials, cfg *aws.Config) *session.Session {
	tb.Helper()
	sess, err := session.NewSession(cfg.WithEndpoint(url).WithRegion("us-east-1").WithCredentials(creds))
	if err != nil {
		tb.Fatal(err)
	}
	return sess
}

// sdkSession returns a session with an access key.
func sdkSession(tb testing.TB, url, key, secret string) *session.Session {
	tb.Helper()
	return tempSession(tb, url, key, secret, "")
}

// tempSession returns a session with temporary credentials: an access key and a session
// token, as the admin API issues them.
func tempSession(tb testing.TB, url, key, secret, token string) *session.Session {
	tb.Helper()
	return newSDKSession(tb, url, credentials.NewStaticCredentials(key, secret, token), aws.NewConfig().WithMaxRetries(0))
}

// retryingSession is a session with the dev key that retries as the SDK does by default
// (its DefaultRetryer, 3 retries), with short waits so that the tests are quick.
func retryingSession(tb testing.TB, url string) *session.Session {
	tb.Helper()
	return newSDKSession(tb, url, credentials.NewStaticCredentials("test", "test", ""), &aws.Config{
		Retryer: client.DefaultRetryer{NumMaxRetries: 3, MinRetryDelay: 5 * time.Millisecond, MaxRetryDelay: 20 * time.Millisecond,
			MinThrottleDelay: 5 * time.Millisecond, MaxThrottleDelay: 20 * time.Millisecond},
	})
}

// tokenClient is a WorkDocs client that authenticates with Authentication tokens only.
func tokenClient(tb testing.TB, url string) *workdocs.WorkDocs {
	tb.Helper()
	return workdocs.New(newSDKSession(tb, url, credentials.AnonymousCredentials, aws.NewConfig().WithMaxRetries(0)))
}

// devChime is a Chime client of m with the dev key.
func devChime(tb testing.TB, m *testMain) *chime.Chime {
	tb.Helper()
	return chime.New(sdkSession(tb, m.URL, "test", "test"))
}

// mustChimeAccount creates a Chime account named name through ch.
func mustChimeAccount(tb testing.TB, ch *chime.Chime, name string) *chime.Account {
	tb.Helper()
	out, err := ch.CreateAccount(&chime.CreateAccountInput{Name: aws.String(name)})
	if err != nil {
		tb.Fatalf("CreateAccount %s: %v", name, err)
	}
	return out.Account
}
