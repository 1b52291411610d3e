package alexaforbusiness_test

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	a4b "github.com/aws/aws-sdk-go/service/alexaforbusiness"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/face/facetest"
)

// The ARN the core gives Alexa for Business users, within the page's UserArn pattern.
var userArn = regexp.MustCompile(`^arn:aws:a4b:us-east-1:000000000000:user/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// pageArnPattern is the page's UserArn pattern; Go's regexp caps a repeat at 1000, so the
// page's .{0,1023} is written as .{0,1000}.{0,23}, which matches the same strings.
var pageArnPattern = regexp.MustCompile(`^(?:arn:[a-z0-9-\.]{1,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[^/].{0,1000}.{0,23})$`)

func TestCreateUserSDK(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	req, out := client.CreateUserRequest(&a4b.CreateUserInput{
		UserId:             aws.String("ada.lovelace@example.com"),
		FirstName:          aws.String("Ada"),
		LastName:           aws.String("Lovelace-Byron"),
		Email:              aws.String("ada.lovelace@example.com"),
		ClientRequestToken: aws.String("token-0000000001"),
		Tags:               []*a4b.Tag{{Key: aws.String("team"), Value: aws.String("analytical engine")}, {Key: aws.String("empty"), Value: aws.String("")}},
	})
	if err := req.Send(); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if req.RequestID == "" {
		t.Error("no x-amzn-RequestId on the success response")
	}
	arn := aws.StringValue(out.UserArn)
	if !userArn.MatchString(arn) || !pageArnPattern.MatchString(arn) {
		t.Fatalf("UserArn = %q", arn)
	}
	users := h.MustUsers(t, rollcall.DevAccountID)
	if len(users) != 1 {
		t.Fatalf("%d users stored, want 1", len(users))
	}
	u := users[0]
	if u.Key != "ada.lovelace@example.com" || u.Email != "ada.lovelace@example.com" || u.GivenName != "Ada" ||
		u.FamilyName != "Lovelace-Byron" || u.Attrs.Arn != arn {
		t.Errorf("stored user = %+v", u)
	}
	wantTags := []alexa.Tag{{Key: "team", Value: "analytical engine"}, {Key: "empty", Value: ""}}
	if len(u.Attrs.Tags) != 2 || u.Attrs.Tags[0] != wantTags[0] || u.Attrs.Tags[1] != wantTags[1] {
		t.Errorf("stored tags = %+v, want %+v", u.Attrs.Tags, wantTags)
	}
}

func TestCreateUserSDKMinimal(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	// No ClientRequestToken: the SDK fills one in (idempotencyToken trait).
	out, err := client.CreateUser(&a4b.CreateUserInput{UserId: aws.String("u")})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if !userArn.MatchString(aws.StringValue(out.UserArn)) {
		t.Fatalf("UserArn = %q", aws.StringValue(out.UserArn))
	}
	// The same UserId again, with a new auto-filled token: in use.
	_, err = client.CreateUser(&a4b.CreateUserInput{UserId: aws.String("u")})
	var inUse *a4b.ResourceInUseException
	if !errors.As(err, &inUse) {
		t.Fatalf("second CreateUser: %v, want ResourceInUseException", err)
	}
	if inUse.Code() != a4b.ErrCodeResourceInUseException || inUse.StatusCode() != http.StatusBadRequest ||
		inUse.Message() != "A user with UserId u already exists." || inUse.RequestID() == "" {
		t.Errorf("got %s %d %q (request id %q)", inUse.Code(), inUse.StatusCode(), inUse.Message(), inUse.RequestID())
	}
	if tok := aws.StringValue(inUse.ClientRequestToken); len(tok) != 36 {
		t.Errorf("ClientRequestToken = %q, want the SDK's auto-filled UUID", tok)
	}
	if n := len(h.MustUsers(t, rollcall.DevAccountID)); n != 1 {
		t.Errorf("%d users, want 1", n)
	}
}

func TestCreateUserIdempotency(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	in := func() *a4b.CreateUserInput {
		return &a4b.CreateUserInput{UserId: aws.String("grace"), FirstName: aws.String("Grace"),
			Email: aws.String("grace@example.com"), ClientRequestToken: aws.String("retry-token-1")}
	}
	first, err := client.CreateUser(in())
	if err != nil {
		t.Fatalf("first: %v", err)
	}
	// A retry: same token, same parameters -> same ARN, nothing new.
	again := in()
	again.Tags = []*a4b.Tag{} // an empty list is the same request as no list
	second, err := client.CreateUser(again)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if aws.StringValue(first.UserArn) != aws.StringValue(second.UserArn) {
		t.Errorf("retry ARN %q != first %q", aws.StringValue(second.UserArn), aws.StringValue(first.UserArn))
	}
	// Same token, other parameters -> ResourceInUseException naming the token.
	other := in()
	other.FirstName = aws.String("Grace B.")
	_, err = client.CreateUser(other)
	var inUse *a4b.ResourceInUseException
	if !errors.As(err, &inUse) {
		t.Fatalf("mismatch: %v, want ResourceInUseException", err)
	}
	if aws.StringValue(inUse.ClientRequestToken) != "retry-token-1" || inUse.StatusCode() != 400 ||
		inUse.Message() != "The ClientRequestToken retry-token-1 was already used with different parameters." {
		t.Errorf("got %d %q token %q", inUse.StatusCode(), inUse.Message(), aws.StringValue(inUse.ClientRequestToken))
	}
	// Same token reused for another UserId: also a mismatch, nothing created.
	otherUser := in()
	otherUser.UserId = aws.String("hopper")
	if _, err = client.CreateUser(otherUser); !errors.As(err, &inUse) {
		t.Fatalf("token reused for another user: %v", err)
	}
	if n := len(h.MustUsers(t, rollcall.DevAccountID)); n != 1 {
		t.Errorf("%d users, want 1", n)
	}
}

// A token is honoured for IdempotencyRetention (24 hours by default); after that a
// request with it is new, whether or not the purge has deleted its record yet.
func TestCreateUserExpiredTokenCreatesAnew(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	scope, now := rollcall.IdempotencyScope("a4b", rollcall.DevAccountID), h.svc.Time()
	stale := func(token string, age time.Duration) *rollcall.IdempotencyRecord {
		return &rollcall.IdempotencyRecord{Scope: scope, Token: token, RequestHash: "an earlier request",
			ResultID: "arn:aws:a4b:us-east-1:000000000000:user/earlier", CreatedAt: now.Add(-age)}
	}
	if err := h.store.Update(context.Background(), func(tx rollcall.Tx) error {
		if err := tx.InsertIdempotency(stale("token-of-yesterday", 25*time.Hour)); err != nil {
			return err
		}
		return tx.InsertIdempotency(stale("token-of-this-morning", 23*time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
	in := &a4b.CreateUserInput{UserId: aws.String("grace"), ClientRequestToken: aws.String("token-of-yesterday")}
	first, err := client.CreateUser(in)
	if err != nil {
		t.Fatalf("create with an expired token: %v", err)
	}
	if !userArn.MatchString(aws.StringValue(first.UserArn)) {
		t.Fatalf("UserArn %q, want a new user's", aws.StringValue(first.UserArn))
	}
	// The token's window starts again: a retry returns the new user.
	again, err := client.CreateUser(in)
	if err != nil || aws.StringValue(again.UserArn) != aws.StringValue(first.UserArn) {
		t.Errorf("retry: %v, ARN %q, want the new %q", err, aws.StringValue(again.UserArn), aws.StringValue(first.UserArn))
	}
	// Within its window a token still stands for its first request.
	var inUse *a4b.ResourceInUseException
	_, err = client.CreateUser(&a4b.CreateUserInput{UserId: aws.String("hopper"), ClientRequestToken: aws.String("token-of-this-morning")})
	if !errors.As(err, &inUse) {
		t.Errorf("a token of 23 hours ago with other parameters: %v, want ResourceInUseException", err)
	}
	if users := h.MustUsers(t, rollcall.DevAccountID); len(users) != 1 || users[0].Key != "grace" {
		t.Errorf("%d users, want grace alone", len(users))
	}
}

// Concurrent retries with an expired token: one creates, the others answer as its retry.
func TestCreateUserExpiredTokenConcurrentRetries(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	scope := rollcall.IdempotencyScope("a4b", rollcall.DevAccountID)
	if err := h.store.Update(context.Background(), func(tx rollcall.Tx) error {
		return tx.InsertIdempotency(&rollcall.IdempotencyRecord{Scope: scope, Token: "token-of-yesterday", RequestHash: "an earlier request",
			ResultID: "arn:aws:a4b:us-east-1:000000000000:user/earlier", CreatedAt: h.svc.Time().Add(-25 * time.Hour)})
	}); err != nil {
		t.Fatal(err)
	}
	arns := make([]string, 8)
	var wg sync.WaitGroup
	for i := range arns {
		wg.Go(func() {
			out, err := client.CreateUser(&a4b.CreateUserInput{UserId: aws.String("grace"), ClientRequestToken: aws.String("token-of-yesterday")})
			if err != nil {
				t.Errorf("create %d: %v", i, err)
				return
			}
			arns[i] = aws.StringValue(out.UserArn)
		})
	}
	wg.Wait()
	for i, arn := range arns {
		if arn != arns[0] || !userArn.MatchString(arn) {
			t.Errorf("create %d answered %q, create 0 %q: want one new user's ARN", i, arn, arns[0])
		}
	}
	if n := len(h.MustUsers(t, rollcall.DevAccountID)); n != 1 {
		t.Errorf("%d users, want 1", n)
	}
}

func TestCreateUserConflictRaw(t *testing.T) {
	h := MustHarness(t)
	h.MustDo(t, `{"UserId":"dup"}`).MustOK(t)
	// Without a ClientRequestToken the error has no ClientRequestToken member.
	rp := h.MustDo(t, `{"UserId":"dup"}`)
	rp.MustError(t, 400, "ResourceInUseException", "A user with UserId dup already exists.")
	if _, ok := rp.JSON["ClientRequestToken"]; ok {
		t.Errorf("body %s has a ClientRequestToken member", rp.Body)
	}
	// With one, it is echoed.
	rp = h.MustDo(t, `{"UserId":"dup","ClientRequestToken":"abcdefghij"}`)
	rp.MustError(t, 400, "ResourceInUseException", "A user with UserId dup already exists.")
	if rp.JSON["ClientRequestToken"] != "abcdefghij" {
		t.Errorf("body %s lacks the ClientRequestToken", rp.Body)
	}
}

func TestCreateUserPerAccount(t *testing.T) {
	h := MustHarness(t)
	if _, err := h.MustClient(t, "", "").CreateUser(&a4b.CreateUserInput{UserId: aws.String("same")}); err != nil {
		t.Fatal(err)
	}
	out, err := h.MustClient(t, otherKeyID, otherSecret).CreateUser(&a4b.CreateUserInput{UserId: aws.String("same")})
	if err != nil {
		t.Fatalf("the same UserId in another account: %v", err)
	}
	if !strings.Contains(aws.StringValue(out.UserArn), ":"+otherAccountID+":user/") {
		t.Errorf("UserArn = %q, want the other account's", aws.StringValue(out.UserArn))
	}
	if len(h.MustUsers(t, otherAccountID)) != 1 || len(h.MustUsers(t, rollcall.DevAccountID)) != 1 {
		t.Error("want one user in each account")
	}
}

func TestCreateUserSDKValidationError(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	// Past the SDK's own checks (it knows min lengths, not patterns or max lengths).
	_, err := client.CreateUser(&a4b.CreateUserInput{UserId: aws.String("not valid")})
	facetest.WantSDKError(t, err, "ValidationException", http.StatusBadRequest,
		"1 validation error detected: Value 'not valid' at 'userId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9@_+.-]*")
	h.MustNoUsers(t)
}

// A create without a ClientRequestToken allocates a bounded number of times: it
// fingerprints its parameters (JSON, SHA-256, hex) only when a token can be replayed,
// and names its directory once (44 allocations before, 38 after).
func TestCreateUserAllocs(t *testing.T) {
	h := MustHarness(t)
	c := rollcall.Caller{TenantID: rollcall.DevAccountID, Region: "us-east-1"}
	n := 0
	allocs := testing.AllocsPerRun(200, func() {
		n++
		id := "allocs-" + strconv.Itoa(n)
		if _, err := h.Alexa.CreateUser(context.Background(), c, alexa.CreateUserInput{UserID: id, Email: id + "@example.com"}); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("%v allocations per create", allocs)
	const maxCreateAllocs = 40
	if allocs > maxCreateAllocs {
		t.Errorf("%v allocations per create, want at most %d", allocs, maxCreateAllocs)
	}
}

// A create with a ClientRequestToken, as every SDK sends, and a declared answer, as the
// face declares it: the replay's closure and state, the ARN's shared variable, the
// idempotency record's NotFound lookups and its argument slice are made only when
// needed (51 allocations before, 45 after, on the cgo driver at 1fbffe8).
func TestCreateUserWithTokenAllocs(t *testing.T) {
	h := MustHarness(t)
	c := rollcall.Caller{TenantID: rollcall.DevAccountID, Region: "us-east-1"}
	var declared countDeclarer
	n := 0
	allocs := testing.AllocsPerRun(200, func() {
		n++
		id := "allocs-" + strconv.Itoa(n)
		in := alexa.CreateUserInput{UserID: id, Email: id + "@example.com", ClientRequestToken: "token-" + id, Declare: &declared}
		if _, err := h.Alexa.CreateUser(context.Background(), c, in); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("%v allocations per create", allocs)
	if declared == 0 {
		t.Error("the create declared nothing")
	}
	const maxCreateAllocs = 47
	if allocs > maxCreateAllocs {
		t.Errorf("%v allocations per create, want at most %d", allocs, maxCreateAllocs)
	}
}

// countDeclarer counts the answers declared to it, allocating nothing.
type countDeclarer int

func (d *countDeclarer) Declare(string) { *d++ }

// tokenReads counts the idempotency records its Updates read.
type tokenReads struct {
	rollcall.Store
	n *atomic.Int64
}

func (s tokenReads) Update(ctx context.Context, fn func(rollcall.Tx) error) error {
	return s.Store.Update(ctx, func(tx rollcall.Tx) error { return fn(tokenReadsTx{tx, s.n}) })
}

type tokenReadsTx struct {
	rollcall.Tx
	n *atomic.Int64
}

func (tx tokenReadsTx) Idempotency(scope, token string) (*rollcall.IdempotencyRecord, error) {
	tx.n.Add(1)
	return tx.Tx.Idempotency(scope, token)
}

// A create with a ClientRequestToken (every SDK create has one) writes without reading
// its token first: the unique key refuses a used one, and only then is the record read,
// outside the write. Retries answer as before, also after the user was deleted.
func TestCreateUserWritesWithoutReadingItsToken(t *testing.T) {
	var reads atomic.Int64
	h := MustHarness(t, func(o *harnessOptions) {
		o.store = func(s rollcall.Store) rollcall.Store { return tokenReads{s, &reads} }
	})
	client := h.MustClient(t, "", "")
	in := &a4b.CreateUserInput{UserId: aws.String("ada"), Email: aws.String("ada@example.com"), ClientRequestToken: aws.String("token-ada-01")}
	first, err := client.CreateUser(in)
	if err != nil {
		t.Fatal(err)
	}
	if n := reads.Load(); n != 0 {
		t.Errorf("the create read %d idempotency records in its write, want 0", n)
	}
	if _, err := client.DeleteUser(&a4b.DeleteUserInput{UserArn: first.UserArn, EnrollmentId: aws.String(strings.Replace(aws.StringValue(first.UserArn), ":user/", ":enrollment/", 1))}); err != nil {
		t.Fatal(err)
	}
	again, err := client.CreateUser(in)
	if err != nil {
		t.Fatalf("retry after the delete: %v", err)
	}
	if aws.StringValue(again.UserArn) != aws.StringValue(first.UserArn) {
		t.Errorf("retry ARN %q, want the first %q", aws.StringValue(again.UserArn), aws.StringValue(first.UserArn))
	}
	h.MustNoUsers(t)
}
