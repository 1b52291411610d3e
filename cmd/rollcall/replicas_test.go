package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/alexaforbusiness"
	"github.com/aws/aws-sdk-go/service/chime"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/testlog"
	"github.com/rollcall/rollcall/mail/mailtest"
	"github.com/rollcall/rollcall/store/postgres"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/store/storetest"
)

// buildRollcall builds this command once into a temporary directory.
func buildRollcall(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "rollcall")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// replica is one rollcall process.
type replica struct {
	name   string
	URL    string
	cmd    *exec.Cmd
	log    *testlog.Buffer
	exited chan struct{}
	sess   *session.Session
}

// startReplica starts `rollcall serve` on a free loopback port against dsn and waits
// until it listens. It is stopped (SIGTERM, then SIGKILL) when the test ends.
func startReplica(tb testing.TB, bin, name, dsn string, args ...string) (*replica, error) {
	base := []string{"serve", "--listen", "127.0.0.1:0", "--store", dsn, "--data-dir", tb.TempDir(),
		"--admin-token", testAdminToken, "--quiet", "--log-format", "json", "--log-level", "info",
		"--argon2-memory", "1024", "--argon2-time", "1"}
	cmd := exec.Command(bin, append(base, args...)...)
	for _, kv := range os.Environ() { // the test's ROLLCALL_* must not configure the replica
		if !strings.HasPrefix(kv, "ROLLCALL_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	r := &replica{name: name, cmd: cmd, log: &testlog.Buffer{}, exited: make(chan struct{})}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			r.log.Write(append(line, '\n'))
			var l struct{ Msg, URL string }
			if json.Unmarshal(line, &l) == nil && l.Msg == "listening" && l.URL != "" {
				select {
				case urls <- l.URL:
				default:
				}
			}
		}
		cmd.Wait()
		close(r.exited)
	}()
	tb.Cleanup(func() { r.stop(tb) })
	select {
	case r.URL = <-urls:
	case <-r.exited:
		return nil, fmt.Errorf("%s exited before it listened:\n%s", name, r.log.String())
	case <-time.After(2 * time.Minute):
		return nil, fmt.Errorf("%s does not listen after 2 minutes:\n%s", name, r.log.String())
	}
	r.sess = sdkSession(tb, r.URL, "test", "test")
	return r, nil
}

func (r *replica) stop(tb testing.TB) {
	select {
	case <-r.exited:
		return
	default:
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.exited:
	case <-time.After(15 * time.Second):
		tb.Errorf("%s did not stop on SIGTERM", r.name)
		r.cmd.Process.Kill()
		<-r.exited
	}
	assertNoSecrets(tb, r.log.String())
}

// startReplicas starts n replicas on dsn at once, as a deployment does: they race for
// the migration lock and for the page token key.
func startReplicas(t *testing.T, bin, dsn string, n int, args ...string) []*replica {
	t.Helper()
	rs := make([]*replica, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { rs[i], errs[i] = startReplica(t, bin, fmt.Sprintf("replica %d", i), dsn, args...) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return rs
}

// atOnce runs fn for each replica in its own goroutine, released together.
func atOnce[T any](rs []*replica, fn func(r *replica) T) []T {
	return storetest.AtOnce(len(rs), func(i int) T { return fn(rs[i]) })
}

// oneWinner checks that exactly one error of a race is nil and every other one is
// the face's conflict, named by code.
func oneWinner(t *testing.T, what string, codes []string, conflict string) {
	t.Helper()
	wins := 0
	for _, c := range codes {
		switch c {
		case "":
			wins++
		case conflict:
		default:
			t.Errorf("%s: a loser got %q, want %s", what, c, conflict)
		}
	}
	if wins != 1 {
		t.Errorf("%s: %d winners (%q), want exactly 1", what, wins, codes)
	}
}

func replicaBusinessCreate(r *replica, email string) (int, string, error) {
	resp, err := http.DefaultClient.Do(businessCreateRequest(r.URL, rollcall.DevAccessToken, holderBody(email)))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var b strings.Builder
	bufio.NewReader(resp.Body).WriteTo(&b)
	return resp.StatusCode, b.String(), nil
}

// TestReplicas runs three rollcall processes on one PostgreSQL database and drives
// them with the official clients: the uniqueness races, A4B idempotency across
// replicas, pagination tokens across replicas, then one replica killed mid-load.
func TestReplicas(t *testing.T) {
	dsn := pgtest.FreshDB(t)
	bin := buildRollcall(t)
	relay := mailtest.Start(t, mailtest.Options{})
	rs := startReplicas(t, bin, dsn, 3, "--rate-limit", "amazonbusiness.createBusinessUserAccount=off",
		"--smtp-url", relay.URL())

	acct := mustChimeAccount(t, chime.New(rs[0].sess), "Replicas")
	accountID := aws.StringValue(acct.AccountId)
	const rounds = 6

	// Each face's unique value, created by every replica at once: one wins, the others
	// answer the face's conflict.
	for _, c := range []struct {
		name, key string // key is a format of the round
		create    func(r *replica, key string) string
		conflict  string
	}{
		{"UniqueChimeEmail", "race-%d@example.com", func(r *replica, email string) string {
			_, err := chime.New(r.sess).CreateUser(&chime.CreateUserInput{AccountId: aws.String(accountID), Email: aws.String(email)})
			return awsCodeOrErr(err)
		}, chime.ErrCodeConflictException},
		{"UniqueA4BUserId", "race-%d", func(r *replica, id string) string {
			_, err := alexaforbusiness.New(r.sess).CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String(id)})
			return awsCodeOrErr(err)
		}, alexaforbusiness.ErrCodeResourceInUseException},
		{"UniqueWorkDocsUsername", "race%d", func(r *replica, name string) string {
			_, err := workdocs.New(r.sess).CreateUser(&workdocs.CreateUserInput{
				OrganizationId: aws.String(rollcall.DevOrganizationID), Username: aws.String(name),
				GivenName: aws.String("Ada"), Surname: aws.String("Lovelace"), Password: aws.String("correct-horse-1")})
			return awsCodeOrErr(err)
		}, workdocs.ErrCodeEntityAlreadyExistsException},
		{"UniqueBusinessEmail", "race-%d@example.com", func(r *replica, email string) string {
			status, body, err := replicaBusinessCreate(r, email)
			switch {
			case err != nil:
				return err.Error()
			case status == http.StatusCreated:
				return ""
			case status == http.StatusBadRequest && strings.Contains(body, `"code":"INVALID_REQUEST_PARAMETER"`):
				return "INVALID_REQUEST_PARAMETER"
			}
			return fmt.Sprintf("%d %s", status, body)
		}, "INVALID_REQUEST_PARAMETER"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for i := range rounds {
				key := fmt.Sprintf(c.key, i)
				oneWinner(t, key, atOnce(rs, func(r *replica) string { return c.create(r, key) }), c.conflict)
			}
		})
	}

	t.Run("A4BIdempotency", func(t *testing.T) {
		in := &alexaforbusiness.CreateUserInput{UserId: aws.String("idem"), FirstName: aws.String("Ada"),
			ClientRequestToken: aws.String("token-replicas-0001")}
		first, err := alexaforbusiness.New(rs[0].sess).CreateUser(in)
		if err != nil {
			t.Fatalf("CreateUser on replica 0: %v", err)
		}
		for _, r := range rs[1:] {
			again, err := alexaforbusiness.New(r.sess).CreateUser(in)
			if err != nil || aws.StringValue(again.UserArn) != aws.StringValue(first.UserArn) {
				t.Fatalf("retry on %s: %v, %v; want UserArn %s", r.name, again, err, aws.StringValue(first.UserArn))
			}
		}
		// The same token with other parameters is refused on every replica.
		other := *in
		other.FirstName = aws.String("Grace")
		for _, r := range rs {
			if _, err := alexaforbusiness.New(r.sess).CreateUser(&other); awsCode(err) != alexaforbusiness.ErrCodeResourceInUseException {
				t.Errorf("token reused with other parameters on %s: %v", r.name, err)
			}
		}
		// Retries racing on all three replicas at once: one user, one ARN.
		for i := range rounds {
			in := &alexaforbusiness.CreateUserInput{UserId: aws.String(fmt.Sprintf("idem-%d", i)),
				ClientRequestToken: aws.String(fmt.Sprintf("token-replicas-race-%d", i))}
			arns := atOnce(rs, func(r *replica) string {
				out, err := alexaforbusiness.New(r.sess).CreateUser(in)
				if err != nil {
					return "error: " + err.Error()
				}
				return aws.StringValue(out.UserArn)
			})
			if arns[0] != arns[1] || arns[1] != arns[2] || strings.HasPrefix(arns[0], "error") {
				t.Errorf("racing retries of token %s: %q, want one ARN three times", aws.StringValue(in.ClientRequestToken), arns)
			}
		}
	})

	t.Run("Pagination", func(t *testing.T) {
		want := map[string]bool{accountID: true}
		for i := range 11 {
			a, err := chime.New(rs[i%3].sess).CreateAccount(&chime.CreateAccountInput{Name: aws.String(fmt.Sprintf("page-%02d", i))})
			if err != nil {
				t.Fatal(err)
			}
			want[aws.StringValue(a.Account.AccountId)] = true
		}
		got := map[string]bool{}
		var token *string
		for page := 0; ; page++ {
			if page > 20 {
				t.Fatal("ListAccounts does not end")
			}
			r := rs[page%3] // every page on another replica than the one that minted its token
			out, err := chime.New(r.sess).ListAccounts(&chime.ListAccountsInput{MaxResults: aws.Int64(3), NextToken: token})
			if err != nil {
				t.Fatalf("ListAccounts page %d on %s: %v", page, r.name, err)
			}
			for _, a := range out.Accounts {
				id := aws.StringValue(a.AccountId)
				if got[id] {
					t.Fatalf("account %s listed twice", id)
				}
				got[id] = true
			}
			if token = out.NextToken; token == nil {
				break
			}
		}
		if len(got) != len(want) {
			t.Fatalf("paged ListAccounts saw %d accounts, want %d", len(got), len(want))
		}
		for id := range want {
			if !got[id] {
				t.Fatalf("account %s missing from the pages", id)
			}
		}

		// ListUsers of the race account: the users created above, 2 a page.
		users := 0
		token = nil
		for page := 0; ; page++ {
			if page > 20 {
				t.Fatal("ListUsers does not end")
			}
			out, err := chime.New(rs[(page+1)%3].sess).ListUsers(&chime.ListUsersInput{AccountId: aws.String(accountID),
				MaxResults: aws.Int64(2), NextToken: token})
			if err != nil {
				t.Fatalf("ListUsers page %d: %v", page, err)
			}
			users += len(out.Users)
			if token = out.NextToken; token == nil {
				break
			}
		}
		if users != rounds {
			t.Fatalf("paged ListUsers saw %d users, want %d", users, rounds)
		}
	})

	t.Run("Outbox", func(t *testing.T) { testOutbox(t, rs, dsn, relay) })
	t.Run("KillMidLoad", func(t *testing.T) { testKillMidLoad(t, rs, dsn, accountID) })
}

// testOutbox: invitations queued through every replica are delivered once each,
// though all three replicas' dispatchers claim from the one outbox.
func testOutbox(t *testing.T, rs []*replica, dsn string, relay *mailtest.Relay) {
	const perReplica = 20
	codes := atOnce(rs, func(r *replica) string {
		for i := range perReplica {
			status, body, err := replicaBusinessCreate(r, fmt.Sprintf("invitee-%s-%d@example.com", strings.ReplaceAll(r.name, " ", ""), i))
			if err != nil || status != http.StatusCreated {
				return fmt.Sprintf("%s: %d %s %v", r.name, status, body, err)
			}
		}
		return ""
	})
	for _, c := range codes {
		if c != "" {
			t.Fatal(c)
		}
	}
	s, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	queued := func() (all, sent int) {
		err := s.View(context.Background(), func(tx rollcall.Tx) error {
			ms, err := tx.Messages(rollcall.MessageFilter{})
			for _, m := range ms {
				if m.Status == rollcall.MessageSent {
					sent++
				}
			}
			all = len(ms)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return all, sent
	}
	all, _ := queued() // the winners of the Amazon Business race queued theirs too
	if all < perReplica*len(rs) {
		t.Fatalf("%d messages queued, want at least %d", all, perReplica*len(rs))
	}
	got := relay.Wait(t, all, time.Minute)
	perID := mailtest.ByMessageID(t, got)
	for id, n := range perID {
		if n != 1 {
			t.Errorf("message %s delivered %d times", id, n)
		}
	}
	if len(perID) != all {
		t.Fatalf("%d distinct messages delivered, %d queued", len(perID), all)
	}
	// Each was recorded as sent by the replica that sent it (right after the relay
	// took it: wait for the last records, bounded).
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		_, sent := queued()
		if sent == all {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d delivered messages recorded as sent", sent, all)
		}
	}
}

func awsCodeOrErr(err error) string {
	if err == nil {
		return ""
	}
	if c := awsCode(err); c != "" {
		return c
	}
	return err.Error()
}

// testKillMidLoad sends Chime CreateUsers round-robin to the replicas from many
// clients, SIGKILLs the last replica once a third of the load is acknowledged, and
// moves its clients to the next replica, as a load balancer does. Every create that
// got a 2xx is in the database afterwards, and the two others keep serving.
func testKillMidLoad(t *testing.T, rs []*replica, dsn, accountID string) {
	const (
		clients = 12
		total   = 900
		killAt  = total / 3
	)
	victim := rs[len(rs)-1]
	var (
		next, acked  atomic.Int64
		killed       atomic.Bool
		mu           sync.Mutex
		ackedEmails  []string
		ackedAfter   = map[string]int{}
		failedOthers []error
	)
	killOnce := sync.Once{}
	deadline := time.Now().Add(3 * time.Minute)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			clientsOf := make([]*chime.Chime, len(rs))
			for i, r := range rs {
				clientsOf[i] = chime.New(r.sess)
			}
			for time.Now().Before(deadline) {
				n := next.Add(1)
				if n > total {
					return
				}
				i := int(n+int64(c)) % len(rs)
				if killed.Load() && rs[i] == victim {
					i = (i + 1) % len(rs) // the load balancer took the dead replica out
				}
				email := fmt.Sprintf("load-%04d@example.com", n)
				_, err := clientsOf[i].CreateUser(&chime.CreateUserInput{AccountId: aws.String(accountID), Email: aws.String(email)})
				mu.Lock()
				switch {
				case err == nil:
					ackedEmails = append(ackedEmails, email)
					if killed.Load() {
						ackedAfter[rs[i].name]++
					}
				case rs[i] != victim:
					failedOthers = append(failedOthers, fmt.Errorf("%s: %s: %w", rs[i].name, email, err))
				}
				mu.Unlock()
				if err == nil && acked.Add(1) == killAt {
					killOnce.Do(func() {
						victim.cmd.Process.Signal(syscall.SIGKILL)
						killed.Store(true)
					})
				}
			}
		})
	}
	wg.Wait()
	if !killed.Load() {
		t.Fatalf("the load ended before the kill: %d acknowledged", acked.Load())
	}
	select {
	case <-victim.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("the killed replica is still running")
	}
	if ws, ok := victim.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the victim ended with %v, want SIGKILL", victim.cmd.ProcessState)
	}
	for _, err := range failedOthers {
		t.Errorf("a surviving replica failed a create: %v", err)
	}
	for _, r := range rs[:len(rs)-1] {
		if ackedAfter[r.name] == 0 {
			t.Errorf("%s acknowledged no create after the kill", r.name)
		}
	}

	// Every acknowledged create is in the database...
	s, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stored := map[string]bool{}
	err = s.View(context.Background(), func(tx rollcall.Tx) error {
		users, err := tx.Users(rollcall.UserQuery{DirectoryID: accountID})
		for _, u := range users {
			stored[u.Email] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	lost := 0
	for _, e := range ackedEmails {
		if !stored[e] {
			lost++
			t.Errorf("acknowledged create of %s is lost", e)
		}
	}
	t.Logf("%d creates acknowledged (%d after the kill: %v), %d users stored, %d lost", len(ackedEmails),
		ackedAfter[rs[0].name]+ackedAfter[rs[1].name], ackedAfter, len(stored), lost)
	// ...and the survivors see them and keep serving.
	for _, r := range rs[:len(rs)-1] {
		out, err := chime.New(r.sess).ListUsers(&chime.ListUsersInput{AccountId: aws.String(accountID), MaxResults: aws.Int64(1),
			UserEmail: aws.String(ackedEmails[0])})
		if err != nil || len(out.Users) != 1 {
			t.Errorf("%s after the kill: ListUsers %v, %v", r.name, out, err)
		}
		if _, err := chime.New(r.sess).CreateUser(&chime.CreateUserInput{AccountId: aws.String(accountID),
			Email: aws.String("after-" + strings.ReplaceAll(r.name, " ", "") + "@example.com")}); err != nil {
			t.Errorf("%s after the kill: CreateUser: %v", r.name, err)
		}
	}
	if _, err := chime.New(victim.sess).GetAccount(&chime.GetAccountInput{AccountId: aws.String(accountID)}); err == nil || !isConnErr(err) {
		t.Errorf("the killed replica still answers: %v", err)
	}
}

func isConnErr(err error) bool {
	return awsCode(err) == "RequestError" || errors.Is(err, syscall.ECONNREFUSED)
}

// TestPageTokenKeyShared: the key that seals pagination tokens lives in the store, so
// two Mains on one database have the same one, and a SQLite restart keeps it.
func TestPageTokenKeyShared(t *testing.T) {
	dsn := pgtest.FreshDB(t)
	a := MustRunMain(t, t.TempDir(), "--store", dsn)
	b := MustRunMain(t, t.TempDir(), "--store", dsn)
	if len(a.PageTokenKey) != 32 || string(a.PageTokenKey) != string(b.PageTokenKey) {
		t.Fatalf("two replicas of one database have keys %x and %x, want one 32-byte key", a.PageTokenKey, b.PageTokenKey)
	}
	dir := t.TempDir()
	m := MustRunMain(t, dir)
	first := string(m.PageTokenKey)
	m.Close()
	if m = MustRunMain(t, dir); string(m.PageTokenKey) != first {
		t.Fatal("the page token key changed across a restart")
	}
	if first == string(a.PageTokenKey) {
		t.Fatal("two databases have the same page token key")
	}
}

// TestRateLimitsPerReplica shows what the README says: rate limits are kept in each
// replica's memory, so each replica allows its own burst. Amazon Business's documented
// burst of 5 is spent on one replica; the second replica, on the same database and
// for the same tenant, still allows 5 more, then throttles too.
func TestRateLimitsPerReplica(t *testing.T) {
	dsn := pgtest.FreshDB(t)
	// The documented burst, refilled slowly enough that a slow machine cannot refill it
	// mid-test.
	limit := []string{"--store", dsn, "--rate-limit", "amazonbusiness.createBusinessUserAccount=0.001/5"}
	replicas := []*testMain{MustRunMain(t, t.TempDir(), limit...), MustRunMain(t, t.TempDir(), limit...)}
	for i, m := range replicas {
		for j := range 5 {
			resp, body := createBusinessUser(t, m, fmt.Sprintf("r%d-%d@example.com", i, j))
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("replica %d, request %d of its burst: %d %s", i, j+1, resp.StatusCode, body)
			}
		}
		resp, body := createBusinessUser(t, m, fmt.Sprintf("r%d-over@example.com", i))
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("replica %d, request 6: %d %s, want 429 once its own burst is spent", i, resp.StatusCode, body)
		}
	}
}
