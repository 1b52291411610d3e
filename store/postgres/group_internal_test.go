package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/store/storetest"
)

// statements counts what the store sends: statements by SQL text, and round trips
// (a batch or a lone statement each).
type statements struct {
	mu         sync.Mutex
	sql        map[string]int
	roundTrips atomic.Int64
}

func (c *statements) count(sql string) {
	c.mu.Lock()
	c.sql[sql]++
	c.mu.Unlock()
}

func (c *statements) of(sql string) int {
	return c.prefixed(sql)
}

// prefixed counts the statements that begin with prefix.
func (c *statements) prefixed(prefix string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for sql, k := range c.sql {
		if strings.HasPrefix(sql, prefix) {
			n += k
		}
	}
	return n
}

func (c *statements) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.roundTrips.Add(1)
	c.count(d.SQL)
	return ctx
}
func (c *statements) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c *statements) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.roundTrips.Add(1)
	return ctx
}
func (c *statements) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	c.count(d.SQL)
}
func (c *statements) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// openTraced opens a Store on dsn whose connections report to a statement counter.
func openTraced(t *testing.T, dsn string) (*Store, *statements) {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	c := &statements{sql: map[string]int{}}
	traceWith(s, c)
	return s, c
}

// TestGroupOfCreates: a group of creates in one cached directory and business group
// checks each row once (dircache.go), not once per create, and inserts its users in one
// statement and their audit events in another (tx.go, coalesce); the group, its
// statements and its COMMIT, is one round trip.
func TestGroupOfCreates(t *testing.T) {
	dsn := pgtest.FreshDB(t)
	s, c := openTraced(t, dsn+"&pool_max_conns=4")
	ctx := context.Background()
	storetest.MustInsert(t, s, storetest.NewDirectory("A"), storetest.NewGroup("A", "g1", "purchasing"))
	create := func(id string) error {
		return s.Update(ctx, func(tx rollcall.Tx) error {
			if _, err := tx.Directory("A"); err != nil {
				return err
			}
			if _, err := tx.Group("A", "g1"); err != nil {
				return err
			}
			u := storetest.NewUser("A", id, id)
			if err := tx.InsertUser(u); err != nil {
				return err
			}
			return tx.PutAuditEvent(&rollcall.AuditEvent{TenantID: u.TenantID, Time: u.CreatedAt, ID: id,
				Name: "CreateUser", Principal: "p", Record: []byte(`{"userId":"` + id + `"}`)})
		})
	}
	if err := create("warm"); err != nil { // fills the directory cache
		t.Fatal(err)
	}
	for round := range 10 { // until the Updates met in a group of more than one
		checks0, groupChecks0, st0 := c.of(checkDirectory), c.of(checkGroup), s.GroupStats()
		inserts0, events0, trips0 := c.prefixed("INSERT INTO users"), c.prefixed("INSERT INTO audit_events"), c.roundTrips.Load()
		const n = 64
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() { errs[i] = create(fmt.Sprintf("u%d-%d", round, i)) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("create %d: %v", i, err)
			}
		}
		st := s.GroupStats()
		commits, grouped, alone := st.Commits-st0.Commits, st.Committed-st0.Committed, st.Alone-st0.Alone
		if alone != 0 || grouped != n {
			t.Fatalf("round %d: %d Updates committed in groups, %d alone; want all %d in groups", round, grouped, alone, n)
		}
		checks, groupChecks := c.of(checkDirectory)-checks0, c.of(checkGroup)-groupChecks0
		inserts, events, trips := c.prefixed("INSERT INTO users")-inserts0, c.prefixed("INSERT INTO audit_events")-events0, c.roundTrips.Load()-trips0
		t.Logf("round %d: %d creates in %d groups: %d directory checks, %d group checks, %d INSERTs of users, %d of audit events, %d round trips",
			round, n, commits, checks, groupChecks, inserts, events, trips)
		for _, k := range []struct {
			what string
			n    int
		}{{"directory checks", checks}, {"business group checks", groupChecks}, {"INSERTs of users", inserts}, {"INSERTs of audit events", events}} {
			if k.n != int(commits) {
				t.Errorf("%d %s for %d group commits of creates in one directory and group, want one a group", k.n, k.what, commits)
			}
		}
		if trips != commits {
			t.Errorf("%d round trips for %d group commits, want one a group", trips, commits)
		}
		if commits < n {
			checkUsersStored(t, s, dsn, round, n)
			return
		}
	}
	t.Fatal("the Updates never met in a group")
}

// TestGroupOfTokenCreates: a group of Alexa for Business creates with client tokens
// inserts their idempotency records in one statement, as it does their users (tx.go,
// coalesce), not one statement a create; the records read back as given, and a token
// used before, or twice in one group, is still each create's Conflict alone.
func TestGroupOfTokenCreates(t *testing.T) {
	dsn := pgtest.FreshDB(t)
	s, c := openTraced(t, dsn+"&pool_max_conns=4")
	ctx := context.Background()
	storetest.MustInsert(t, s, storetest.NewDirectory("A"))
	at := time.UnixMilli(1_700_000_000_123).UTC()
	record := func(token string) *rollcall.IdempotencyRecord {
		return &rollcall.IdempotencyRecord{Scope: "a4b:T", Token: token, RequestHash: "h-" + token, ResultID: "arn-" + token, CreatedAt: at}
	}
	create := func(id, token string) error {
		return s.Update(ctx, func(tx rollcall.Tx) error {
			if _, err := tx.Directory("A"); err != nil {
				return err
			}
			if err := tx.InsertUser(storetest.NewUser("A", id, id)); err != nil {
				return err
			}
			return tx.InsertIdempotency(record(token))
		})
	}
	if err := create("warm", "t-warm"); err != nil { // fills the directory cache
		t.Fatal(err)
	}
	const n = 64
	for round := range 10 { // until the Updates met in a group of more than one
		st0, inserts0 := s.GroupStats(), c.prefixed("INSERT INTO idempotency")
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() { errs[i] = create(fmt.Sprintf("u%d-%d", round, i), fmt.Sprintf("t%d-%d", round, i)) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("create %d: %v", i, err)
			}
		}
		st := s.GroupStats()
		commits, alone := st.Commits-st0.Commits, st.Alone-st0.Alone
		inserts := c.prefixed("INSERT INTO idempotency") - inserts0
		t.Logf("round %d: %d creates in %d groups (%d alone): %d INSERTs of idempotency records", round, n, commits, alone, inserts)
		if alone != 0 || inserts != int(commits) {
			t.Fatalf("%d INSERTs of idempotency records for %d group commits (%d alone), want one a group", inserts, commits, alone)
		}
		if commits == n {
			continue
		}
		storetest.MustView(t, s, func(tx rollcall.Tx) error {
			for i := range n {
				want := record(fmt.Sprintf("t%d-%d", round, i))
				got, err := tx.Idempotency(want.Scope, want.Token)
				if err != nil {
					return err
				}
				if *got != *want {
					t.Errorf("record %s read back as %+v, want %+v", want.Token, got, want)
				}
			}
			return nil
		})
		// Tokens used before, and one token twice, beside new ones in the same groups.
		for i := range n {
			token := fmt.Sprintf("again-%d", i)
			switch i % 4 {
			case 1:
				token = fmt.Sprintf("t%d-%d", round, i)
			case 2:
				token = "twice"
			}
			wg.Go(func() { errs[i] = create(fmt.Sprintf("again%d-%d", round, i), token) })
		}
		wg.Wait()
		twice := 0
		for i, err := range errs {
			switch {
			case i%4 == 2 && err == nil:
				twice++
			case i%4 == 2 && rollcall.IsKind(err, rollcall.Conflict):
			case i%4 == 1 && !rollcall.IsKind(err, rollcall.Conflict):
				t.Errorf("create %d with a used token: %v, want Conflict", i, err)
			case i%4 != 1 && i%4 != 2 && err != nil:
				t.Errorf("create %d with a new token: %v", i, err)
			}
		}
		if twice != 1 {
			t.Errorf("%d creates with one new token committed, want 1 (the others Conflict)", twice)
		}
		return
	}
	t.Fatal("the Updates never met in a group")
}

// checkUsersStored: the users (and audit events) a multi-row INSERT stored read back as
// they were given, the users with the derived columns their keys give.
func checkUsersStored(t *testing.T, s *Store, dsn string, round, n int) {
	t.Helper()
	storetest.MustView(t, s, func(tx rollcall.Tx) error {
		for i := range n {
			id := fmt.Sprintf("u%d-%d", round, i)
			got, err := tx.User("A", id)
			if err != nil {
				return err
			}
			want := storetest.NewUser("A", id, id)
			if got.ID != want.ID || got.Key != want.Key || got.Email != want.Email || got.Username != want.Username ||
				got.TenantID != want.TenantID || got.Kind != want.Kind || got.DisplayName != want.DisplayName ||
				got.PasswordHash != want.PasswordHash || !got.CreatedAt.Equal(want.CreatedAt) ||
				!got.UpdatedAt.Equal(want.UpdatedAt) || got.ProductKeys != want.ProductKeys || !sameJSON(t, got.Attrs, want.Attrs) {
				t.Errorf("user %s read back as %+v, want %+v", id, got, want)
			}
		}
		events, err := tx.AuditEvents(rollcall.AuditFilter{TenantID: storetest.TenantID})
		if err != nil {
			return err
		}
		records := map[string]string{}
		for _, e := range events {
			records[e.ID] = string(e.Record)
		}
		for i := range n {
			id := fmt.Sprintf("u%d-%d", round, i)
			if got, want := records[id], `{"userId":"`+id+`"}`; got != want {
				t.Errorf("audit event %s's record read back as %q, want %q", id, got, want)
			}
		}
		return nil
	})
	conn := pgtest.Connect(t, dsn)
	for i := range n {
		u := storetest.NewUser("A", fmt.Sprintf("u%d-%d", round, i), fmt.Sprintf("u%d-%d", round, i))
		k := u.Keys()
		var fold, search, emailLower, enrollment string
		var limit, used int64
		var version int
		if err := conn.QueryRow(context.Background(), `SELECT full_name_fold, search, email_lower, storage_limit,
			storage_used, enrollment, keys_version FROM users WHERE id = $1`, u.ID).Scan(
			&fold, &search, &emailLower, &limit, &used, &enrollment, &version); err != nil {
			t.Fatal(err)
		}
		if fold != k.FullName || search != k.Search || emailLower != strings.ToLower(u.Email) || limit != k.StorageLimit ||
			used != k.StorageUsed || enrollment != k.Enrollment || version != rollcall.KeysVersion {
			t.Errorf("user %s's derived columns: %q %q %q %d %d %q %d, want %+v", u.ID, fold, search, emailLower,
				limit, used, enrollment, version, k)
		}
	}
}

func sameJSON(t *testing.T, a, b string) bool {
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}

// TestGroupGathersBehindGroupsInFlight: while two groups are in flight, Updates that
// come one by one gather into one group (until it has minGroup or a group in flight
// ends) instead of each being taken at once by an idle committer: a commit costs the
// server what a few creates do. (Before, these five Updates made five groups.) The wait
// is bounded by maxLinger, here a minute; TestUpdateRetriesSwallowedSerializationFailure
// has an fn whose nested Update must not wait for the fn's own group to end.
func TestGroupGathersBehindGroupsInFlight(t *testing.T) {
	s, err := Open(context.Background(), pgtest.FreshDB(t)+"&pool_max_conns=8&group_commit=4")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.lingerMax = time.Minute // the held groups' end, not the clock, ends the wait
	storetest.MustInsert(t, s, storetest.NewDirectory("A"))
	ctx := context.Background()
	before := s.GroupStats()
	hold, held := make(chan struct{}), make(chan struct{}, lingerBehind)
	var wg sync.WaitGroup
	update := func(id string, wait bool) {
		var once sync.Once
		wg.Go(func() {
			if err := s.Update(ctx, func(tx rollcall.Tx) error {
				if wait {
					once.Do(func() { held <- struct{}{} })
					<-hold
				}
				return tx.InsertUser(storetest.NewUser("A", id, id))
			}); err != nil {
				t.Errorf("%s: %v", id, err)
			}
		})
	}
	for i := range lingerBehind { // each starts a group at once: fewer are in flight
		update(fmt.Sprintf("held-%d", i), true)
		<-held // its group is in flight until hold closes
	}
	const n = 5
	for i := range n {
		update(fmt.Sprintf("u-%d", i), false)
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // the last one reaches the committers
	close(hold)
	wg.Wait()
	after := s.GroupStats()
	if commits, committed := after.Commits-before.Commits, after.Committed-before.Committed; commits != lingerBehind+1 || committed != n+lingerBehind {
		t.Errorf("%d group commits carrying %d Updates, want %d carrying %d (the held ones', and the rest together)",
			commits, committed, lingerBehind+1, n+lingerBehind)
	}
}

// commitBackends records the backend (its PID) of every batch that commits.
type commitBackends struct {
	mu   sync.Mutex
	pids map[uint32]int
}

func (c *commitBackends) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}
func (c *commitBackends) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c *commitBackends) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}
func (c *commitBackends) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}
func (c *commitBackends) TraceBatchQuery(_ context.Context, conn *pgx.Conn, d pgx.TraceBatchQueryData) {
	if d.SQL == "COMMIT" {
		c.mu.Lock()
		c.pids[conn.PgConn().PID()]++
		c.mu.Unlock()
	}
}

// TestCommittersKeepTheirConnections: the groups commit on as many backends as there
// are committers, while Views take and give back the pool's other connections at the
// same time (as the access-key lookups of 64 SigV4 clients do when their cache
// expires). Before, a committer gave its connection back after each group and took the
// most recently given back, often one a View had just used: the groups went round
// every backend of the pool.
func TestCommittersKeepTheirConnections(t *testing.T) {
	const committers = 2
	s, err := Open(context.Background(), pgtest.FreshDB(t)+"&pool_max_conns=10&group_commit="+fmt.Sprint(committers))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := &commitBackends{pids: map[uint32]int{}}
	traceWith(s, c)
	storetest.MustInsert(t, s, storetest.NewDirectory("A"))
	ctx := context.Background()
	var wg sync.WaitGroup
	for round := range 20 {
		for i := range 16 {
			wg.Go(func() {
				id := fmt.Sprintf("u%d-%d", round, i)
				if err := s.Update(ctx, func(tx rollcall.Tx) error {
					if _, err := tx.Directory("A"); err != nil {
						return err
					}
					return tx.InsertUser(storetest.NewUser("A", id, id))
				}); err != nil {
					t.Errorf("create %s: %v", id, err)
				}
			})
			wg.Go(func() {
				if err := s.View(ctx, func(tx rollcall.Tx) error {
					_, err := tx.Directory("A")
					time.Sleep(time.Millisecond) // holds its connection a while, as a View over the network does
					return err
				}); err != nil {
					t.Errorf("view: %v", err)
				}
			})
		}
		wg.Wait()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t.Logf("commits per backend PID: %v", c.pids)
	if len(c.pids) > committers {
		t.Errorf("groups committed on %d backends (commits per backend PID: %v), want at most %d, one a committer",
			len(c.pids), c.pids, committers)
	}
}
