package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
)

// Algorithm is the only signing algorithm Verify accepts.
const Algorithm = "AWS4-HMAC-SHA256"

const (
	amzDateLayout   = "20060102T150405Z"
	unsignedPayload = "UNSIGNED-PAYLOAD"
)

// CanonicalRequest returns the canonical request that Verify computes for r, whose
// complete body is body: r as a server received it (r.RequestURI, r.Host, r.Header),
// signed over signedHeaders (lower case, in the order signed), with the path normalized
// when normalize. The query is in SigV4's order (sorted by encoded name, then value),
// without X-Amz-Signature when r is presigned (no Authorization header). The payload
// hash is X-Amz-Content-Sha256 when present, else the body's.
//
// It is for tests and diagnostics; Verify does not call it. It fails only when the
// query string cannot be decoded.
func CanonicalRequest(r *http.Request, body []byte, signedHeaders []string, normalize bool) (string, error) {
	path, rawQuery := requestTarget(r)
	params, err := parseQuery(nil, rawQuery)
	if err != nil {
		return "", err
	}
	if r.Header.Get("Authorization") == "" {
		params = slices.DeleteFunc(params, func(p param) bool { return p.key == "X-Amz-Signature" })
	}
	slices.SortFunc(params, bySigV4Order)
	payload := []byte(r.Header.Get("X-Amz-Content-Sha256"))
	if len(payload) == 0 {
		payload = appendHashHex(nil, body)
	}
	if normalize {
		path = normalizePath(path)
	}
	c := canonical{
		method: r.Method, path: path,
		header: r.Header, host: r.Host, signedHeaders: strings.Join(signedHeaders, ";"), payload: payload,
	}
	return string(c.append(nil, params)), nil
}

// StringToSign returns the string to sign for a canonical request, given the request
// time as in X-Amz-Date and the credential scope ("20150830/us-east-1/chime/aws4_request").
func StringToSign(amzDate, scope, canonicalRequest string) string {
	return string(appendStringToSign(nil, amzDate, scope, sha256.Sum256([]byte(canonicalRequest))))
}

// SigningKey derives the key that signs requests for one day (YYYYMMDD), region and
// service with secret.
func SigningKey(secret, date, region, service string) []byte {
	k := deriveKey(secret, date, region, service)
	return k[:]
}

// canonical is what a canonical request is made of, but for its query parameters.
type canonical struct {
	method        string
	path          string // as on the wire, still escaped (normalized, if it is to be)
	header        http.Header
	host          string
	signedHeaders string // "host;x-amz-date"
	payload       []byte // the payload hash, hex
}

// append appends the canonical request with the query params, in their order, to dst.
func (c *canonical) append(dst []byte, params []param) []byte {
	dst = append(dst, c.method...)
	dst = append(dst, '\n')
	path := c.path
	if path == "" {
		path = "/"
	}
	dst = appendEscaped(dst, path, true)
	dst = append(dst, '\n')
	for i, p := range params {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, p.ekey...)
		dst = append(dst, '=')
		dst = append(dst, p.evalue...)
	}
	dst = append(dst, '\n')
	for names := c.signedHeaders; names != ""; {
		var name string
		name, names, _ = strings.Cut(names, ";")
		dst = append(dst, name...)
		dst = append(dst, ':')
		if name == "host" {
			dst = appendHeaderValue(dst, c.host)
		} else {
			for i, v := range headerValues(c.header, name) {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = appendHeaderValue(dst, v)
			}
		}
		dst = append(dst, '\n')
	}
	dst = append(dst, '\n')
	dst = append(dst, c.signedHeaders...)
	dst = append(dst, '\n')
	return append(dst, c.payload...)
}

func appendStringToSign(dst []byte, amzDate, scope string, canonicalHash [sha256.Size]byte) []byte {
	dst = append(dst, Algorithm+"\n"...)
	dst = append(dst, amzDate...)
	dst = append(dst, '\n')
	dst = append(dst, scope...)
	dst = append(dst, '\n')
	return hex.AppendEncode(dst, canonicalHash[:])
}

// requestTarget returns the raw path and query of r as they came over the wire. A
// client that sets URL.Opaque to "//host/path" (as aws-sdk-go v1 suggests for paths it
// must not re-escape) sends the absolute form "http://host/path", which a server keeps
// in RequestURI; the scheme and host are cut off here.
func requestTarget(r *http.Request) (path, query string) {
	uri := r.RequestURI
	if uri == "" && r.URL != nil {
		uri = r.URL.RequestURI()
	}
	if !strings.HasPrefix(uri, "/") {
		if _, rest, ok := strings.Cut(uri, "://"); ok {
			if i := strings.IndexAny(rest, "/?"); i >= 0 {
				uri = rest[i:]
			} else {
				uri = ""
			}
		}
	}
	path, query, _ = strings.Cut(uri, "?")
	return path, query
}

// normalizePath removes "." and ".." segments and empty segments ("//"), keeping one
// trailing slash, as botocore and the aws-c-auth test suite normalize paths.
func normalizePath(p string) string {
	if !strings.Contains(p, "//") && !strings.Contains(p, "/.") {
		return p
	}
	var segs []string
	for rest, more := p, true; more; {
		var seg string
		seg, rest, more = strings.Cut(rest, "/")
		switch seg {
		case "", ".":
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, seg)
		}
	}
	s := "/" + strings.Join(segs, "/")
	if len(segs) > 0 && strings.HasSuffix(p, "/") {
		s += "/"
	}
	return s
}

// unreserved reports whether SigV4 leaves c unescaped.
func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
}

// appendEscaped appends s to dst with every byte but the unreserved ones (and '/', when
// keepSlash) percent-encoded in upper-case hex. Applied to a path as it came over the
// wire it double-encodes what the client escaped ("%20" becomes "%2520"), which is how
// the SDKs sign the path for every service but S3.
func appendEscaped(dst []byte, s string, keepSlash bool) []byte {
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) || keepSlash && c == '/' {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', hexDigits[c>>4], hexDigits[c&15])
		}
	}
	return dst
}

// escapeQuery returns s escaped for a canonical query, without allocating when nothing
// needs escaping.
func escapeQuery(s string) string {
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			return string(appendEscaped(make([]byte, 0, len(s)+16), s, false))
		}
	}
	return s
}

// param is one query parameter, decoded and encoded again the SigV4 way.
type param struct {
	key, value   string
	ekey, evalue string
}

// parseQuery appends the parameters of a raw query string to dst, in the order sent. A
// parameter that cannot be decoded is left out and the first such is reported.
func parseQuery(dst []param, raw string) ([]param, error) {
	var first error
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key, err := unescapeQuery(k)
		if err == nil {
			v, err = unescapeQuery(v)
		}
		if err != nil {
			if first == nil {
				first = err
			}
			continue
		}
		dst = append(dst, param{key: key, value: v, ekey: escapeQuery(key), evalue: escapeQuery(v)})
	}
	return dst, first
}

// unescapeQuery decodes a query component ('+' is a space), without allocating when
// there is nothing to decode.
func unescapeQuery(s string) (string, error) {
	if strings.ContainsAny(s, "%+") {
		return url.QueryUnescape(s)
	}
	return s, nil
}

// bySigV4Order orders parameters as SigV4 specifies: by encoded name, then encoded value.
// aws-sdk-go-v2 (v1.4x and later), botocore and aws-c-auth sign in this order.
func bySigV4Order(a, b param) int {
	if c := strings.Compare(a.ekey, b.ekey); c != 0 {
		return c
	}
	return strings.Compare(a.evalue, b.evalue)
}

// byDecodedOrder orders parameters as aws-sdk-go v1 (and older v2 releases) sign them:
// url.Values.Encode after sorting each name's values, i.e. by decoded name, then decoded
// value. The two orders differ only when a name or value holds a byte that is escaped.
func byDecodedOrder(a, b param) int {
	if c := strings.Compare(a.key, b.key); c != 0 {
		return c
	}
	return strings.Compare(a.value, b.value)
}

// headerValues returns the values of the header with the lower-case name. It finds
// names made of [a-z0-9-] without allocating, as textproto.CanonicalMIMEHeaderKey would
// canonicalize them.
func headerValues(h http.Header, name string) []string {
	var buf [64]byte
	if len(name) > len(buf) {
		return h.Values(name)
	}
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z':
			if upper {
				c -= 'a' - 'A'
			}
		case '0' <= c && c <= '9', c == '-':
		default:
			return h[textproto.CanonicalMIMEHeaderKey(name)]
		}
		buf[i] = c
		upper = c == '-'
	}
	return h[string(buf[:len(name)])]
}

// appendHeaderValue appends v trimmed, with each run of spaces collapsed to one, as the
// Go SDKs canonicalize header values (only spaces collapse; tabs inside stay).
func appendHeaderValue(dst []byte, v string) []byte {
	v = strings.TrimSpace(v)
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' && i > 0 && v[i-1] == ' ' {
			continue
		}
		dst = append(dst, v[i])
	}
	return dst
}

// appendHashHex appends the hex SHA-256 of b to dst.
func appendHashHex(dst, b []byte) []byte {
	sum := sha256.Sum256(b)
	return hex.AppendEncode(dst, sum[:])
}
