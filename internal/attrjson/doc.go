// Package attrjson writes and reads the attribute documents the product packages keep in
// the core's User.Attrs and Directory.Attrs, which the core and the stores carry without
// reading. Every user write encodes one, so Codec writes a product's struct byte for byte
// as encoding/json would (the same names, escaping and omitempty) from a plan made once
// by reflection, with none per value; TestEncodersMatchEncodingJSON checks it on every
// product's attributes. Times are written in UTC to the millisecond, the precision of
// every time a store returns. Decode reads a document; User is a core user with its
// product's attributes, decoded once per request. Its strings are written by
// internal/jsonstr, as the faces' hand-written response bodies' are. DocCache keeps what a
// product derives from the same few documents on every create (Chime's default license,
// a business's settings), keyed by the document's text.
//
// It imports the core, internal/jsonstr and the standard library only.
package attrjson
