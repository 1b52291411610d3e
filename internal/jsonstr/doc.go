// Package jsonstr writes one JSON string byte for byte as encoding/json does, without
// reflection or allocation: the attribute documents (internal/attrjson), the faces'
// hand-written response bodies and the audit records all write their strings with it.
//
// It imports the standard library only.
package jsonstr
