package chime

// decodePlain decodes body into the string members names when body is in the plain form
// the SDKs send: one JSON object whose members are among names, each given once, each a
// string of printable ASCII without escapes. dst[k] is set to the value of names[k] (nil
// when absent), held in vals[k]; a value equal to one of known is that string, not a
// copy. For any other body it reports false and sets nothing: the caller then decodes
// with httpx.DecodeJSON, which accepts it or words the error as it always has, so this
// path decides nothing of its own (FuzzDecodePlain compares the two). It saves every
// CreateUser the reflective decoder's work and allocations.
func decodePlain(body []byte, names, known []string, dst []**string, vals []string) bool {
	var at [4][2]int // value of names[k]: body[at[k][0]:at[k][1]]
	var seen [4]bool
	if len(names) > len(at) || len(dst) != len(names) || len(vals) != len(names) {
		return false
	}
	i := skipSpace(body, 0)
	if i == len(body) || body[i] != '{' {
		return false
	}
	i = skipSpace(body, i+1)
	if i < len(body) && body[i] == '}' {
		i++
	} else {
		for {
			name, j, ok := plainString(body, i)
			if !ok {
				return false
			}
			k := indexOf(names, name)
			if k < 0 || seen[k] {
				return false // an unknown or repeated member: the decoder's to judge
			}
			if j = skipSpace(body, j); j == len(body) || body[j] != ':' {
				return false
			}
			j = skipSpace(body, j+1)
			start := j + 1
			if _, j, ok = plainString(body, j); !ok {
				return false
			}
			at[k], seen[k] = [2]int{start, j - 1}, true
			if j = skipSpace(body, j); j == len(body) {
				return false
			}
			if body[j] == '}' {
				i = j + 1
				break
			}
			if body[j] != ',' {
				return false
			}
			i = skipSpace(body, j+1)
		}
	}
	if skipSpace(body, i) != len(body) {
		return false
	}
	for k := range names {
		*dst[k] = nil
		if !seen[k] {
			continue
		}
		v := body[at[k][0]:at[k][1]]
		vals[k] = ""
		for _, s := range known {
			if string(v) == s {
				vals[k] = s
			}
		}
		if vals[k] == "" && len(v) > 0 {
			vals[k] = string(v)
		}
		*dst[k] = &vals[k]
	}
	return true
}

// plainString reads the JSON string at body[i] when it has only printable ASCII and no
// escape: its contents, and the index after its closing quote.
func plainString(body []byte, i int) ([]byte, int, bool) {
	if i >= len(body) || body[i] != '"' {
		return nil, 0, false
	}
	j := i + 1
	for j < len(body) && plainByte[body[j]] {
		j++
	}
	if j == len(body) || body[j] != '"' {
		return nil, 0, false
	}
	return body[i+1 : j], j + 1, true
}

// plainByte is the bytes a plain string holds: printable ASCII but the quote and the
// backslash.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// skipSpace is the index of the first byte at or after i that is not JSON whitespace.
func skipSpace(body []byte, i int) int {
	for i < len(body) && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r') {
		i++
	}
	return i
}

func indexOf(names []string, name []byte) int {
	for k, n := range names {
		if n == string(name) {
			return k
		}
	}
	return -1
}
