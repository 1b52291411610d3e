//go:build !cgo && !race

package sqlite_test

// maxInsertUserAllocs is TestInsertUserArgumentsDoNotAllocate's bound on the pure-Go
// driver (modernc.org/sqlite).
const maxInsertUserAllocs = 15
