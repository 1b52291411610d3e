// Package coretest builds, for tests, the core with every product, invitations and the
// operator's view over a real SQLite store holding the dev seed.
//
// It imports the core, the product packages, invite, operator, auth/password and
// store/sqlite; only tests import it.
package coretest
