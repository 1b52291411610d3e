package sqlite

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/rollcall/rollcall"
)

// dirCache keeps the directory rows the writer has read. Every create looks its
// directory up inside its Update, on the writer goroutine that every write waits for;
// from the cache that lookup is a map access, not a statement (it was 6% of the
// server's CPU under load, all of it on the writer).
//
// It holds committed rows only. A write to a directory in a batch empties it and turns
// it off until the batch ends, so a row written (or rolled back) in a batch is never
// cached from it. Another process committing to the file (rollcall import, say) is
// seen at the start of the next batch through PRAGMA data_version, which empties it.
// Only the writer goroutine uses it.
//
// It keeps each row decoded too, and hands out deep copies of it: decoding the attrs'
// JSON on every hit was 2% of the server's CPU under load, a copy is a tenth of that.
// A copy, because a caller may change the directory it gets and then fail.
//
// It keeps the business groups the writer has read too (an Amazon Business create
// resolves its group, by ID or tag, in every Update), under the same rules: a write
// to a group (or anything that may remove one) empties both and turns both off until
// the batch ends. A group is all values, so a hit hands out a copy as it is.
type dirCache struct {
	rows    map[string]dirEntry
	groups  map[groupKey]rollcall.Group
	off     bool  // a directory was written in this batch
	version int64 // PRAGMA data_version at the start of the batch
}

// dirCacheMax bounds the cache (each of its maps); when full it starts over.
const dirCacheMax = 4096

// groupKey is how a group was asked for: its directory and its ID, or its tag.
type groupKey struct {
	dirID, id string
	byTag     bool
}

type dirEntry struct {
	row dirRow
	dec *rollcall.Directory // row decoded; nil if it cannot be copied (see deepen)
}

// dirRow is a directories row as stored; it scans like the row it came from.
type dirRow struct {
	id, tenantID, kind, name string
	created, updated         int64
	attrs                    string
}

func (r *dirRow) Scan(dest ...any) error {
	if len(dest) != 7 {
		return fmt.Errorf("sqlite: scan a cached directory into %d values", len(dest))
	}
	*dest[0].(*string), *dest[1].(*string), *dest[2].(*string), *dest[3].(*string) = r.id, r.tenantID, r.kind, r.name
	*dest[4].(*int64), *dest[5].(*int64), *dest[6].(*string) = r.created, r.updated, r.attrs
	return nil
}

// begin runs at the start of every batch, inside its transaction. It turns the
// token cache on again (the last batch is over) after emptying it, as this cache, when
// another process wrote. It returns the data_version it read (-1 if it could not).
func (c *dirCache) begin(ctx context.Context, conn *dbConn, tokens *tokenCache) int64 {
	c.off = false
	v, err := conn.queryInt(ctx, "PRAGMA data_version")
	if err != nil || v != c.version {
		c.reset()
		c.version = v
		tokens.invalidate()
	}
	tokens.settle()
	if err != nil {
		return -1
	}
	return v
}

// reset empties the cache.
func (c *dirCache) reset() {
	clear(c.rows)
	clear(c.groups)
}

// invalidate runs before any write to the directories or business_groups tables.
func (c *dirCache) invalidate() {
	c.reset()
	c.off = true
}

// group returns the group k names as the writer's transaction sees it, from read
// (which reads the table) on a miss. A group not found is not kept.
func (c *dirCache) group(k groupKey, read func() (*rollcall.Group, error)) (*rollcall.Group, error) {
	if g, ok := c.groups[k]; ok && !c.off {
		return &g, nil
	}
	g, err := read()
	if err != nil || c.off {
		return g, err
	}
	if c.groups == nil || len(c.groups) >= dirCacheMax {
		c.groups = make(map[groupKey]rollcall.Group)
	}
	c.groups[k] = *g
	return g, nil
}

// directory returns the directory id as the writer's transaction sees it.
func (c *dirCache) directory(t *tx, id string) (*rollcall.Directory, error) {
	if e, ok := c.rows[id]; ok && !c.off {
		if e.dec != nil {
			d := *e.dec
			if directoryShares {
				deepen(reflect.ValueOf(&d).Elem())
			}
			return &d, nil
		}
		row := e.row // scanDirectory keeps its address: a copy on the heap here, not e on every hit
		return scanDirectory(&row)
	}
	var r dirRow
	err := t.get("directory", func(s rowScanner) error {
		return s.Scan(&r.id, &r.tenantID, &r.kind, &r.name, &r.created, &r.updated, &r.attrs)
	}, `SELECT `+directoryColumns+` FROM directories WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	d, err := scanDirectory(&r)
	if err != nil || c.off {
		return d, err
	}
	if c.rows == nil || len(c.rows) >= dirCacheMax {
		c.rows = make(map[string]dirEntry)
	}
	e := dirEntry{row: r}
	if dec := *d; deepen(reflect.ValueOf(&dec).Elem()) {
		e.dec = &dec
	}
	c.rows[id] = e
	return d, nil
}

var timeType = reflect.TypeFor[time.Time]()

// directoryShares is whether a copy of a rollcall.Directory can share memory with its
// original (see shares). While it cannot, a hit's copy is the assignment alone: deepen
// walked its fields by reflection on every create to find nothing to copy.
var directoryShares = shares(reflect.TypeFor[rollcall.Directory]())

// shares reports whether a value of type t holds memory that an assignment does not
// copy: a pointer, slice, map, interface, channel or function anywhere in it but in a
// time.Time (which deepen keeps as a value too). A string does not: it cannot change.
func shares(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Struct:
		if t == timeType {
			return false
		}
		for i := range t.NumField() {
			if shares(t.Field(i).Type) {
				return true
			}
		}
		return false
	case reflect.Array:
		return t.Len() > 0 && shares(t.Elem())
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	}
	return false
}

// deepen replaces every pointer, slice and map reachable from v, which must be
// settable, with a copy, so that v shares no memory with what it was copied from. It
// reports false if it met a field it cannot set (unexported), whose memory may still be
// shared. A time.Time is a value (its Location is shared by design).
func deepen(v reflect.Value) bool {
	if !v.CanSet() {
		switch v.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Struct, reflect.Interface, reflect.Array:
			return false
		}
		return true
	}
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			return true
		}
		for i := range v.NumField() {
			if !deepen(v.Field(i)) {
				return false
			}
		}
	case reflect.Array:
		for i := range v.Len() {
			if !deepen(v.Index(i)) {
				return false
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			p := reflect.New(v.Type().Elem())
			p.Elem().Set(v.Elem())
			if !deepen(p.Elem()) {
				return false
			}
			v.Set(p)
		}
	case reflect.Slice:
		if !v.IsNil() {
			s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
			reflect.Copy(s, v)
			for i := range s.Len() {
				if !deepen(s.Index(i)) {
					return false
				}
			}
			v.Set(s)
		}
	case reflect.Map:
		if !v.IsNil() {
			m := reflect.MakeMapWithSize(v.Type(), v.Len())
			for it := v.MapRange(); it.Next(); {
				e := reflect.New(v.Type().Elem()).Elem()
				e.Set(it.Value())
				if !deepen(e) {
					return false
				}
				m.SetMapIndex(it.Key(), e)
			}
			v.Set(m)
		}
	case reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return v.IsNil()
	}
	return true
}
