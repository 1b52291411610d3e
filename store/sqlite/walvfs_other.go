//go:build !cgo || !linux

package sqlite

// walVFS is the VFS the write connections open the database with: SQLite's default
// here (walvfs_cgo.go says why Linux with the cgo driver has another).
func walVFS() string { return "" }

// syncDB would fsync the database file of c on SQLite's own descriptor; without the
// cgo VFS it cannot, and leaves it to SQLite (walvfs_cgo.go).
func syncDB(*dbConn) error { return nil }

// dbSyncs counts the database files syncDB synced: none here.
func dbSyncs() int64 { return 0 }
