// Package wipe is what the SQL backends share to delete whole kinds of rows: where each
// kind (a rollcall.Content, by its value) lives and which of its rows are a tenant's, as
// one DELETE each (Delete), for Tx.DeleteContents. What a reset removes is not decided
// here but by the core (operator.Reset). Unclaimed lets a backend's test check that
// every table of its schema is a Content or kept on purpose, so that a table a
// migration adds cannot be forgotten by a reset. Keep and IsVersion say which tables
// a snapshot restore leaves or bumps.
//
// It is shared by store/sqlite and store/postgres and imports only the standard
// library.
package wipe
