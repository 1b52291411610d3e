//go:build cgo && !race

package sqlite_test

// maxInsertUserAllocs is TestInsertUserArgumentsDoNotAllocate's bound on the cgo driver.
const maxInsertUserAllocs = 9
