// Package pgtest gives tests a fresh PostgreSQL database each, and connections to it:
// store/postgres's own, the transfer tests, and the end-to-end tests that run replicas
// on one database; and clusters of a test's own (Cluster), which a test crashes and
// restarts under its load (Outages).
//
// The server is ROLLCALL_TEST_POSTGRES (e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable). Without it a test skips,
// except under CI=true, where it fails.
//
// It imports pgx, internal/testdeps and the standard library; only tests import it.
package pgtest
