// Package rowset holds what both SQL backends (store/sqlite, store/postgres) do alike with
// the result of a query, so it is written once: Collect scans every row of a result;
// Settings makes the settings table's rows a map; AttrsColumn and AttrsDoc say how an
// attribute document is stored.
//
// It imports the standard library only, and knows neither driver: a result is anything
// with Next and Err (database/sql's *sql.Rows and pgx.Rows both are).
package rowset
