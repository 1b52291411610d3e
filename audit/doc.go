// Package audit is rollcall's audit trail in AWS CloudTrail's record format: one record
// per API call, on every face and the admin API, that tools reading CloudTrail can read.
//
// It has four parts:
//   - the record (Record, record.go): CloudTrail's field names and JSON shape, eventVersion
//     1.11, and Build, which makes the record of a Call (a neutral description of a call:
//     face, operation, caller Identity, source IP, user agent, request and response,
//     error, read-only flag, time, IDs) in one call, with the columns a store indexes it
//     by and the compact form it stores (Event, stored.go: the varying members only),
//     and Complete, which rebuilds the record, byte for byte, from that form and the
//     response elements stored after it (Element; a write's event is stored by the
//     write's transaction, before there is a response);
//   - secrets removed (Scrub): member values whose names say they hold a password,
//     token, PIN, secret, signature or authorization are replaced, at any depth, with
//     CloudTrail's "HIDDEN_DUE_TO_SECURITY_REASONS", and an element larger than
//     CloudTrail's 100 KB is omitted ({"omitted":true});
//   - log files (Exporter): {"Records":[...]}, gzipped, one file per account, region and
//     hour, named and placed as CloudTrail names and places them
//     (AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz),
//     each written atomically;
//   - the query over stored events (Query): tenant, event name, user, time range,
//     failures only, limit and a keyset cursor, validated; storage plans it.
//
// Where CloudTrail has nothing to copy (Amazon Business, Login with Amazon, the admin
// API, WorkDocs token users), the choices are written down where they are made: the
// eventSource table in call.go and the userIdentity shapes on Identity.
//
// Sources: the CloudTrail User Guide's "CloudTrail record contents", "CloudTrail
// userIdentity element", "CloudTrail log file examples" and "Finding your CloudTrail log
// files" pages (docs.aws.amazon.com/awscloudtrail/latest/userguide/), cited where used.
//
// Imports: the standard library, and internal/atomicfile (itself standard library only)
// for the log files. It knows nothing else of the module (architecture_test.go checks
// it): the request pipeline hands it Calls, storage keeps its Events.
//
// Wiring: audit/trail builds each call's record (Build) from what face/awsx, the admin
// API and Login with Amazon hand it, and stores it through the core's Store (a write's
// in the write's own transaction, the rest batched); the admin API answers Query
// (/_rollcall/events); `rollcall events export` Adds stored records to an Exporter;
// the background purge deletes events before PurgeBefore.
package audit
