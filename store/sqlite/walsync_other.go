//go:build !cgo || !linux

package sqlite

// walVFS is the VFS the write connections open the database with: SQLite's default
// here (walsync_cgo.go says why Linux with the cgo driver has another).
func walVFS() string { return "" }

func walDataSyncs() int64 { return 0 }
