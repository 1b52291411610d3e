package iam

import (
	"strings"
)

// template is a pattern with policy variables (${aws:username}), resolved per request.
// Source: "IAM policy elements: Variables and tags", IAM User Guide
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
// variables work in the Resource element and in string comparisons of the Condition
// element, only with Version 2012-10-17; ${*}, ${?} and ${$} stand for the literal
// characters; ${key, 'default'} gives a default for a key that is absent; a key that is
// absent without a default makes the element not match.
type template struct {
	parts []tplPart
}

type tplPart struct {
	lit  string // literal text, wildcards included (when key is empty)
	key  string // lower-cased context key
	def  string // default value
	hasD bool
}

// parseTemplate returns nil when p has no variable.
func parseTemplate(p string) *template {
	if !strings.Contains(p, "${") {
		return nil
	}
	t := &template{}
	for p != "" {
		i := strings.Index(p, "${")
		if i < 0 {
			t.parts = append(t.parts, tplPart{lit: p})
			break
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			t.parts = append(t.parts, tplPart{lit: p})
			break
		}
		if i > 0 {
			t.parts = append(t.parts, tplPart{lit: p[:i]})
		}
		inner := strings.TrimSpace(p[i+2 : i+j])
		p = p[i+j+1:]
		switch inner {
		case "*", "?", "$":
			// A literal character: kept out of the wildcard set by being a key-less
			// resolved value.
			t.parts = append(t.parts, tplPart{key: "", def: inner, hasD: true})
			continue
		}
		part := tplPart{}
		if k, d, ok := strings.Cut(inner, ","); ok {
			d = strings.TrimSpace(d)
			if len(d) >= 2 && d[0] == '\'' && d[len(d)-1] == '\'' {
				part.def, part.hasD = d[1:len(d)-1], true
			}
			inner = strings.TrimSpace(k)
		}
		part.key = strings.ToLower(inner)
		t.parts = append(t.parts, part)
	}
	return t
}

// resolve appends the pattern's runes for ctx to runes: literal parts keep their
// wildcards, resolved values are literal. ok is false when a variable cannot be resolved.
// Callers pass a stack buffer, so a short pattern costs no allocation.
func (t *template) resolve(ctx *Context, runes []rune) ([]rune, bool) {
	for _, p := range t.parts {
		switch {
		case p.lit != "":
			for _, r := range p.lit {
				switch r {
				case '*':
					r = wildStar
				case '?':
					r = wildQmark
				}
				runes = append(runes, r)
			}
			continue
		case p.key == "":
			runes = appendRunes(runes, p.def)
			continue
		}
		v, present := ctx.lookup(p.key)
		switch {
		case present && len(v) == 1:
			runes = appendRunes(runes, v[0])
		case !present && p.hasD:
			runes = appendRunes(runes, p.def)
		default:
			return nil, false
		}
	}
	return runes, true
}

func appendRunes(runes []rune, s string) []rune {
	for _, r := range s {
		runes = append(runes, r)
	}
	return runes
}

// resolveLiteral is resolve for exact comparisons: the text with variables substituted.
func (t *template) resolveLiteral(ctx *Context) (string, bool) {
	var b strings.Builder
	for _, p := range t.parts {
		switch {
		case p.lit != "":
			b.WriteString(p.lit)
			continue
		case p.key == "":
			b.WriteString(p.def)
			continue
		}
		v, present := ctx.lookup(p.key)
		switch {
		case present && len(v) == 1:
			b.WriteString(v[0])
		case !present && p.hasD:
			b.WriteString(p.def)
		default:
			return "", false
		}
	}
	return b.String(), true
}

// matchARNRunes is arnGlob.match for a resolved template: segments split on literal colons.
func matchARNRunes(p []rune, s string) bool {
	if len(p) == 1 && p[0] == wildStar {
		return true
	}
	if s == "*" {
		return false
	}
	for seg := 0; ; seg++ {
		i := indexRune(p, ':')
		if seg == arnSegments-1 || i < 0 {
			return matchRunes(p, s, false)
		}
		part, rest, ok := strings.Cut(s, ":")
		if !ok || !matchRunes(p[:i], part, false) {
			return false
		}
		p, s = p[i+1:], rest
	}
}

func indexRune(p []rune, r rune) int {
	for i, x := range p {
		if x == r {
			return i
		}
	}
	return -1
}
