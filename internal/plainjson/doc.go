// Package plainjson reads the plain JSON most request bodies are (objects of a
// request's own members, each once, their strings without escapes) without reflection,
// so a face decodes its busiest request in an allocation or two. It reports any other
// body as not plain; the face then reads it with httpx.DecodeJSON, which decodes it or
// words its error, so a face's plain decoder must only ever accept a body that
// httpx.DecodeJSON reads to the same request (each has a fuzz test that says so).
//
// It imports the standard library only.
package plainjson
