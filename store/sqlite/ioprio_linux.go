package sqlite

import (
	"os"
	"runtime"
	"syscall"
)

// idleIO puts the calling goroutine on an OS thread of its own, for good, and gives
// that thread the idle I/O class (ioprio_set, IOPRIO_CLASS_IDLE): the block layer
// (mq-deadline, bfq) then holds its writes back while other I/O, the writer's WAL
// writes among it, is queued or in flight. It returns the thread's id. The thread ends
// with the goroutine (it is never unlocked), so no other goroutine inherits the class.
func idleIO() (tid int, err error) {
	runtime.LockOSThread()
	tid = syscall.Gettid()
	const whoProcess, classIdle, classShift = 1, 3, 13 // linux/ioprio.h
	if _, _, e := syscall.Syscall(syscall.SYS_IOPRIO_SET, whoProcess, uintptr(tid), classIdle<<classShift); e != 0 {
		return tid, e
	}
	return tid, nil
}

// startWriteback asks the kernel to start writing the database file's dirty pages
// (sync_file_range, SYNC_FILE_RANGE_WRITE) and returns without waiting: no fsync, no
// journal commit, no cache flush. The checkpointer calls it, on its idle-class thread,
// after each PASSIVE checkpoint that copied pages: SQLite syncs the database file only
// after one during which no commit came (the WAL's end unchanged), so the pages of the
// others waited, dirty, for that fsync, which then wrote them all at once.
func startWriteback(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	const syncFileRangeWrite = 2 // linux/fs.h SYNC_FILE_RANGE_WRITE
	syscall.Syscall6(syscall.SYS_SYNC_FILE_RANGE, f.Fd(), 0, 0, syncFileRangeWrite, 0, 0)
}
