package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/atomicfile"
)

// Checkpoints copy committed pages from the WAL into the database file. SQLite runs
// them on the committing connection by default, which would stop the writer, and every
// Update waiting on it, for as long as a checkpoint takes to write and fsync. Here the
// writer's connection has wal_autocheckpoint off, and a checkpointer goroutine runs
// PASSIVE checkpoints on a connection of its own, concurrently with the writer, after
// commits.
//
// A PASSIVE checkpoint never waits for anyone, so under a steady stream of commits it
// can never catch up with the writer, and SQLite starts the WAL over only once it has.
// When the WAL passes maxWALFrames, the checkpointer asks the writer to run a RESTART
// checkpoint between two batches: it copies what is left (little: the checkpointer has
// copied the rest), waits for readers of old snapshots, and lets the next commit start
// the WAL over. journal_size_limit then truncates the file.
//
// A checkpoint writes every page it copies and fsyncs the database file: megabytes at a
// time, while the writer fsyncs its small WAL appends. Both go to one disk queue, and a
// COMMIT that waited behind a checkpoint's writes took 2-3 times as long (at 4 clients,
// 2-4% of Updates overlapped a checkpoint, and they made the p99). So the checkpointer
// runs on a thread of its own with the idle I/O class (ioprio_linux.go): the kernel
// dispatches its writes only while no WAL write is queued or in flight. Checkpoints took
// as long as before; in 6 of 7 paired runs (4 clients, shared machine) the COMMITs that
// overlapped one were faster, p50 2.0-2.8 ms before and 1.1-2.2 ms after, and the
// Updates that did, 4.2-8.0 ms before and 3.0-4.8 ms after. The scheduler still serves
// idle I/O after prio_aging_expire (10 s by default), so a disk that is never quiet
// slows checkpoints but does not stop them.

// checkpointEvery: a checkpoint copies every page changed since the last one and fsyncs
// the database file. The same index pages change in every batch, so a checkpoint every
// 250 ms copies each once where one every 20 ms copied it a dozen times (the
// checkpointer took 8% of the server's CPU under load at 20 ms).
//
// Tried and left out: a checkpoint once a second while the writer's batches average 4
// Updates or fewer (low load), every 250 ms otherwise. At 4 goroutines
// (BenchmarkUpdateLatency4, 8 interleaved pairs) 0.39-1.06% of Updates overlapped a
// checkpoint instead of 0.91-3.04%, and 8.6-17.8% of the slow ones instead of
// 16.5-29.3%, but the p99 was lower in 3 pairs, higher in 4: the slow COMMITs that
// overlapped no checkpoint (p99 2.3-15.8 ms) make the tail.
const (
	checkpointEvery = 250 * time.Millisecond // at most one PASSIVE checkpoint this often
	maxWALFrames    = 16384                  // 64 MiB of 4 KiB pages
	restartWait     = 100 * time.Millisecond // how long a RESTART waits for readers
	restartRetry    = time.Second            // and how long after a failed one the next
)

// dbChunk: the write connections grow the database file this many bytes at a time
// (SQLITE_FCNTL_CHUNK_SIZE, where the driver lets it be set: driver_cgo.go), so that a
// checkpoint's writes mostly land on blocks the file already has. Growing the file at
// each checkpoint allocated blocks, and on ext4 (data=ordered) the journal commit that
// records them waits for their data: the commit that every WAL fsync of the writer's
// needs too. Per 10,000 creates at 4 clients the file took 31-35 block allocations
// before, 4-7 after (perf, ext4:ext4_allocate_blocks; three runs each); on a machine
// at load 28-36 the wall clock showed no clear gain or loss (README, issue 12).
//
// Tried and left out: the checkpointer fdatasyncing the database file after each
// PASSIVE (SQLite syncs it only after a checkpoint that reached the end of the WAL,
// which under load a PASSIVE seldom does, so a RESTART's fsync wrote 111-311 dirty
// pages while Updates waited). RESTARTs got shorter, but the writer's COMMITs slower
// (p99 higher in 4 of 4 rounds at 4 clients) and the rate at 64 clients lower (6 of 7).
const dbChunk = 4 << 20

// chunkFor is the chunk size for a write connection on the database at path: none
// while its filesystem has less than lowSpace free (see room), where each byte counts.
func chunkFor(path string) int {
	if free := atomicfile.FreeBytes(filepath.Dir(path)); free >= 0 && free < lowSpace {
		return 0
	}
	return dbChunk
}

// walKeep is the size journal_size_limit truncates the WAL file back to when it
// starts over. It is above what the WAL reaches before its RESTART: maxWALFrames,
// and what the writer appends until the checkpointer next looks (checkpointEvery
// later) and the writer restarts it. Under that, the file was truncated after every
// RESTART and grown again by the next cycle's commits, whose fsyncs then wrote the
// new blocks' metadata as well: at 4 clients the WAL reached 16.5k-20k frames
// (68-84 MB) before each RESTART, past the 64 MiB that was the limit.
const walKeep = 128 << 20

// A WAL's file is only worth keeping (walKeep) while the disk has room to spare. Under
// a steady stream of commits the WAL grows until its RESTART (maxWALFrames), holding
// the same few pages again and again: on a small disk it filled the filesystem (an 8 MiB
// one held 5.8 MB of WAL for 0.3 MB of database). The database file could then not grow
// for the checkpoint that lets the WAL start over, and once space was freed the next
// commits grew the WAL into all of it before the checkpointer ran: the store refused
// every write, and the health check said full, until a restart.
//
// So when its filesystem has less than lowSpace free, the store watches its room (room):
// the checkpointer, after each checkpoint, and the writer, before each batch, compare the
// WAL file with the free space, and a WAL that holds more than is free above
// minFreeBytes is checkpointed and truncated (TRUNCATE, between batches, instead of
// RESTART), its space given back; and the writer refuses a batch while less than
// minFreeBytes is free, with "the database is full" (what the health check says then
// too): the WAL never takes the last MiB, which the checkpoint that gives its space back
// needs to grow the database file. Above lowSpace the writer's cost is one atomic load
// per batch, and the checkpointer's one statfs per checkpoint (at most 4 a second).
const lowSpace = walKeep

// room is the free space the checkpointer and the writer watch (see above).
type room struct {
	path     string       // the database's
	floor    atomic.Int64 // lowSpace; tests set 0 to turn the watch off
	low      atomic.Bool  // less than floor was free when last looked (or the health probe found it so)
	truncate atomic.Bool  // the next restart truncates the WAL file
}

// look measures the free space and whether the WAL file holds more than what is free
// above minFreeBytes, in which case the next restart truncates it. free is -1 when it
// cannot be told (or the watch is off).
func (r *room) look() (free int64, truncate bool) {
	floor := r.floor.Load()
	free = atomicfile.FreeBytes(filepath.Dir(r.path))
	low := free >= 0 && free < floor
	r.low.Store(low)
	if !low {
		return -1, false
	}
	if fi, err := os.Stat(r.path + "-wal"); err == nil && fi.Size() > 0 && fi.Size() > free-minFreeBytes {
		r.truncate.Store(true)
		return free, true
	}
	return free, false
}

// outOfRoom runs before each batch, with no transaction open: when space is low, it
// asks for a WAL too large to be truncated (after a batch, as any restart), or truncates
// it at once if less than minFreeBytes is free; if that is still so, it refuses the
// batch. (Only then does a restart not wait restartRetry after a failed one: a refused
// batch may wait restartWait for readers, a batch that would commit never does.)
func (w *writer) outOfRoom() error {
	if !w.room.low.Load() {
		return nil
	}
	free, truncate := w.room.look()
	if truncate {
		w.restart.Store(true)
	}
	if free >= 0 && free < minFreeBytes && truncate {
		w.nextRestart = time.Time{}
		w.restartWAL()
		free, _ = w.room.look()
	}
	if free < 0 || free >= minFreeBytes {
		return nil
	}
	return errNoRoom(filepath.Dir(w.room.path), free)
}

func errNoRoom(dir string, free int64) error {
	return &rollcall.Error{Kind: rollcall.Unavailable, Message: msgFull,
		Err: fmt.Errorf("sqlite: %s has %d bytes free, less than %d", dir, free, minFreeBytes)}
}

type checkpointer struct {
	mu        sync.Mutex    // held while checkpointing: a restore holds it while it replaces c
	c         *dbConn       // nil while a restore has closed it (or could not reopen it)
	kick      chan struct{} // the writer committed; capacity 1
	stop      chan struct{}
	stopped   chan struct{}
	restart   *atomic.Bool // set: the writer should run a RESTART checkpoint
	room      *room        // the writer's
	runs      *atomic.Int64
	maxFrames atomic.Int64 // maxWALFrames; tests lower it
	observe   func(time.Duration)
	tid       atomic.Int64 // the checkpointer's thread, once run has set its I/O class
	ioErr     error        // why the I/O class could not be set; read after tid is set
}

func (cp *checkpointer) run() {
	defer close(cp.stopped)
	tid, err := idleIO()
	cp.ioErr = err
	cp.tid.Store(int64(tid))
	ctx := context.Background()
	for {
		select {
		case <-cp.kick:
		case <-cp.stop:
			return
		}
		cp.passive(ctx)
		select {
		case <-time.After(checkpointEvery):
		case <-cp.stop:
			return
		}
	}
}

func (cp *checkpointer) passive(ctx context.Context) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	if cp.c == nil {
		return
	}
	var busy, log, done int64
	start := time.Now()
	err := cp.c.queryRow(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &log, &done)
	if cp.observe != nil {
		cp.observe(time.Since(start))
	}
	cp.runs.Add(1)
	if err == nil && log > cp.maxFrames.Load() {
		cp.restart.Store(true)
	}
	if _, truncate := cp.room.look(); truncate {
		cp.restart.Store(true)
	}
}

// kickCheckpointer tells the checkpointer there is something to copy.
func (w *writer) kickCheckpointer() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// restartWAL runs the RESTART checkpoint the checkpointer asked for, between batches
// (TRUNCATE when the WAL's space is wanted back: see room).
// It waits at most restartWait for readers of old snapshots (so a steady stream of
// Views cannot hold the writer for the whole busy timeout); if they are still there,
// it tries again restartRetry later.
func (w *writer) restartWAL() {
	if !w.restart.Load() || time.Now().Before(w.nextRestart) {
		return
	}
	ctx := context.Background()
	if err := w.setBusyTimeout(ctx, restartWait); err != nil {
		return
	}
	var busy, log, done int64
	start := time.Now()
	mode := "PRAGMA wal_checkpoint(RESTART)"
	truncate := w.room.truncate.Load()
	if truncate {
		mode = "PRAGMA wal_checkpoint(TRUNCATE)"
	}
	err := w.c.queryRow(ctx, mode).Scan(&busy, &log, &done)
	if w.hooks.Checkpoint != nil {
		w.hooks.Checkpoint(time.Since(start))
	}
	w.setBusyTimeout(ctx, w.busyTimeout)
	if err != nil || busy != 0 {
		w.nextRestart = time.Now().Add(restartRetry)
		return
	}
	w.restart.Store(false)
	if truncate {
		w.room.truncate.Store(false)
	}
	w.stats.restarts.Add(1)
}

// setBusyTimeout sets the write connection's busy timeout. The PRAGMA answers a row,
// which is read: a statement left on its row stays busy with some drivers (cgo).
func (w *writer) setBusyTimeout(ctx context.Context, d time.Duration) error {
	var ms int64
	return w.c.queryRow(ctx, "PRAGMA busy_timeout = "+strconv.FormatInt(d.Milliseconds(), 10)).Scan(&ms)
}
