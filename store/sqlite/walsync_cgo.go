//go:build cgo && linux

package sqlite

/*
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// SQLite's public VFS types (sqlite3.h), which mattn/go-sqlite3 does not export to
// other packages; the library itself is linked in from it.
typedef long long sqlite3_int64;
typedef struct sqlite3_file sqlite3_file;
typedef struct sqlite3_io_methods sqlite3_io_methods;
typedef struct sqlite3_vfs sqlite3_vfs;
typedef void (*sqlite3_syscall_ptr)(void);
struct sqlite3_file { const sqlite3_io_methods *pMethods; };
struct sqlite3_io_methods {
  int iVersion;
  int (*xClose)(sqlite3_file*);
  int (*xRead)(sqlite3_file*, void*, int, sqlite3_int64);
  int (*xWrite)(sqlite3_file*, const void*, int, sqlite3_int64);
  int (*xTruncate)(sqlite3_file*, sqlite3_int64);
  int (*xSync)(sqlite3_file*, int);
  int (*xFileSize)(sqlite3_file*, sqlite3_int64*);
  int (*xLock)(sqlite3_file*, int);
  int (*xUnlock)(sqlite3_file*, int);
  int (*xCheckReservedLock)(sqlite3_file*, int*);
  int (*xFileControl)(sqlite3_file*, int, void*);
  int (*xSectorSize)(sqlite3_file*);
  int (*xDeviceCharacteristics)(sqlite3_file*);
  int (*xShmMap)(sqlite3_file*, int, int, int, void volatile**);
  int (*xShmLock)(sqlite3_file*, int, int, int);
  void (*xShmBarrier)(sqlite3_file*);
  int (*xShmUnmap)(sqlite3_file*, int);
  int (*xFetch)(sqlite3_file*, sqlite3_int64, int, void**);
  int (*xUnfetch)(sqlite3_file*, sqlite3_int64, void*);
};
struct sqlite3_vfs {
  int iVersion;
  int szOsFile;
  int mxPathname;
  sqlite3_vfs *pNext;
  const char *zName;
  void *pAppData;
  int (*xOpen)(sqlite3_vfs*, const char*, sqlite3_file*, int, int*);
  int (*xDelete)(sqlite3_vfs*, const char*, int);
  int (*xAccess)(sqlite3_vfs*, const char*, int, int*);
  int (*xFullPathname)(sqlite3_vfs*, const char*, int, char*);
  void *(*xDlOpen)(sqlite3_vfs*, const char*);
  void (*xDlError)(sqlite3_vfs*, int, char*);
  void (*(*xDlSym)(sqlite3_vfs*, void*, const char*))(void);
  void (*xDlClose)(sqlite3_vfs*, void*);
  int (*xRandomness)(sqlite3_vfs*, int, char*);
  int (*xSleep)(sqlite3_vfs*, int);
  int (*xCurrentTime)(sqlite3_vfs*, double*);
  int (*xGetLastError)(sqlite3_vfs*, int, char*);
  int (*xCurrentTimeInt64)(sqlite3_vfs*, sqlite3_int64*);
  int (*xSetSystemCall)(sqlite3_vfs*, const char*, sqlite3_syscall_ptr);
  sqlite3_syscall_ptr (*xGetSystemCall)(sqlite3_vfs*, const char*);
  const char *(*xNextSystemCall)(sqlite3_vfs*, const char*);
};
extern sqlite3_vfs *sqlite3_vfs_find(const char*);
extern int sqlite3_vfs_register(sqlite3_vfs*, int);

#define RC_OK 0
#define RC_IOERR_FSYNC (10 | (4<<8))
#define RC_OPEN_WAL 0x00080000

// The head of os_unix.c's unixFile, unchanged since 2010: the descriptor follows
// three pointers. rcOpen checks it against the file's name before relying on it.
struct rcUnixHead { const sqlite3_io_methods *pMethod; void *pVfs; void *pInode; int h; };

static sqlite3_vfs *rcBase;
static sqlite3_vfs rcVFS;
static sqlite3_io_methods rcWALMethods;
static const sqlite3_io_methods *rcUnixMethods;
static int rcBaseSize; // where rcOpen keeps its flag, after the unix VFS's file
static long long rcDataSyncs; // for tests
static long long rcDataSyncCount(void) { return __atomic_load_n(&rcDataSyncs, __ATOMIC_RELAXED); }
static pthread_mutex_t rcMu = PTHREAD_MUTEX_INITIALIZER; // over rcUnixMethods' setting

// rcFirst is set until a WAL file's first sync, which the unix VFS's xSync does: it
// also fsyncs the directory of a file it has just created.
static int *rcFirst(sqlite3_file *f) { return (int*)((char*)f + rcBaseSize); }

static int rcWALSync(sqlite3_file *f, int flags) {
  if (*rcFirst(f)) {
    int rc = rcUnixMethods->xSync(f, flags);
    if (rc == RC_OK) *rcFirst(f) = 0;
    return rc;
  }
  int rc;
  do { rc = fdatasync(((struct rcUnixHead*)f)->h); } while (rc != 0 && errno == EINTR);
  if (rc != 0) return RC_IOERR_FSYNC;
  __atomic_add_fetch(&rcDataSyncs, 1, __ATOMIC_RELAXED);
  return RC_OK;
}

static int rcOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *outFlags) {
  int rc = rcBase->xOpen(rcBase, name, f, flags, outFlags);
  if (rc != RC_OK || f->pMethods == 0 || !(flags & RC_OPEN_WAL) || name == 0) return rc;
  pthread_mutex_lock(&rcMu);
  if (rcUnixMethods == 0) { // the first WAL file opened
    rcUnixMethods = f->pMethods;
    rcWALMethods = *rcUnixMethods;
    rcWALMethods.xSync = rcWALSync;
  }
  int same = f->pMethods == rcUnixMethods;
  pthread_mutex_unlock(&rcMu);
  if (!same) return rc;
  struct stat byFd, byName;
  if (fstat(((struct rcUnixHead*)f)->h, &byFd) != 0 || stat(name, &byName) != 0 ||
      byFd.st_dev != byName.st_dev || byFd.st_ino != byName.st_ino) return rc;
  *rcFirst(f) = 1;
  f->pMethods = &rcWALMethods;
  return rc;
}

static const char *rcRegister(void) {
  rcBase = sqlite3_vfs_find(0);
  if (rcBase == 0 || rcBase->iVersion < 3 || strcmp(rcBase->zName, "unix") != 0) return 0;
  rcVFS = *rcBase;
  rcBaseSize = (rcBase->szOsFile + 7) & ~7;
  rcVFS.szOsFile = rcBaseSize + (int)sizeof(int);
  rcVFS.zName = "rollcall-wal-fdatasync";
  rcVFS.pNext = 0;
  rcVFS.xOpen = rcOpen;
  if (sqlite3_vfs_register(&rcVFS, 0) != RC_OK) return 0;
  return rcVFS.zName;
}
*/
import "C"

import "sync"

// SQLite syncs a COMMIT's WAL frames with fsync: the library the cgo driver builds is
// compiled without HAVE_FDATASYNC (which SQLite's own Linux build sets), so its
// fdatasync is fsync. On ext4 an fsync also commits the inode's new mtime, which every
// WAL write changes: a journal commit per COMMIT, in the journal that every process
// writing to the filesystem shares. fdatasync leaves the mtime out; it still commits a
// size change, all that reading the frames back needs. So the write connections open
// the database through a VFS that is the unix one but for the WAL file's xSync, which
// calls fdatasync (after the first, which the unix VFS does: it also syncs the
// directory of a WAL it has just made). COMMIT still returns only after its frames are
// on disk: synchronous=FULL as before, one flush of the disk's cache per commit.

var walVFS = sync.OnceValue(func() string {
	if name := C.rcRegister(); name != nil {
		return C.GoString(name)
	}
	return "" // not the unix VFS: SQLite's own syncs
})

// walDataSyncs counts the WAL syncs that were fdatasyncs, in this process.
func walDataSyncs() int64 { return int64(C.rcDataSyncCount()) }
