package iam

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Wildcards of a compiled pattern; every other element is a literal rune.
const (
	wildStar  = -1 // * : any run of characters, empty included
	wildQmark = -2 // ? : exactly one character
)

// glob is a pattern with * and ? compiled once. A pattern without wildcards keeps its text
// in lit and is compared directly.
type glob struct {
	runes []rune // literal runes and wildcards; nil when the pattern has no wildcard
	lit   string // the pattern, lower-cased when fold is set
	any   bool   // the pattern is "*"
	fold  bool   // case-insensitive (actions); resources and string conditions are not
}

func compileGlob(p string, fold bool) glob {
	if fold {
		p = strings.ToLower(p)
	}
	g := glob{lit: p, fold: fold, any: p == "*"}
	if !strings.ContainsAny(p, "*?") {
		return g
	}
	g.runes = make([]rune, 0, len(p))
	for _, r := range p {
		switch r {
		case '*':
			g.runes = append(g.runes, wildStar)
		case '?':
			g.runes = append(g.runes, wildQmark)
		default:
			g.runes = append(g.runes, r)
		}
	}
	return g
}

func (g *glob) match(s string) bool {
	switch {
	case g.any:
		return true
	case g.runes == nil && g.fold:
		return strings.EqualFold(g.lit, s)
	case g.runes == nil:
		return g.lit == s
	}
	return matchRunes(g.runes, s, g.fold)
}

// matchRunes is the usual linear glob match with one backtracking point (the last star):
// no recursion, no allocation.
func matchRunes(p []rune, s string, fold bool) bool {
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		r, size := utf8.DecodeRuneInString(s[si:])
		if fold {
			r = unicode.ToLower(r)
		}
		switch {
		case pi < len(p) && (p[pi] == wildQmark || p[pi] == r):
			pi++
			si += size
		case pi < len(p) && p[pi] == wildStar:
			starP, starS = pi, si
			pi++
		case starP >= 0:
			_, n := utf8.DecodeRuneInString(s[starS:])
			starS += n
			pi, si = starP+1, starS
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == wildStar {
		pi++
	}
	return pi == len(p)
}

// arnGlob matches ARNs as IAM does: "*" matches everything; otherwise the pattern and the
// ARN are split on their first five colons (arn:partition:service:region:account:resource)
// and each segment is matched on its own, so a wildcard never spans a colon before the
// resource segment. A pattern with fewer segments matches its last segment against the
// rest of the ARN ("arn:aws:*" matches every aws ARN). The match is case-sensitive.
type arnGlob struct {
	any  bool
	segs []glob
}

const arnSegments = 6

func compileARN(p string) arnGlob {
	if p == "*" {
		return arnGlob{any: true}
	}
	parts := strings.SplitN(p, ":", arnSegments)
	a := arnGlob{segs: make([]glob, len(parts))}
	for i, part := range parts {
		a.segs[i] = compileGlob(part, false)
	}
	return a
}

func (a *arnGlob) match(s string) bool {
	if a.any {
		return true
	}
	// A request for an action without resource-level permissions names "*": only a
	// pattern that is "*" covers it.
	if s == "*" {
		return false
	}
	for i := range a.segs {
		if i == len(a.segs)-1 {
			return a.segs[i].match(s)
		}
		seg, rest, ok := strings.Cut(s, ":")
		if !ok || !a.segs[i].match(seg) {
			return false
		}
		s = rest
	}
	return true
}
