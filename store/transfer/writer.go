package transfer

import (
	"bufio"
	"encoding/json"
	"io"
	"time"
)

// Format and Version name the file format in its header. Import refuses a file of
// another format, or of a version above Version; it reads 1 (the release before the
// format had record types of its own; see format.go), 2 (version 3 added IAM
// principals and the access keys' principal, session name and session policy), 3
// (version 4 added an outbox message's trace context) and 4 (version 5 sorts the members
// of attribute documents, which the core no longer knows, and carries each user's
// product keys).
const (
	Format  = "rollcall-export"
	Version = 5
)

// header is the file's first line.
type header struct {
	Format   string    `json:"format"`
	Version  int       `json:"version"`
	Exported time.Time `json:"exported"`
}

// line is every line after the header: a record, or the trailer (type "end").
type line struct {
	Type   string          `json:"type"`
	Data   json.RawMessage `json:"data,omitempty"`
	Counts Counts          `json:"counts,omitempty"`
}

// Writer writes a file in the current format: the header, one line per row, and (Close)
// the trailer. Export writes a store with it; tools that generate files to import (the
// load generator) write rows of the core's types with it.
type Writer struct {
	bw     *bufio.Writer
	enc    *json.Encoder
	counts Counts
}

// NewWriter writes the header, with exported as the file's time, and returns a Writer.
func NewWriter(w io.Writer, exported time.Time) (*Writer, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	wr := &Writer{bw: bw, enc: enc, counts: Counts{}}
	return wr, enc.Encode(header{Format: Format, Version: Version, Exported: exported.UTC()})
}

// Write writes one row: a *rollcall.Tenant, *AccessKey, *AccessToken, *Directory,
// *Group, *User, *IdempotencyRecord, *Message, *Invitation, or a *Setting.
func (w *Writer) Write(v any) error {
	typ, rec, err := record(v)
	if err != nil {
		return err
	}
	w.counts[typ]++
	return w.enc.Encode(recordLine{Type: typ, Data: rec})
}

// recordLine is how Write encodes a line: the record in place, in one pass.
type recordLine struct {
	Type string `json:"type"`
	Data any    `json:"data"`
}

// Counts is how many rows of each type Write has written.
func (w *Writer) Counts() Counts { return w.counts }

// Close writes the trailer and flushes; it does not close the underlying writer.
func (w *Writer) Close() error {
	if err := w.enc.Encode(line{Type: "end", Counts: w.counts}); err != nil {
		return err
	}
	return w.bw.Flush()
}
