// Package facetest is the one test harness of rollcall's faces: a real rollcall service
// over a SQLite store in a temporary directory with the dev seed (and what a test adds
// to it), its faces served by an httptest server behind the real request log, raw
// requests signed with the official SDK's SigV4 signer, sessions for the official SDK
// clients, the real AWS CLI (CLI: Run, Must, MustJSON, MustFail), a store outage a test
// switches on and off (FailingStore) or writes that always fail (FailUpdates), the
// benchmarks' parallel create loop and bare floor handler (BenchCreates, BareJSON), the
// reading of an official client's error (SDKErrorOf, WantSDKError), the wording of AWS
// validation errors (Detected, Failure, Null, ...), and reads through the official
// clients that tests of several packages make (MustSigninDelegateGroups).
//
// It is for tests only: it imports the core, auth/password, httpx, the SQLite store,
// operator (the seed), the test helpers under internal (testlog, testdeps, coretest: the
// products on the service) and the AWS SDK for Go v1; a face's
// tests import it (and auth/token's), a face never does (architecture_test.go).
package facetest
