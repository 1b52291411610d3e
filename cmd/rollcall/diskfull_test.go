package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"

	"github.com/rollcall/rollcall/internal/atomicfile"
	"github.com/rollcall/rollcall/internal/testdeps"
	"github.com/rollcall/rollcall/internal/testlog"
)

// TestAdminTokenFileOnFullDisk: a first start that cannot write the admin token's hash
// fails saying the disk is full and leaves no file; the next start, with space, makes
// and prints a token that works. (Before, it left a 0-byte file and the next start
// printed nothing and refused every token.)
func TestAdminTokenFileOnFullDisk(t *testing.T) {
	dir := testdeps.SmallFS(t, 1<<20)
	filler := testdeps.Fill(t, dir, "filler")
	_, token, err := adminTokenHash("", dir)
	if err == nil || !errors.Is(err, atomicfile.ErrNoSpace) || !strings.Contains(err.Error(), "no space left on device in "+dir+": ") {
		t.Fatalf("full disk: token %q, err %v; want no space left on device in %s", token, err, dir)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*admin-token*")); len(left) > 0 {
		t.Fatalf("a failed write left %v", left)
	}
	os.Remove(filler)
	hash, token, err := adminTokenHash("", dir)
	if err != nil || token == "" || len(hash) != 64 {
		t.Fatalf("start with space: token %q, hash %q, err %v", token, hash, err)
	}
}

// TestCorruptAdminTokenFile: an empty or edited hash file is an error at start that says
// what to do, not an admin API that refuses every token.
func TestCorruptAdminTokenFile(t *testing.T) {
	for name, content := range map[string]string{
		"empty": "", "newline only": "\n", "truncated": strings.Repeat("a", 40) + "\n",
		"not hex": strings.Repeat("z", 64), "upper case": strings.Repeat("A", 64), "a token, not its hash": "rc_admin_xyz",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, adminTokenFile), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			hash, token, err := adminTokenHash("", dir)
			if err == nil || !strings.Contains(err.Error(), "delete it") || !strings.Contains(err.Error(), "--admin-token") {
				t.Fatalf("hash %q, token %q, err %v: want an error that says what to do", hash, token, err)
			}
		})
	}
}

// TestStartOnFullDisk: a start with an existing data directory on a full disk fails
// saying so, with the free space, and leaves nothing behind that a later start trips
// over; once there is space, the same directory starts and serves.
func TestStartOnFullDisk(t *testing.T) {
	dir := testdeps.SmallFS(t, 8<<20)
	data := filepath.Join(dir, "data")
	m := MustRunMain(t, data)
	m.Close()
	before := listDir(t, data)
	filler := testdeps.Fill(t, dir, "filler")

	m2 := NewMain()
	m2.Stdout, m2.Stderr = io.Discard, &testlog.Buffer{}
	if err := m2.ParseFlags([]string{"--listen", "127.0.0.1:0", "--data-dir", data, "--admin-token", testAdminToken, "--quiet"},
		func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	err := m2.Run(context.Background())
	m2.Close()
	if err == nil || !strings.Contains(err.Error(), "no space left on device in "+data+": ") {
		t.Fatalf("start on a full disk: %v; want no space left on device in %s: N bytes free", err, data)
	}
	t.Logf("start on a full disk: %v", err)
	if after := listDir(t, data); after != before {
		t.Errorf("the failed start changed the data directory:\nbefore %s\nafter  %s", before, after)
	}
	os.Remove(filler)
	MustRunMain(t, data)
}

// listDir names the files in dir, with the size of SQLite's -wal and -shm.
func listDir(tb testing.TB, dir string) string {
	tb.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "%s ", e.Name())
		if info, err := e.Info(); err == nil && (strings.HasSuffix(e.Name(), "-shm") || strings.HasSuffix(e.Name(), "-wal")) {
			fmt.Fprintf(&b, "(%d bytes) ", info.Size())
		}
	}
	return b.String()
}

// TestFullDiskUnderLoad fills the data directory's filesystem with Amazon Business
// creates from several clients, then frees space. Required: creates refused for lack of
// space are 503 with the face's error and are not stored; health answers 503 with the
// reason while the disk is full, 200 again after; creates succeed again without a
// restart; every acknowledged create is there after a restart.
func TestFullDiskUnderLoad(t *testing.T) {
	testdeps.Slow(t, "fills a filesystem")
	dir := testdeps.SmallFS(t, 8<<20)
	ballast := filepath.Join(dir, "ballast")
	if err := os.WriteFile(ballast, make([]byte, 2<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	m := MustRunMain(t, data, "--rate-limit", "amazonbusiness.createBusinessUserAccount=off")
	health := func() (int, string) {
		resp, err := http.Get(m.URL + "/_rollcall/health")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, strings.TrimSpace(string(b))
	}

	var (
		mu       sync.Mutex
		statuses = map[string]int{} // "full 503" etc.
		acked    = map[string]bool{}
		refused  = map[string]bool{}
		phase    = "space"
		seq      atomic.Int64
		lastOK   atomic.Int64
		stop     = make(chan struct{})
		wg       sync.WaitGroup
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				email := fmt.Sprintf("user%06d@example.com", seq.Add(1))
				code, body, err := businessCreateBody(m.URL, email)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				statuses[fmt.Sprintf("%s %d", phase, code)]++
				switch {
				case code == http.StatusCreated:
					acked[email] = true
					lastOK.Store(time.Now().UnixNano())
				case code == http.StatusServiceUnavailable:
					refused[email] = true
				default:
					t.Errorf("create %s: %d %s", email, code, body)
				}
				mu.Unlock()
				if code != http.StatusCreated {
					time.Sleep(5 * time.Millisecond)
				}
			}
		}()
	}
	stopOnce := sync.OnceFunc(func() { close(stop); wg.Wait() })
	defer stopOnce()
	full := time.Now().Add(2 * time.Minute)
	for {
		mu.Lock()
		n := len(refused)
		mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(full) {
			t.Fatal("the filesystem never filled")
		}
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	phase = "full"
	mu.Unlock()
	if code, body := health(); code != http.StatusServiceUnavailable || !strings.Contains(body, "the store cannot write: the database is full") {
		t.Errorf("health on a full disk: %d %s", code, body)
	}
	time.Sleep(time.Second)
	mu.Lock()
	phase = "freed"
	mu.Unlock()
	os.Remove(ballast)
	freed := time.Now()
	for time.Unix(0, lastOK.Load()).Before(freed) {
		if time.Since(freed) > time.Minute {
			t.Fatal("no create succeeded within a minute of freeing space")
		}
		time.Sleep(time.Millisecond)
	}
	t.Logf("the first create succeeded %v after space was freed", time.Unix(0, lastOK.Load()).Sub(freed).Round(time.Millisecond))
	if code, body := health(); code != http.StatusOK {
		t.Errorf("health once space is freed: %d %s", code, body)
	}
	stopOnce()
	for k, n := range statuses {
		t.Logf("creates %-12s %d", k, n)
	}
	if len(refused) == 0 {
		t.Fatal("no create was refused")
	}

	m.Close()
	m2 := MustRunMain(t, data)
	err := m2.Store.View(context.Background(), func(tx rollcall.Tx) error {
		users, err := tx.Users(rollcall.UserFilter{DirectoryID: rollcall.DevBusinessID})
		stored := map[string]bool{}
		for _, u := range users {
			stored[u.Email] = true
		}
		for e := range acked {
			if !stored[e] {
				t.Errorf("acknowledged create %s lost", e)
			}
		}
		for e := range refused {
			if stored[e] {
				t.Errorf("create %s was answered 503, yet it is stored", e)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d creates acknowledged, all there after a restart; %d refused with 503, none stored", len(acked), len(refused))
}

// businessCreateBody creates an Amazon Business user with the dev access token.
func businessCreateBody(url, email string) (int, string, error) {
	body := `{"accountHolder":{"email":"` + email + `","givenName":"Ada","familyName":"Lovelace"},"region":"US"}`
	req, _ := http.NewRequest("POST", url+"/businessAccounts/2021-08-30/businessUserAccount", strings.NewReader(body))
	req.Header.Set("x-amz-access-token", rollcall.DevAccessToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}
