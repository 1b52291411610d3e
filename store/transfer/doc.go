// Package transfer moves everything a rollcall store holds to another store, through a
// file: `rollcall export` and `rollcall import`, SQLite to PostgreSQL and back.
//
// The file is JSON lines: a header naming the format and its version, one line per
// row ({"type":"user","data":{...}}), and a trailer with the number of rows of each
// type, so a truncated file is refused. Rows are written as the core's types encode
// with encoding/json, as stored: password hashes stay hashes, token hashes stay
// hashes, and access key secrets are in the file as SigV4 needs them (so the file is
// as secret as the database; the command writes it with mode 0600).
//
// It imports the core and the standard library only: it works on any rollcall.Store
// through the rollcall.Tx listings, never on a backend's tables.
package transfer
