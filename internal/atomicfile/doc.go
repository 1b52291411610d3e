// Package atomicfile writes the files rollcall keeps (the admin token's hash, an export)
// so that a crash or a full disk leaves either the old file or the new one, never a
// partial or empty one: a temporary file in the same directory, fsynced, renamed into
// place, then the directory fsynced so the rename itself is durable. It also says how
// full a disk is when a write fails for lack of space.
//
// Standard library only; anything may import it.
package atomicfile
