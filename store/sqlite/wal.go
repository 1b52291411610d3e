package sqlite

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// A COMMIT that fails may still have committed. In WAL mode SQLite commits by appending
// the transaction's frames to the -wal file, the last one marked as a commit, fsyncing
// them, and only then indexing them in the -shm (the wal-index) and publishing the new
// end of the log there. If a step after the commit frame reached the file fails (the
// -shm cannot grow on a full disk: SQLITE_IOERR_SHMSIZE; an fsync fails after the
// write), COMMIT returns an error and this process does not see the transaction, but
// the frames are in the file, and the recovery that the next start (after a crash, or a
// close that could not checkpoint) runs replays them. The caller would have been told
// "failed" for a write that is there after all.
//
// So after a failed COMMIT the writer settles the outcome before it answers (settle):
//
//   - if the wal-index moved on during the COMMIT, the transaction was published: it
//     committed, and the batch is answered as if COMMIT had returned nil;
//   - else it reads the -wal file as recovery would (salts, then the running checksum of
//     every frame, up to the last valid commit frame). If nothing valid follows the
//     published end of the log, nothing of the transaction can come back: it failed;
//   - if a valid commit frame follows it, the writer invalidates the first frame after
//     the published end (it zeroes the frame's salt, in place: no new space is needed)
//     and fsyncs the file. Recovery stops at the first invalid frame, so the transaction
//     is now certain never to come back: it failed. (The next transaction overwrites
//     those frames anyway; this makes the crash before that harmless.)
//   - if the files cannot be read or written for this, the outcome is unknown: the store
//     refuses every later write (one could overwrite the frames, or not), and the batch
//     is answered with an error that says the outcome is unknown.

// walHeaderSize and walFrameHeaderSize are fixed by SQLite's file format.
const (
	walHeaderSize      = 32
	walFrameHeaderSize = 24
	walMagicLE         = 0x377f0682
	walMagicBE         = 0x377f0683
	walVersion         = 3007000
)

// walIndex is the part of the wal-index header (the first 48 bytes of the -shm, in the
// machine's byte order) that says what the process's connections see.
type walIndex struct {
	mxFrame uint32  // the last frame of the last published commit
	salt    [8]byte // the -wal header's salts when the log was (re)started
}

// shmFile is the -shm file, opened once for reading the wal-index header before every
// COMMIT, and closed only after SQLite's connections: closing any descriptor of a file
// drops every POSIX lock the process holds on it, SQLite's included (SQLite keeps the
// file while a connection is open, so the handle stays good).
type shmFile struct {
	path string // the database's
	f    *os.File
}

func (sf *shmFile) close() {
	if sf.f != nil {
		sf.f.Close()
		sf.f = nil
	}
}

// readWALIndex reads the first copy of the wal-index header.
func (sf *shmFile) readWALIndex() (walIndex, error) {
	if sf.f == nil {
		f, err := os.Open(sf.path + "-shm")
		if err != nil {
			return walIndex{}, err
		}
		sf.f = f
	}
	var b [48]byte
	if _, err := sf.f.ReadAt(b[:], 0); err != nil {
		return walIndex{}, err
	}
	var ix walIndex
	ix.mxFrame = binary.NativeEndian.Uint32(b[16:])
	copy(ix.salt[:], b[32:40])
	return ix, nil
}

// walRecovered is what SQLite's recovery would make of the -wal file: the last frame of
// the last valid commit (0: none), and the salts of the file's header.
type walRecovered struct {
	mxFrame  uint32
	salt     [8]byte
	pageSize int64
}

// recoverWAL reads the -wal file as walIndexRecover does. A missing, short or invalid
// file recovers nothing.
func recoverWAL(path string) (walRecovered, error) {
	f, err := os.Open(path + "-wal")
	if errors.Is(err, os.ErrNotExist) {
		return walRecovered{}, nil
	}
	if err != nil {
		return walRecovered{}, err
	}
	defer f.Close()
	var rec walRecovered
	hdr := make([]byte, walHeaderSize)
	if _, err := io.ReadFull(f, hdr); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return rec, nil
		}
		return rec, err
	}
	magic := binary.BigEndian.Uint32(hdr)
	pageSize := int64(binary.BigEndian.Uint32(hdr[8:]))
	if (magic != walMagicLE && magic != walMagicBE) || binary.BigEndian.Uint32(hdr[4:]) != walVersion ||
		pageSize < 512 || pageSize > 65536 || pageSize&(pageSize-1) != 0 {
		return rec, nil
	}
	order := binary.ByteOrder(binary.LittleEndian)
	if magic&1 == 1 {
		order = binary.BigEndian
	}
	s1, s2 := walChecksum(order, hdr[:24], 0, 0)
	if s1 != binary.BigEndian.Uint32(hdr[24:]) || s2 != binary.BigEndian.Uint32(hdr[28:]) {
		return rec, nil
	}
	copy(rec.salt[:], hdr[16:24])
	rec.pageSize = pageSize
	frame := make([]byte, walFrameHeaderSize+pageSize)
	for n := uint32(1); ; n++ {
		if _, err := io.ReadFull(f, frame); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return rec, nil
			}
			return rec, err
		}
		if binary.BigEndian.Uint32(frame) == 0 || string(frame[8:16]) != string(rec.salt[:]) {
			return rec, nil
		}
		s1, s2 = walChecksum(order, frame[:8], s1, s2)
		s1, s2 = walChecksum(order, frame[walFrameHeaderSize:], s1, s2)
		if s1 != binary.BigEndian.Uint32(frame[16:]) || s2 != binary.BigEndian.Uint32(frame[20:]) {
			return rec, nil
		}
		if binary.BigEndian.Uint32(frame[4:]) != 0 { // a commit frame
			rec.mxFrame = n
		}
	}
}

// walChecksum is SQLite's WAL checksum (walChecksumBytes): pairs of 32-bit words in the
// byte order the header's magic says.
func walChecksum(order binary.ByteOrder, b []byte, s1, s2 uint32) (uint32, uint32) {
	for i := 0; i+8 <= len(b); i += 8 {
		s1 += order.Uint32(b[i:]) + s2
		s2 += order.Uint32(b[i+4:]) + s1
	}
	return s1, s2
}

// invalidateFrame zeroes the salts of frame n (1-based) of the -wal file and fsyncs it,
// so that recovery stops before it.
func invalidateFrame(path string, pageSize int64, n uint32) error {
	f, err := os.OpenFile(path+"-wal", os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	off := walHeaderSize + int64(n-1)*(walFrameHeaderSize+pageSize) + 8
	_, err = f.WriteAt(make([]byte, 8), off)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// commitOutcome is what settle found out about a COMMIT that returned an error.
type commitOutcome int

const (
	commitFailed    commitOutcome = iota // nothing of it is there, now or after recovery
	commitPublished                      // it committed, and the process sees it
	commitUnknown                        // it could not be told
)

// settle decides the outcome of a COMMIT that failed, before which the wal-index was
// before (see the comment at the top of this file).
func settle(sf *shmFile, before walIndex) (commitOutcome, error) {
	path := sf.path
	now, err := sf.readWALIndex()
	if err != nil {
		return commitUnknown, fmt.Errorf("read the wal-index: %w", err)
	}
	if now != before && now.mxFrame != 0 {
		return commitPublished, nil // (a log started over, with nothing published, is mxFrame 0)
	}
	rec, err := recoverWAL(path)
	if err != nil {
		return commitUnknown, fmt.Errorf("read the WAL: %w", err)
	}
	// Frames with other salts than the published log's are of an earlier log, which
	// SQLite starts over only once it is all in the database file: replaying them
	// changes nothing.
	base := now.mxFrame
	if rec.salt != now.salt || rec.mxFrame <= base {
		return commitFailed, nil
	}
	if err := invalidateFrame(path, rec.pageSize, base+1); err != nil {
		return commitUnknown, fmt.Errorf("invalidate WAL frame %d: %w", base+1, err)
	}
	if again, err := recoverWAL(path); err != nil || again.mxFrame > base {
		return commitUnknown, fmt.Errorf("WAL frame %d still valid after invalidation (recovered to frame %d): %v", base+1, again.mxFrame, err)
	}
	return commitFailed, nil
}
