package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// Hidden replaces the value of every secret in requestParameters and responseElements:
// the text CloudTrail writes where it does not record what was typed ("The userName field
// contains the string HIDDEN_DUE_TO_SECURITY_REASONS when ... the text could contain
// sensitive information", CloudTrail userIdentity element, see UserIdentity).
const Hidden = "HIDDEN_DUE_TO_SECURITY_REASONS"

// MaxElementSize caps requestParameters and responseElements, after scrubbing:
// CloudTrail's record contents give each a maximum size of 100 KB and omit the contents
// of a larger one; "If a field is truncated, omitted is present with a value of true"
// (record contents page, see EventVersion). rollcall writes such an element as
// {"omitted":true}, and so an element that is not JSON or nests deeper than MaxDepth.
const MaxElementSize = 100 << 10

// MaxDepth bounds how deeply an element may nest objects and arrays. The APIs rollcall
// serves nest a few levels; a deeper element is omitted rather than walked.
const MaxDepth = 64

// Omitted is what a record holds in place of an element it does not keep.
var Omitted = json.RawMessage(`{"omitted":true}`)

// ErrOmitted is Scrub's error for an element it does not keep: not JSON, too deep, or
// larger than MaxElementSize once scrubbed.
var ErrOmitted = errors.New("audit: element omitted")

var hidden = []byte(`"` + Hidden + `"`)

// Scrub returns the JSON document raw, compacted, with the value of every member whose
// name says it holds a secret replaced by "HIDDEN_DUE_TO_SECURITY_REASONS", at any depth,
// in objects nested in arrays too. Names are matched ignoring case, Unicode case folding
// ("ſecret" is "secret"), JSON escapes and the separators '_', '-', '.' and ' ', so
// "Password", "password", "new_password", "ClientSecret", "client-secret", "PersonalPIN",
// "SessionToken", "access_token", "refresh_token", "AuthenticationToken",
// "X-Amz-Security-Token" and "Authorization" are all hidden. A name is a secret when it
// contains "password", "passwd", "passphrase" or "secret"; ends in "token" (but not
// "nexttoken", "paginationtoken", "continuationtoken", "clienttoken" or
// "idempotencytoken", which page and deduplicate), "pin", "signature", "apikey",
// "privatekey" or "cookie"; is "authorization", "pincode" or "passcode"; or is one of extra.
//
// It returns ErrOmitted (with Omitted as the element) for a document that is not JSON,
// nests deeper than MaxDepth, or is larger than MaxElementSize after scrubbing.
func Scrub(raw []byte, extra ...string) (json.RawMessage, error) {
	return scrubElement(raw, false, extra)
}

// scrubElement is Scrub of raw, checked to be JSON unless valid says it is.
func scrubElement(raw []byte, valid bool, extra []string) (json.RawMessage, error) {
	if !valid && !json.Valid(raw) {
		return Omitted, ErrOmitted
	}
	// Room for a few secrets longer once hidden, so that the result is not copied.
	out, err := scrub(raw, make([]byte, 0, len(raw)+2*len(hidden)), extra)
	if err != nil || len(out) > MaxElementSize {
		return Omitted, ErrOmitted
	}
	return out, nil
}

// scrub appends the valid JSON document in to out, dropping whitespace and hiding
// secret members. It copies runs of in between the whitespace and secrets it drops,
// rather than token by token, and finds the end of each string with bytes.IndexByte: it
// runs for every element of every recorded call. A string followed by a colon is a
// member's name (in valid JSON a colon follows nothing else), so no stack of containers
// is kept, only the depth.
func scrub(in, out []byte, extra []string) ([]byte, error) {
	depth, last := 0, 0 // in[last:i] is still to be copied
	for i := 0; i < len(in); {
		switch c := in[i]; c {
		case ' ', '\t', '\n', '\r':
			out = append(out, in[last:i]...)
			i = skipSpace(in, i)
			last = i
		case '{', '[':
			if depth == MaxDepth {
				return nil, ErrOmitted
			}
			depth++
			i++
		case '}', ']':
			depth--
			i++
		case '"':
			start := i
			i = skipString(in, i)
			if j := skipSpace(in, i); j < len(in) && in[j] == ':' && isSecret(in[start+1:i-1], extra) {
				out = append(out, in[last:i]...)
				out = append(out, ':')
				out = append(out, hidden...)
				i = skipValue(in, skipSpace(in, j+1))
				last = i
			}
		case 'n', 't': // null, true
			i += 4
		case 'f': // false
			i += 5
		default: // a comma, a colon, or a number's byte
			i++
		}
	}
	return append(out, in[last:]...), nil
}

func skipSpace(in []byte, i int) int {
	for i < len(in) && isSpace(in[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipString returns the index past the string starting at i: past the first quote
// after it that an odd number of backslashes does not escape.
func skipString(in []byte, i int) int {
	for i++; ; i++ {
		i += bytes.IndexByte(in[i:], '"')
		n := 0
		for in[i-1-n] == '\\' {
			n++
		}
		if n%2 == 0 {
			return i + 1
		}
	}
}

// skipValue returns the index past the value starting at i, however deep.
func skipValue(in []byte, i int) int {
	depth := 0
	for {
		switch c := in[i]; {
		case c == '"':
			i = skipString(in, i)
		case c == '{' || c == '[':
			depth++
			i++
		case c == '}' || c == ']':
			depth--
			i++
		case depth == 0: // a number, true, false or null
			return skipScalar(in, i)
		default: // inside a container: scalars, commas, colons, spaces
			i++
		}
		if depth == 0 {
			return i
		}
	}
}

// skipScalar returns the index past the number or literal starting at i.
func skipScalar(in []byte, i int) int {
	for ; i < len(in); i++ {
		switch in[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
	}
	return i
}

var (
	secretParts    = [][]byte{[]byte("password"), []byte("passwd"), []byte("passphrase"), []byte("secret")}
	secretSuffixes = [][]byte{[]byte("token"), []byte("pin"), []byte("signature"), []byte("apikey"), []byte("privatekey"), []byte("cookie")}
	secretNames    = []string{"authorization", "pincode", "passcode"}
	pagingTokens   = []string{"nexttoken", "paginationtoken", "continuationtoken", "clienttoken", "idempotencytoken"}
)

// secrets remembers secret's answer for the member names seen (without extra names):
// the APIs' few dozen names come back in every call, and folding and matching a name
// costs far more than a lookup. The map is never changed once published: a name not
// in it is added to a copy (under secretsMu), so a lookup takes no lock, where a read
// lock's shared counter is contended by every request goroutine. It stops growing at
// maxSecrets names, so clients sending names of their own cannot grow it without bound.
var (
	secrets   atomic.Pointer[map[string]bool]
	secretsMu sync.Mutex
)

const maxSecrets = 4096

// isSecret is secret, remembered in secrets when extra is empty.
func isSecret(quoted []byte, extra []string) bool {
	if len(extra) > 0 {
		return secret(quoted, extra)
	}
	slot := &recent[recentSlot(quoted)]
	if r := slot.Load(); r != nil && r.name == string(quoted) {
		return r.secret
	}
	if m := secrets.Load(); m != nil {
		if is, ok := (*m)[string(quoted)]; ok {
			if slot.Load() == nil { // the first name to the slot keeps it: no churn
				slot.Store(&recentName{string(quoted), is})
			}
			return is
		}
	}
	is := secret(quoted, nil)
	secretsMu.Lock()
	defer secretsMu.Unlock()
	old := secrets.Load()
	if old == nil || len(*old) < maxSecrets {
		m := make(map[string]bool, cmpLen(old)+1)
		if old != nil {
			maps.Copy(m, *old)
		}
		m[string(quoted)] = is
		secrets.Store(&m)
	}
	return is
}

// recent is a direct-mapped cache in front of secrets, for the few dozen names a
// server sees in every call: a slot is chosen from the name's length and three of its
// bytes, far cheaper than hashing the whole name for the map. Names that share a slot
// are looked up in secrets, all but the first to arrive.
var recent [256]atomic.Pointer[recentName]

type recentName struct {
	name   string
	secret bool
}

func recentSlot(q []byte) uint8 {
	if len(q) == 0 {
		return 0
	}
	return uint8(len(q)*7) ^ q[0] ^ q[len(q)-1]<<1 ^ q[len(q)/2]<<3
}

func cmpLen(m *map[string]bool) int {
	if m == nil {
		return 0
	}
	return len(*m)
}

// secret reports whether the member name quoted (a JSON string's contents, still
// escaped) names a secret.
func secret(quoted []byte, extra []string) bool {
	var buf [64]byte
	n := fold(buf[:0], quoted)
	for _, p := range secretParts {
		if bytes.Contains(n, p) {
			return true
		}
	}
	for _, name := range secretNames {
		if string(n) == name {
			return true
		}
	}
	for _, name := range extra {
		var eb [64]byte
		if bytes.Equal(n, fold(eb[:0], []byte(name))) {
			return true
		}
	}
	if bytes.HasSuffix(n, secretSuffixes[0]) {
		for _, name := range pagingTokens {
			if string(n) == name {
				return false
			}
		}
		return true
	}
	for _, suffix := range secretSuffixes[1:] {
		if bytes.HasSuffix(n, suffix) {
			return true
		}
	}
	return false
}

// fold appends name to dst without separators, in lower case, with every letter that
// folds to an ASCII letter (the Kelvin sign, the long s) written as that letter.
func fold(dst, name []byte) []byte {
	if bytes.IndexByte(name, '\\') >= 0 {
		var u string
		if json.Unmarshal(append(append([]byte{'"'}, name...), '"'), &u) == nil {
			name = []byte(u)
		}
	}
	for len(name) > 0 {
		c := name[0]
		if c < utf8.RuneSelf {
			name = name[1:]
			switch {
			case c == '_' || c == '-' || c == '.' || c == ' ':
			case 'A' <= c && c <= 'Z':
				dst = append(dst, c+'a'-'A')
			default:
				dst = append(dst, c)
			}
			continue
		}
		r, size := utf8.DecodeRune(name)
		name = name[size:]
		folded := unicode.ToLower(r)
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < utf8.RuneSelf {
				folded = unicode.ToLower(f)
				break
			}
		}
		dst = utf8.AppendRune(dst, folded)
	}
	return dst
}
