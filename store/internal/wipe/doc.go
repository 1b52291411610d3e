// Package wipe plans the statements that empty a SQL store, or one tenant of it, from
// the schema itself: the tables and columns a backend reads from its catalogue at the
// moment of the wipe. A table a later migration adds is covered without an edit here.
//
// It is shared by store/sqlite and store/postgres and imports only the standard library.
package wipe
