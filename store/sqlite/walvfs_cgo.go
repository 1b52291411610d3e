//go:build cgo && linux

package sqlite

/*
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
extern sqlite3_file *sqlite3_database_file_object(const char*);

#define RC_OK 0
#define RC_NOMEM 7
#define RC_FULL 13
#define RC_IOERR_WRITE (10 | (3<<8))
#define RC_OPEN_MAIN_DB 0x00000100
#define RC_OPEN_WAL 0x00080000
#define RC_FCNTL_PRAGMA 14
#define RC_IOCAP_POWERSAFE_OVERWRITE 0x00001000
#define WB_MAX (4 << 20) // a buffer past this is written out first

// The head of os_unix.c's unixFile, unchanged since 2010: the descriptor follows
// three pointers. wbOpen checks it against the file's name before relying on it.
struct wbUnixHead { const sqlite3_io_methods *pMethod; void *pVfs; void *pInode; int h; };

// wb is what this VFS keeps after the unix VFS's file. For a database: whether its
// synchronous level is FULL or EXTRA. For a WAL: its database's file, and the bytes
// written to it and not yet to the file, one contiguous run from off.
struct wb {
  int full;
  sqlite3_file *db;
  char *buf;
  sqlite3_int64 off;
  int n, cap;
};

static sqlite3_vfs *wbBase;
static sqlite3_vfs wbVFS;
// The unix VFS's methods for a database and for a WAL (it locks only the first),
// which this VFS's methods wrap.
static const sqlite3_io_methods *wbDBUnix, *wbWALUnix;
static sqlite3_io_methods wbDBMethods, wbWALMethods;
static int wbBaseSize;
static pthread_mutex_t wbMu = PTHREAD_MUTEX_INITIALIZER; // over the methods' setting
static long long wbWrites, wbFlushes; // for tests: xWrites buffered, buffers written

static struct wb *WB(sqlite3_file *f) { return (struct wb*)((char*)f + wbBaseSize); }
static long long wbWriteCount(void) { return __atomic_load_n(&wbWrites, __ATOMIC_RELAXED); }
static long long wbFlushCount(void) { return __atomic_load_n(&wbFlushes, __ATOMIC_RELAXED); }

// wbFull says whether a PRAGMA synchronous value is FULL or EXTRA; anything else
// (OFF, NORMAL, a name SQLite does not know, which it takes as NORMAL) is not.
static int wbFull(const char *v) {
  return strcmp(v, "2") == 0 || strcmp(v, "3") == 0 || strcasecmp(v, "full") == 0 ||
         strcasecmp(v, "extra") == 0;
}

// The database file's xFileControl sees every PRAGMA first (SQLITE_FCNTL_PRAGMA), and
// so every change of its synchronous level.
static int wbDBFileControl(sqlite3_file *f, int op, void *arg) {
  if (op == RC_FCNTL_PRAGMA) {
    char **a = (char**)arg;
    if (a[1] != 0 && a[2] != 0 && strcasecmp(a[1], "synchronous") == 0) {
      __atomic_store_n(&WB(f)->full, wbFull(a[2]), __ATOMIC_RELAXED);
    }
  }
  return wbDBUnix->xFileControl(f, op, arg);
}

// wbFlush writes the buffer out, in one pwrite but where the kernel writes less. Not
// through the unix VFS's xWrite, which writes at most 128 KiB - 1 per call (and
// reports more as a full disk). Errors as that xWrite reports them: ENOSPC or a write
// of nothing is SQLITE_FULL, any other SQLITE_IOERR_WRITE. The bytes are dropped
// either way: SQLite fails the transaction they belong to.
static int wbFlush(sqlite3_file *f) {
  struct wb *w = WB(f);
  const char *p = w->buf;
  size_t n = w->n;
  off_t off = w->off;
  if (n == 0) return RC_OK;
  w->n = 0;
  __atomic_add_fetch(&wbFlushes, 1, __ATOMIC_RELAXED);
  while (n > 0) {
    ssize_t k = pwrite(((struct wbUnixHead*)f)->h, p, n, off);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) return errno == ENOSPC ? RC_FULL : RC_IOERR_WRITE;
    if (k == 0) return RC_FULL;
    p += k;
    n -= k;
    off += k;
  }
  return RC_OK;
}

static int wbWrite(sqlite3_file *f, const void *p, int n, sqlite3_int64 off) {
  struct wb *w = WB(f);
  int rc;
  if (w->n > 0 && (off != w->off + w->n || w->n + n > WB_MAX)) {
    if ((rc = wbFlush(f)) != RC_OK) return rc;
  }
  if (w->db == 0 || !__atomic_load_n(&WB(w->db)->full, __ATOMIC_RELAXED) || n > WB_MAX) {
    if ((rc = wbFlush(f)) != RC_OK) return rc;
    return wbWALUnix->xWrite(f, p, n, off);
  }
  if (w->n + n > w->cap) {
    int c = w->cap ? w->cap : 64 << 10;
    while (c < w->n + n) c *= 2;
    char *b = realloc(w->buf, c);
    if (b == 0) return RC_NOMEM;
    w->buf = b;
    w->cap = c;
  }
  if (w->n == 0) w->off = off;
  memcpy(w->buf + w->n, p, n);
  w->n += n;
  __atomic_add_fetch(&wbWrites, 1, __ATOMIC_RELAXED);
  return RC_OK;
}

// Whatever can observe the file, or order a write after the buffered ones, writes the
// buffer out first.
static int wbSync(sqlite3_file *f, int flags) {
  int rc = wbFlush(f);
  return rc != RC_OK ? rc : wbWALUnix->xSync(f, flags);
}
static int wbRead(sqlite3_file *f, void *p, int n, sqlite3_int64 off) {
  int rc = wbFlush(f);
  return rc != RC_OK ? rc : wbWALUnix->xRead(f, p, n, off);
}
static int wbTruncate(sqlite3_file *f, sqlite3_int64 size) {
  int rc = wbFlush(f);
  return rc != RC_OK ? rc : wbWALUnix->xTruncate(f, size);
}
static int wbFileSize(sqlite3_file *f, sqlite3_int64 *size) {
  int rc = wbFlush(f);
  return rc != RC_OK ? rc : wbWALUnix->xFileSize(f, size);
}
static int wbWALFileControl(sqlite3_file *f, int op, void *arg) {
  int rc = wbFlush(f);
  return rc != RC_OK ? rc : wbWALUnix->xFileControl(f, op, arg);
}
static int wbClose(sqlite3_file *f) {
  struct wb *w = WB(f);
  int rc = wbFlush(f);
  free(w->buf);
  memset(w, 0, sizeof *w);
  int rc2 = wbWALUnix->xClose(f);
  return rc != RC_OK ? rc : rc2;
}

// wbWrap gives f this VFS's methods, if it has the unix VFS's methods for its kind.
static int wbWrap(sqlite3_file *f, const sqlite3_io_methods **base, sqlite3_io_methods *ours) {
  pthread_mutex_lock(&wbMu);
  if (*base == 0) {
    *base = f->pMethods;
    *ours = *f->pMethods;
    if (ours == &wbDBMethods) {
      ours->xFileControl = wbDBFileControl;
    } else {
      ours->xClose = wbClose;
      ours->xRead = wbRead;
      ours->xWrite = wbWrite;
      ours->xTruncate = wbTruncate;
      ours->xSync = wbSync;
      ours->xFileSize = wbFileSize;
      ours->xFileControl = wbWALFileControl;
    }
  }
  int same = f->pMethods == *base;
  pthread_mutex_unlock(&wbMu);
  if (same) f->pMethods = ours;
  return same;
}

static int wbOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *outFlags) {
  memset(WB(f), 0, sizeof(struct wb));
  int rc = wbBase->xOpen(wbBase, name, f, flags, outFlags);
  if (rc != RC_OK || f->pMethods == 0 || name == 0) return rc;
  if (flags & RC_OPEN_MAIN_DB) {
    wbWrap(f, &wbDBUnix, &wbDBMethods);
    return rc;
  }
  if (!(flags & RC_OPEN_WAL)) return rc;
  // A WAL buffers only for a database of ours, and only where SQLite pads no commit
  // to a sector (powersafe overwrite, the unix VFS's default): padding writes the end
  // of the last frame after the commit's sync.
  sqlite3_file *db = sqlite3_database_file_object(name);
  if (db == 0 || db->pMethods != &wbDBMethods ||
      !(db->pMethods->xDeviceCharacteristics(db) & RC_IOCAP_POWERSAFE_OVERWRITE)) return rc;
  struct stat byFd, byName;
  if (fstat(((struct wbUnixHead*)f)->h, &byFd) != 0 || stat(name, &byName) != 0 ||
      byFd.st_dev != byName.st_dev || byFd.st_ino != byName.st_ino) return rc;
  if (wbWrap(f, &wbWALUnix, &wbWALMethods)) WB(f)->db = db;
  return rc;
}

static const char *wbRegister(void) {
  wbBase = sqlite3_vfs_find(0);
  if (wbBase == 0 || wbBase->iVersion < 3 || strcmp(wbBase->zName, "unix") != 0) return 0;
  wbVFS = *wbBase;
  wbBaseSize = (wbBase->szOsFile + 7) & ~7;
  wbVFS.szOsFile = wbBaseSize + (int)sizeof(struct wb);
  wbVFS.zName = "rollcall-walbuf";
  wbVFS.pNext = 0;
  wbVFS.xOpen = wbOpen;
  if (sqlite3_vfs_register(&wbVFS, 0) != RC_OK) return 0;
  return wbVFS.zName;
}
*/
import "C"

import "sync"

// The write connections open the database through a VFS that is the unix one but for
// the WAL's writes. SQLite writes each WAL frame as two pwrites (its 24-byte header,
// then the page): some 5 syscalls per create. This VFS keeps a WAL's contiguous
// writes in memory and writes them in one pwrite when SQLite syncs the WAL, or first
// when anything could observe the file or order a write after them (a read, a
// truncation, its size, a file control, the close, a write elsewhere in the file).
//
// Why no reader misses a byte: readers and the checkpointer read the WAL through
// their own descriptors, and only frames up to the mxFrame of the wal-index header
// they read. A commit publishes its frames by writing that header (walIndexWriteHdr,
// at the end of walFrames in SQLite 3.54's sqlite3WalFrames), and with
// synchronous=FULL or EXTRA walFrames syncs the WAL (xSync, here: write, then fsync)
// after the commit's last frame and before that header, unless it pads the commit to
// a sector boundary, which it does only without powersafe overwrite (wbOpen then
// leaves the WAL unbuffered). At NORMAL or OFF a commit does not sync, so a WAL
// buffers only while its database's last PRAGMA synchronous said FULL or EXTRA (the
// database file sees every PRAGMA first, SQLITE_FCNTL_PRAGMA; the driver's own
// NORMAL comes before ours). Frames a crash loses from the buffer belong to a commit
// that had not returned, as those the page cache loses.
//
// The checkpointer's writes to the database file are not buffered: a checkpoint that
// stops short of the WAL's end publishes what it copied (nBackfill) with no sync of
// the file before, and no call whose failure SQLite heeds.

var walVFS = sync.OnceValue(func() string {
	if name := C.wbRegister(); name != nil {
		return C.GoString(name)
	}
	return "" // not the unix VFS: SQLite's own writes
})

// walBufferedWrites and walBufferFlushes count, in this process, the WAL writes the
// VFS buffered and the writes of its buffers to the file.
func walBufferedWrites() int64 { return int64(C.wbWriteCount()) }
func walBufferFlushes() int64  { return int64(C.wbFlushCount()) }
