// Package facetest is the one test harness of rollcall's faces: a real rollcall service
// over a SQLite store in a temporary directory with the dev seed (and what a test adds
// to it), its faces served by an httptest server behind the real request log, raw
// requests signed with the official SDK's SigV4 signer, and sessions for the official
// SDK clients.
//
// It is for tests only: it imports the core, auth, httpx, the SQLite store, the test
// helpers under internal and the AWS SDK; a face's tests import it, a face never does.
package facetest
