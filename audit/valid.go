package audit

// validJSON reports whether in is one JSON value nesting at most MaxDepth deep: what
// encoding/json.Valid accepts (RFC 8259; inside strings any byte but a control
// character, UTF-8 not checked), less what Scrub omits for its depth anyway. It is
// json.Valid without a scanner's call per byte (and the pool the scanner comes from):
// every request body Build records is checked, and json.Valid cost several times
// scrubbing a small body.
func validJSON(in []byte) bool {
	var objects uint64 // bit d: the container at depth d+1 (from the innermost) is an object
	depth, i := 0, 0
	for {
		// A value starts at i, after spaces.
		if i = skipSpace(in, i); i == len(in) {
			return false
		}
		switch c := in[i]; c {
		case '{', '[':
			if depth == MaxDepth {
				return false
			}
			depth++
			objects <<= 1
			if c == '{' {
				objects |= 1
			}
			i = skipSpace(in, i+1)
			if i < len(in) && in[i] == c+2 { // '}' and ']' follow '{' and '[' by two
				depth--
				objects >>= 1
				i++
				break
			}
			if c == '{' {
				if i = validMember(in, i); i < 0 {
					return false
				}
			}
			continue // the container's first value
		case '"':
			i = validString(in, i)
		case 't':
			i = validLiteral(in, i, "true")
		case 'f':
			i = validLiteral(in, i, "false")
		case 'n':
			i = validLiteral(in, i, "null")
		default:
			i = validNumber(in, i)
		}
		if i < 0 {
			return false
		}
		// After a value: the end, a comma and the next value, or the container's end.
		for {
			i = skipSpace(in, i)
			if depth == 0 {
				return i == len(in)
			}
			if i == len(in) {
				return false
			}
			object := objects&1 == 1
			if in[i] == ',' {
				if i++; object {
					if i = validMember(in, skipSpace(in, i)); i < 0 {
						return false
					}
				}
				break
			}
			if object && in[i] != '}' || !object && in[i] != ']' {
				return false
			}
			depth--
			objects >>= 1
			i++
		}
	}
}

// validMember returns the index past a member's name and colon starting at i, or -1.
func validMember(in []byte, i int) int {
	if i == len(in) || in[i] != '"' {
		return -1
	}
	if i = validString(in, i); i < 0 {
		return -1
	}
	if i = skipSpace(in, i); i == len(in) || in[i] != ':' {
		return -1
	}
	return i + 1
}

// plainString is the bytes a string holds as they are: all but control characters, the
// quote and the backslash.
var plainString = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// validString returns the index past the string starting at in[i] == '"', or -1.
func validString(in []byte, i int) int {
	for i++; i < len(in); i++ {
		if plainString[in[i]] {
			continue
		}
		switch c := in[i]; {
		case c == '"':
			return i + 1
		case c < 0x20:
			return -1
		case c == '\\':
			if i++; i == len(in) {
				return -1
			}
			switch in[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(in) {
					return -1
				}
				for _, h := range in[i+1 : i+5] {
					if unhex(h) > 15 && (h < 'A' || 'F' < h) {
						return -1
					}
				}
				i += 4
			default:
				return -1
			}
		}
	}
	return -1
}

// validLiteral returns the index past lit at in[i], or -1.
func validLiteral(in []byte, i int, lit string) int {
	if len(in)-i < len(lit) || string(in[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

// validNumber returns the index past the number starting at i, or -1:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(in []byte, i int) int {
	if i < len(in) && in[i] == '-' {
		i++
	}
	switch {
	case i == len(in):
		return -1
	case in[i] == '0':
		i++
	case '1' <= in[i] && in[i] <= '9':
		i = digits(in, i+1)
	default:
		return -1
	}
	if i < len(in) && in[i] == '.' {
		if j := digits(in, i+1); j > i+1 {
			i = j
		} else {
			return -1
		}
	}
	if i < len(in) && (in[i] == 'e' || in[i] == 'E') {
		i++
		if i < len(in) && (in[i] == '+' || in[i] == '-') {
			i++
		}
		if j := digits(in, i); j > i {
			i = j
		} else {
			return -1
		}
	}
	return i
}

func digits(in []byte, i int) int {
	for i < len(in) && '0' <= in[i] && in[i] <= '9' {
		i++
	}
	return i
}
