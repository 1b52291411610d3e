package validate

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Rule is the constraint set of one string or number member.
type Rule struct {
	Path      string // the member as messages name it, e.g. "userId" or "storageRule.storageType"
	Required  bool
	MinLen    int // in UTF-16 code units, as the services count (Java string length)
	MaxLen    int // 0 = no maximum
	Pattern   *Pattern
	Enum      []string
	Min, Max  *int64 // numeric range
	Sensitive bool   // never echo the value (passwords)
}

// Pattern is a regular expression from a reference page, matched against the whole
// value, with its text as the page gives it (for messages).
type Pattern struct {
	Text  string
	re    *regexp.Regexp
	match func(string) bool // a linear check of the same language, when there is one
}

// MustPattern compiles a reference-page pattern (Java syntax) for Go. It translates the
// Java-only forms the pages use: \p{IsLetter} and \uXXXX. The patterns requests meet on
// every call are matched by hand-written checks of the same language (see linear), which
// also take repeats longer than Go's regexp does (1000).
func MustPattern(javaPattern string) *Pattern {
	if match, ok := linear[javaPattern]; ok {
		return &Pattern{Text: javaPattern, match: match} // its test compiles the regexp
	}
	return &Pattern{Text: javaPattern, re: compile(javaPattern)}
}

// compile translates a reference-page pattern to Go and anchors it at both ends.
func compile(javaPattern string) *regexp.Regexp {
	goPattern := strings.ReplaceAll(javaPattern, `\p{IsLetter}`, `\p{L}`)
	goPattern = javaUnicodeEscape.ReplaceAllString(goPattern, `\x{$1}`)
	return regexp.MustCompile(`^(?:` + goPattern + `)$`)
}

var javaUnicodeEscape = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`)

// Match reports whether s matches the whole pattern.
func (p *Pattern) Match(s string) bool {
	if p.match != nil {
		return p.match(s)
	}
	return p.re.MatchString(s)
}

// Int64 returns a pointer to n, for Rule.Min and Rule.Max.
func Int64(n int64) *int64 { return &n }

// Errors collects constraint failures in the order members were checked.
type Errors struct {
	list []string
}

// String checks a string member; nil means absent.
func (e *Errors) String(r Rule, v *string) {
	if v == nil {
		if r.Required {
			e.add(r, nil, "Member must not be null")
		}
		return
	}
	s := *v
	n := utf16Len(s)
	if n < r.MinLen {
		e.add(r, v, "Member must have length greater than or equal to "+strconv.Itoa(r.MinLen))
	}
	if r.MaxLen > 0 && n > r.MaxLen {
		e.add(r, v, "Member must have length less than or equal to "+strconv.Itoa(r.MaxLen))
	}
	if r.Pattern != nil && !r.Pattern.Match(s) {
		e.add(r, v, "Member must satisfy regular expression pattern: "+r.Pattern.Text)
	}
	if len(r.Enum) > 0 && !slices.Contains(r.Enum, s) {
		e.add(r, v, "Member must satisfy enum value set: ["+strings.Join(r.Enum, ", ")+"]")
	}
}

// Int checks a number member; nil means absent.
func (e *Errors) Int(r Rule, v *int64) {
	if v == nil {
		if r.Required {
			e.add(r, nil, "Member must not be null")
		}
		return
	}
	s := strconv.FormatInt(*v, 10)
	if r.Min != nil && *v < *r.Min {
		e.add(r, &s, "Member must have value greater than or equal to "+strconv.FormatInt(*r.Min, 10))
	}
	if r.Max != nil && *v > *r.Max {
		e.add(r, &s, "Member must have value less than or equal to "+strconv.FormatInt(*r.Max, 10))
	}
}

// Present checks that a structure or list member is there when required.
func (e *Errors) Present(r Rule, present bool) {
	if !present && r.Required {
		e.add(r, nil, "Member must not be null")
	}
}

// MaxItems checks a list member's length against the model's maximum.
func (e *Errors) MaxItems(path string, n, max int) {
	if n > max {
		e.Add(path, strconv.Itoa(n)+" items", "Member must have length less than or equal to "+strconv.Itoa(max))
	}
}

// Members walks a list of structures (or of optional values), naming each item
// <path>.<n>.member, counting from 1: a null item is reported missing and skipped, any
// other is handed to check with its path.
func Members[T any](e *Errors, path string, list []*T, check func(path string, item *T)) {
	for i, item := range list {
		p := path + "." + strconv.Itoa(i+1) + ".member"
		if item == nil {
			e.Present(Rule{Path: p, Required: true}, false)
			continue
		}
		check(p, item)
	}
}

// Add records a failure that is not one of the standard constraints.
func (e *Errors) Add(path, value, constraint string) {
	e.list = append(e.list, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", value, path, constraint))
}

func (e *Errors) add(r Rule, v *string, constraint string) {
	switch {
	case v == nil:
		e.list = append(e.list, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: %s", r.Path, constraint))
	case r.Sensitive:
		e.list = append(e.list, fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", r.Path, constraint))
	default:
		e.Add(r.Path, *v, constraint)
	}
}

// Len is the number of failures.
func (e *Errors) Len() int { return len(e.list) }

// Err returns nil when nothing failed, else an *Error with the AWS-worded message.
func (e *Errors) Err() error {
	if len(e.list) == 0 {
		return nil
	}
	noun := "error"
	if len(e.list) > 1 {
		noun = "errors"
	}
	return &Error{Message: fmt.Sprintf("%d validation %s detected: %s", len(e.list), noun, strings.Join(e.list, "; "))}
}

// Error is a validation failure; Message is what the client sees.
type Error struct{ Message string }

func (e *Error) Error() string { return e.Message }

// utf16Len is the length of s in UTF-16 code units, as Java counts it: two for a rune
// outside the Basic Multilingual Plane, one for any other (an invalid byte is U+FFFD).
func utf16Len(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			n = i
			for _, r := range s[i:] {
				n += utf16.RuneLen(r)
			}
			break
		}
	}
	return n
}
