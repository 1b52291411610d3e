package jsonstr

import "unicode/utf8"

const hexDigits = "0123456789abcdef"

// Append appends s as a JSON string, byte for byte as encoding/json does: quotes,
// backslashes, control characters, U+2028, U+2029 and <, >, & escaped, invalid UTF-8
// replaced by U+FFFD.
func Append(b []byte, s string) []byte {
	// Most strings are printable ASCII with nothing to escape: find how much of s is,
	// eight bytes a step (the loop's own work is most of the check's), and copy it whole.
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		if !(plain[w[0]] && plain[w[1]] && plain[w[2]] && plain[w[3]] && plain[w[4]] && plain[w[5]] && plain[w[6]] && plain[w[7]]) {
			break
		}
	}
	for i < len(s) && plain[s[i]] {
		i++
	}
	b = append(b, '"')
	start := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if plain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plain is the bytes encoding/json writes as they are in a string: printable ASCII but
// the quote, the backslash and the HTML characters it escapes.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()
