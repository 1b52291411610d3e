package httpx

import "strings"

// Sentence builds a message the faces send from fixed words and values: each "{}" in
// format is the next value, inserted as it is. An empty value leaves out its "{}" with one
// space beside it, and a ':' or ',' that would be left hanging before the end of a
// clause, so a message about an empty value ("The enrollment {} of user {} was not
// found.") reads "The enrollment of user ... was not found.", with no double space or
// "account: ." in it. Every face words its errors through it, so the rule is kept once.
func Sentence(format string, values ...string) string {
	var b strings.Builder
	b.Grow(len(format) + 16*len(values))
	next := 0
	for {
		i := strings.Index(format, "{}")
		if i < 0 {
			b.WriteString(format)
			return b.String()
		}
		b.WriteString(format[:i])
		format = format[i+2:]
		v := ""
		if next < len(values) {
			v = values[next]
		}
		next++
		if v != "" {
			b.WriteString(v)
			continue
		}
		// Leave out the space before the value, or, at the start, the one after it.
		if s := b.String(); strings.HasSuffix(s, " ") {
			b.Reset()
			b.WriteString(s[:len(s)-1])
		} else if strings.HasPrefix(format, " ") {
			format = format[1:]
		}
		// A ':' or ',' that introduced the value now introduces nothing.
		if s := b.String(); (strings.HasSuffix(s, ":") || strings.HasSuffix(s, ",")) && endsClause(format) {
			b.Reset()
			b.WriteString(s[:len(s)-1])
		}
	}
}

// endsClause reports whether rest, what follows a left-out value, ends its clause.
func endsClause(rest string) bool {
	return rest == "" || strings.ContainsRune(".;)]", rune(rest[0]))
}
