// Package testdeps is how tests ask for what lives outside Go: a command (the AWS CLI,
// Chromium), a server (PostgreSQL), a file (the SigV4 suite). When it is missing a test
// skips on a developer's machine but fails under CI=true: in CI a test that did not run
// must not pass as one that did. .ci/run installs everything these tests ask for.
//
// It imports the standard library only; only tests and their harnesses (face/facetest,
// store/postgres/pgtest) import it.
package testdeps
