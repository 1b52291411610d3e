package validate

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// linear holds hand-written checks for the reference-page patterns that requests meet on
// every call. Each accepts exactly the language of the pattern it is keyed by, as
// MustPattern compiles it (anchored at both ends, Go's RE2 semantics: '.' is any rune
// but '\n', \s is [\t\n\f\r ], \w is [0-9A-Za-z_], an invalid UTF-8 byte is U+FFFD), in
// one pass and without allocating; linear_test.go checks each against the regexp on a
// corpus and under fuzzing. A pattern not listed here (or written differently) is matched
// by the regexp.
var linear = map[string]func(string) bool{
	// Amazon Chime.
	`.*\S.*`:    hasNonSpace,
	`.+@.+\..+`: chimeEmail,

	// Alexa for Business, CreateUser.
	`[a-zA-Z0-9][a-zA-Z0-9_-]*`: func(s string) bool { return s != "" && alnum.has(s[0]) && alnumDashUnder.all(s) },
	`([0-9a-zA-Z]([+-.\w]*[0-9a-zA-Z])*@([0-9a-zA-Z][-\w]*[0-9a-zA-Z]\.)+[a-zA-Z]{2,9})`: a4bEmail,
	`([A-Za-z\-' 0-9._]|\p{IsLetter})*`: func(s string) bool {
		return allRunes(s, func(r rune) bool { return a4bNameASCII.hasRune(r) || unicode.IsLetter(r) })
	},
	`[a-zA-Z0-9@_+.-]*`: a4bUserID.all,
	`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`: func(s string) bool {
		return allRunes(s, func(r rune) bool { return a4bTagASCII.hasRune(r) || unicode.In(r, unicode.L, unicode.Z, unicode.N) })
	},

	// Alexa for Business, the Arn of DeleteUser, TagResource, ListTags and the
	// invitations: the model's text, whose .{0,1023} Go's regexp cannot compile (it caps
	// a repeat at 1000); the regexp took 0.1 ms per value.
	`arn:[a-z0-9-\.]{1,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[^/].{0,1023}`: a4bArn,

	// Amazon WorkDocs, CreateUser and DescribeUsers.
	`[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}`: workDocsEmail,
	`[&\w+-.@]+`:       nonEmpty(workDocsOrganizationID.all),
	`[\u0020-\u00FF]+`: nonEmpty(runesIn(0x20, 0xFF)),
	`[\w\-+.]+(@[a-zA-Z0-9.\-]+\.[a-zA-Z]+)?`: workDocsUsername,
	`[&\w+-.@, ]+`:     nonEmpty(workDocsUserIDs.all),
	`[\u0020-\uFFFF]+`: nonEmpty(runesIn(0x20, 0xFFFF)),
	`[\w,]+`:           nonEmpty(wordComma.all),
}

// asciiSet is a set of ASCII bytes.
type asciiSet [2]uint64

// set returns the set of the bytes in members, where "a-z" stands for a range.
func set(members string) asciiSet {
	var as asciiSet
	for i := 0; i < len(members); i++ {
		lo, hi := members[i], members[i]
		if i+2 < len(members) && members[i+1] == '-' {
			hi = members[i+2]
			i += 2
		}
		for c := lo; c <= hi; c++ {
			as[c/64] |= 1 << (c % 64)
		}
	}
	return as
}

func (as *asciiSet) has(c byte) bool { return c < 128 && as[c/64]&(1<<(c%64)) != 0 }

func (as *asciiSet) hasRune(r rune) bool { return r < 128 && as.has(byte(r)) }

// all reports whether every byte of s is in the set (so s is ASCII).
func (as *asciiSet) all(s string) bool {
	for i := 0; i < len(s); i++ {
		if !as.has(s[i]) {
			return false
		}
	}
	return true
}

const word = "0-9A-Za-z_" // \w

var (
	letters                = set("a-zA-Z")
	alnum                  = set("0-9a-zA-Z")
	alnumDashUnder         = set("a-zA-Z0-9_-")
	wordDash               = set(word + "-")
	wordComma              = set(word + ",")
	a4bEmailLocal          = set("+-." + word)          // [+-.\w]: "+-." is the range + , - .
	a4bNameASCII           = set("A-Za-z' 0-9._-")      // [A-Za-z\-' 0-9._]
	a4bUserID              = set("a-zA-Z0-9@_+.-")      // [a-zA-Z0-9@_+.-]
	a4bTagASCII            = set("_.:/=+@-")            // the ASCII members besides \p{L}\p{Z}\p{N}
	workDocsEmailLocal     = set("a-zA-Z0-9._%+-")      // [a-zA-Z0-9._%+-]
	workDocsDomain         = set("a-zA-Z0-9.-")         // [a-zA-Z0-9.-], [a-zA-Z0-9.\-]
	workDocsUser           = set(word + "+.-")          // [\w\-+.]
	workDocsOrganizationID = set("&" + word + "+-.@")   // [&\w+-.@]: "+-." is the range + , - .
	arnField               = set("a-z0-9.-")            // [a-z0-9-\.]
	workDocsUserIDs        = set("&" + word + "+-.@, ") // [&\w+-.@, ]
)

func nonEmpty(f func(string) bool) func(string) bool {
	return func(s string) bool { return s != "" && f(s) }
}

// allRunes reports whether every rune of s, an invalid byte counting as U+FFFD, is ok.
func allRunes(s string, ok func(rune) bool) bool {
	for _, r := range s {
		if !ok(r) {
			return false
		}
	}
	return true
}

// runesIn returns a check that every rune of a string is in [lo, hi].
func runesIn(lo, hi rune) func(string) bool {
	return func(s string) bool { return allRunes(s, func(r rune) bool { return lo <= r && r <= hi }) }
}

// hasNonSpace is `.*\S.*`: no '\n', and one rune other than \t \f \r and space.
func hasNonSpace(s string) bool {
	found := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n':
			return false
		case '\t', '\f', '\r', ' ':
		default:
			found = true
		}
	}
	return found
}

// chimeEmail is `.+@.+\..+`: no '\n', and an '@' after the first rune followed, at least
// one rune later, by a '.' that is not last.
func chimeEmail(s string) bool {
	if len(s) < 5 || strings.IndexByte(s, '\n') >= 0 {
		return false
	}
	at := strings.IndexByte(s[1:], '@') + 1 // the earliest '@' that can end the first part
	dot := strings.LastIndexByte(s[:len(s)-1], '.')
	return at > 0 && dot >= at+2
}

// a4bEmail is `[0-9a-zA-Z]([+-.\w]*[0-9a-zA-Z])*@([0-9a-zA-Z][-\w]*[0-9a-zA-Z]\.)+[a-zA-Z]{2,9}`:
// a local part of [+-.\w] that begins and ends with a letter or digit; labels of at least
// two characters of [-\w] that begin and end with one, each followed by a dot; 2 to 9
// letters.
func a4bEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || !alnumEnds(local, 1) || !a4bEmailLocal.all(local) {
		return false
	}
	dot := strings.LastIndexByte(domain, '.')
	if dot < 0 {
		return false
	}
	if tld := domain[dot+1:]; len(tld) < 2 || len(tld) > 9 || !letters.all(tld) {
		return false
	}
	for labels, more := domain[:dot], true; more; {
		var label string
		label, labels, more = strings.Cut(labels, ".")
		if !alnumEnds(label, 2) || !wordDash.all(label) {
			return false
		}
	}
	return true
}

// alnumEnds reports whether s has at least min bytes and begins and ends with a letter
// or digit.
func alnumEnds(s string, min int) bool {
	return len(s) >= min && alnum.has(s[0]) && alnum.has(s[len(s)-1])
}

// workDocsEmail is `[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}`.
func workDocsEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && workDocsEmailLocal.all(local) && dottedDomain(domain, 2)
}

// workDocsUsername is `[\w\-+.]+(@[a-zA-Z0-9.\-]+\.[a-zA-Z]+)?`.
func workDocsUsername(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return local != "" && workDocsUser.all(local) && (!ok || dottedDomain(domain, 1))
}

// dottedDomain is `[a-zA-Z0-9.-]+\.[a-zA-Z]{min,}`: the part after the last dot is the
// letters, the part before it is not empty.
func dottedDomain(s string, min int) bool {
	dot := strings.LastIndexByte(s, '.')
	return dot > 0 && workDocsDomain.all(s) && len(s)-dot-1 >= min && letters.all(s[dot+1:])
}

// a4bArn is `arn:[a-z0-9-\.]{1,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[^/].{0,1023}`:
// four fields that hold no ':' (the first not empty), then a rune other than '/' and at
// most 1023 runes other than '\n'.
func a4bArn(s string) bool {
	rest, ok := strings.CutPrefix(s, "arn:")
	for i := 0; ok && i < 4; i++ {
		var field string
		field, rest, ok = strings.Cut(rest, ":")
		ok = ok && len(field) <= 63 && (i > 0 || field != "") && arnField.all(field)
	}
	if !ok || rest == "" {
		return false
	}
	first, size := utf8.DecodeRuneInString(rest)
	if first == '/' {
		return false
	}
	n := 0
	for _, r := range rest[size:] {
		if r == '\n' || n == 1023 {
			return false
		}
		n++
	}
	return true
}
