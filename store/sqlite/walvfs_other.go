//go:build !cgo || !linux

package sqlite

// walVFS is the VFS the write connections open the database with: SQLite's default
// here (walvfs_cgo.go says why Linux with the cgo driver has another).
func walVFS() string { return "" }
