package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/storetest"
)

// BenchmarkWALFrames: the WAL frames (4 KiB pages written) a commit of creates appends,
// per commit and per user, for each product's users as its Service makes them (Chime and
// Amazon Business key a user by its lower-cased email, Alexa for Business by its UserId),
// into a directory already holding ROLLCALL_BENCH_SEED users (default 20,000) with
// time-ordered IDs and random emails, in commits of 1 and of 32 creates (about what the writer
// batches at 64 clients). The checkpointer is held off, so the WAL only grows: the count
// is the same in every run, whatever the machine's load (a deterministic measure of an
// index's or a row's cost).
func BenchmarkWALFrames(b *testing.B) {
	seed := 20_000
	if v := os.Getenv("ROLLCALL_BENCH_SEED"); v != "" {
		if _, err := fmt.Sscan(v, &seed); err != nil {
			b.Fatal(err)
		}
	}
	for _, kind := range []rollcall.DirectoryKind{rollcall.DirChime, rollcall.DirAlexa, rollcall.DirBusiness} {
		for _, batch := range []int{1, 32} {
			b.Run(fmt.Sprintf("%s/batch=%d", kind, batch), func(b *testing.B) { benchWALFrames(b, kind, seed, batch, false) })
		}
	}
	// Alexa for Business creates with a ClientRequestToken, as the SDKs send: each user
	// with its idempotency record (a random token), the seed's users too; also in
	// commits of 4, about what the writer batches at 4 clients.
	for _, batch := range []int{1, 4, 32} {
		b.Run(fmt.Sprintf("%s+token/batch=%d", rollcall.DirAlexa, batch), func(b *testing.B) { benchWALFrames(b, rollcall.DirAlexa, seed, batch, true) })
	}
}

// benchWALFrames: with ROLLCALL_BENCH_WALDIR set, the database and its WAL are copied
// there at the end, to map the frames to their b-trees (the sqlite3 shell's dbstat).
func benchWALFrames(b *testing.B, kind rollcall.DirectoryKind, seed, batch int, tokens bool) {
	path := filepath.Join(b.TempDir(), "rollcall.db")
	s, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	// No RESTART while seeding: the writer's would make the TRUNCATE below busy.
	s.cp.maxFrames.Store(1 << 62)
	d := storetest.NewDirectory("frames")
	d.Kind = kind
	storetest.MustInsert(b, s, d)
	r := rand.New(rand.NewPCG(1, 2))
	n := 0
	insert := func(count int) {
		err := s.Update(context.Background(), func(tx rollcall.Tx) error {
			for range count {
				u := framesUser(d, n, r)
				if err := tx.InsertUser(u); err != nil {
					return err
				}
				if tokens {
					if err := tx.InsertIdempotency(framesRecord(u, r)); err != nil {
						return err
					}
				}
				n++
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	for n < seed {
		insert(min(10_000, seed-n))
	}
	// Hold the checkpointer off and start the WAL over: from here it only grows.
	s.cp.mu.Lock()
	defer s.cp.mu.Unlock()
	var busy, log, done int64
	if err := s.cp.c.queryRow(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &log, &done); err != nil || busy != 0 {
		b.Fatal(err, busy)
	}
	page, err := s.cp.c.queryInt(context.Background(), "PRAGMA page_size")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		insert(batch)
	}
	b.StopTimer()
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		b.Fatal(err)
	}
	frames := float64(fi.Size()-walHeaderSize) / float64(page+walFrameHeaderSize)
	b.ReportMetric(frames/float64(b.N), "frames/commit")
	b.ReportMetric(frames/float64(b.N*batch), "frames/user")
	if dir := os.Getenv("ROLLCALL_BENCH_WALDIR"); dir != "" {
		for _, suf := range []string{"", "-wal"} {
			to := filepath.Join(dir, strings.ReplaceAll(b.Name(), "/", "_")+".db"+suf)
			os.Remove(to) // of the run before, with a smaller b.N
			if err := copyFile(path+suf, to); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// framesRecord is the idempotency record of u's create with a random client token.
func framesRecord(u *rollcall.User, r *rand.Rand) *rollcall.IdempotencyRecord {
	token := fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", r.Uint32(), r.Uint32()&0xffff, r.Uint32()&0xfff, r.Uint32()&0x3fff|0x8000, r.Uint64()&(1<<48-1))
	hash := fmt.Sprintf("%016x%016x%016x%016x", r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64())
	return &rollcall.IdempotencyRecord{Scope: rollcall.IdempotencyScope("a4b", u.TenantID), Token: token, RequestHash: hash,
		ResultID: "arn:aws:a4b:us-east-1:" + u.TenantID + ":user/" + u.ID, CreatedAt: u.CreatedAt}
}

// framesUser is user i of d as d's product's Service creates it: a time-ordered
// (version 7) ID, a random email, the key its product gives it, and the status, type and
// enrollment of a new user.
func framesUser(d *rollcall.Directory, i int, r *rand.Rand) *rollcall.User {
	u := storetest.QueryBenchUser(d.ID, i, r)
	u.Kind = d.Kind
	ms := u.CreatedAt.UnixMilli() // storetest.T0 + i ms
	u.ID = fmt.Sprintf("%08x-%04x-7%03x-%04x-%012x", ms>>16, ms&0xffff, r.Uint32()&0xfff, r.Uint32()&0x3fff|0x8000, r.Uint64()&(1<<48-1))
	u.Attrs = `{"licenseType":"Pro","registrationStatus":"Unregistered"}`
	u.ProductKeys = rollcall.ProductKeys{}
	switch d.Kind {
	case rollcall.DirChime:
		u.UserType, u.Status = "PrivateUser", "Active"
	case rollcall.DirAlexa:
		u.Status, u.ProductKeys.Enrollment = "ACTIVE", "INITIALIZED"
	case rollcall.DirBusiness:
		u.Status = "Invited"
	}
	if d.Kind != rollcall.DirAlexa {
		u.Email = fmt.Sprintf("%016x@example.com", r.Uint64())
		u.Key = strings.ToLower(u.Email)
	}
	return u
}
