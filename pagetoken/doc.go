// Package pagetoken makes pagination tokens (Chime NextToken, WorkDocs Marker, Alexa for
// Business NextToken) opaque and tamper-evident.
//
// A token is the page cursor sealed with AES-256-GCM under a key the replicas share, with
// the query it belongs to (tenant, operation, filters) as additional data. A client can
// neither read nor change the cursor, and a token minted for one tenant or one query
// fails to open for another: such a token is a validation error, never a data leak.
//
// It imports the standard library only.
package pagetoken
