// Package transfer moves everything a rollcall store holds to another store, through a
// file: `rollcall export` and `rollcall import`, SQLite to PostgreSQL and back.
//
// The file is JSON lines in a format of its own, version 5 (Version): a header naming
// the format and its version, one line per row ({"type":"user","data":{...}}), and a
// trailer with the number of rows of each type, so a truncated file is refused. Each
// row type has a record type here (format.go), converted to and from the core's types
// field by field, so renaming a core field does not change the file;
// testdata/export-v5.jsonl pins it (TestGoldenFile). A user's or directory's
// per-product attributes travel as one JSON object, the document the databases store
// with its members sorted (this package does not know what they mean), and a user's
// product keys beside it. Import also reads version 4 (documents in the order of the
// core's structs of then, keys derived as that release did: legacyKeys), version 3
// (also without messages' trace context), version 2 (without IAM principals) and
// version 1 (the core's
// structs through encoding/json, as the release before wrote them) and refuses any
// other version. Rows are written as
// stored: password hashes stay hashes, token hashes stay hashes, and access key
// secrets are in the file as SigV4 needs them (so the file is as secret as the
// database; the command writes it with mode 0600).
//
// It imports the core and the standard library only: it works on any rollcall.Store
// through the rollcall.Tx listings, never on a backend's tables.
package transfer
