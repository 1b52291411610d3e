package iam

import (
	"encoding/base64"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// The condition operators, from "IAM JSON policy elements: Condition operators", IAM User
// Guide (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
type opKind uint8

const (
	opString opKind = iota
	opStringIgnoreCase
	opStringLike
	opNumeric
	opDate
	opBool
	opBinary
	opIP
	opArn
	opNull
)

type cmpKind uint8

const (
	cmpEq cmpKind = iota
	cmpLt
	cmpLe
	cmpGt
	cmpGe
)

type setQualifier uint8

const (
	setNone setQualifier = iota
	setForAll
	setForAny
)

type operator struct {
	kind   opKind
	cmp    cmpKind
	negate bool
}

var operators = func() map[string]operator {
	ops := map[string]operator{
		"stringequals":              {kind: opString},
		"stringnotequals":           {kind: opString, negate: true},
		"stringequalsignorecase":    {kind: opStringIgnoreCase},
		"stringnotequalsignorecase": {kind: opStringIgnoreCase, negate: true},
		"stringlike":                {kind: opStringLike},
		"stringnotlike":             {kind: opStringLike, negate: true},
		"bool":                      {kind: opBool},
		"binaryequals":              {kind: opBinary},
		"ipaddress":                 {kind: opIP},
		"notipaddress":              {kind: opIP, negate: true},
		"arnequals":                 {kind: opArn},
		"arnlike":                   {kind: opArn},
		"arnnotequals":              {kind: opArn, negate: true},
		"arnnotlike":                {kind: opArn, negate: true},
		"null":                      {kind: opNull},
	}
	// The numeric and date operators are one family each with the same six comparisons:
	// NumericEquals, NumericNotEquals, NumericLessThan, ..., DateGreaterThanEquals.
	for prefix, kind := range map[string]opKind{"numeric": opNumeric, "date": opDate} {
		for suffix, op := range map[string]operator{
			"equals": {cmp: cmpEq}, "notequals": {cmp: cmpEq, negate: true},
			"lessthan": {cmp: cmpLt}, "lessthanequals": {cmp: cmpLe},
			"greaterthan": {cmp: cmpGt}, "greaterthanequals": {cmp: cmpGe},
		} {
			op.kind = kind
			ops[prefix+suffix] = op
		}
	}
	return ops
}()

// condition is one operator and key of a Condition block, with its values compiled.
type condition struct {
	opName   string // as written, for reasons
	keyName  string // as written
	key      string // lower-cased
	op       operator
	ifExists bool
	set      setQualifier
	values   []condValue
}

type condValue struct {
	raw    string
	tpl    *template // string and ARN values with policy variables
	glob   glob      // StringLike
	arn    arnGlob   // Arn*
	num    float64
	t      time.Time
	prefix netip.Prefix
	b      bool
}

// parseOperator splits "ForAnyValue:StringLikeIfExists" into its parts. Operator names are
// matched without regard to case.
func parseOperator(name string) (operator, setQualifier, bool, error) {
	rest := name
	set := setNone
	if q, r, ok := strings.Cut(name, ":"); ok {
		switch strings.ToLower(q) {
		case "forallvalues":
			set = setForAll
		case "foranyvalue":
			set = setForAny
		default:
			return operator{}, 0, false, fmt.Errorf("Invalid Condition type : %s", name)
		}
		rest = r
	}
	lower := strings.ToLower(rest)
	ifExists := false
	if base, ok := strings.CutSuffix(lower, "ifexists"); ok {
		lower, ifExists = base, true
	}
	op, ok := operators[lower]
	if !ok || (op.kind == opNull && (ifExists || set != setNone)) {
		return operator{}, 0, false, fmt.Errorf("Invalid Condition type : %s", name)
	}
	return op, set, ifExists, nil
}

// compileValue checks and pre-computes one policy value for its operator.
func compileValue(op operator, raw string, variables bool) (condValue, error) {
	v := condValue{raw: raw}
	switch op.kind {
	case opString, opStringIgnoreCase:
		if variables {
			v.tpl = parseTemplate(raw)
		}
	case opStringLike:
		if variables {
			v.tpl = parseTemplate(raw)
		}
		v.glob = compileGlob(raw, false)
	case opArn:
		if variables {
			v.tpl = parseTemplate(raw)
		}
		v.arn = compileARN(raw)
	case opNumeric:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(f) {
			return v, fmt.Errorf("Invalid numeric value %q in Condition", raw)
		}
		v.num = f
	case opDate:
		t, ok := parseDate(raw)
		if !ok {
			return v, fmt.Errorf("Invalid date value %q in Condition: use ISO 8601 (2006-01-02T15:04:05Z) or epoch seconds", raw)
		}
		v.t = t
	case opBool, opNull:
		switch strings.ToLower(raw) {
		case "true":
			v.b = true
		case "false":
		default:
			return v, fmt.Errorf("Invalid boolean value %q in Condition: use true or false", raw)
		}
	case opBinary:
		b, err := base64.StdEncoding.DecodeString(raw)
		if err != nil {
			return v, fmt.Errorf("Invalid base64 value %q in BinaryEquals", raw)
		}
		v.raw = string(b)
	case opIP:
		p, err := parsePrefix(raw)
		if err != nil {
			return v, fmt.Errorf("Invalid IP address or CIDR %q in Condition", raw)
		}
		v.prefix = p
	}
	return v, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return p, err
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02"}

// parseDate reads the date forms AWS accepts: ISO 8601 (with or without time) or epoch
// seconds (aws:EpochTime).
func parseDate(s string) (time.Time, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// eval applies the condition to the request context, with AWS's rules for missing keys:
// a positive operator on a missing key is false, a negated one is true, ...IfExists is
// true; ForAllValues is true on a missing or empty key, ForAnyValue false; Null tests
// presence. Several policy values for one key are OR'd (NOR for negated operators).
func (c *condition) eval(ctx *Context) bool {
	vals, present := ctx.lookup(c.key)
	if c.op.kind == opNull {
		for i := range c.values {
			if c.values[i].b != present {
				return true
			}
		}
		return false
	}
	if !present {
		switch {
		case c.ifExists, c.set == setForAll:
			return true
		case c.set == setForAny:
			return false
		}
		return c.op.negate
	}
	switch c.set {
	case setForAll:
		for _, v := range vals {
			if c.matchAny(v, ctx) == c.op.negate {
				return false
			}
		}
		return true
	case setForAny:
		for _, v := range vals {
			if c.matchAny(v, ctx) != c.op.negate {
				return true
			}
		}
		return false
	}
	// A single-valued operator: true when any context value matches any policy value;
	// negated, when none does.
	for _, v := range vals {
		if c.matchAny(v, ctx) {
			return !c.op.negate
		}
	}
	return c.op.negate
}

// matchAny reports whether the context value s matches one of the policy values, in the
// operator's positive sense.
func (c *condition) matchAny(s string, ctx *Context) bool {
	switch c.op.kind {
	case opNumeric:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return false
		}
		for i := range c.values {
			if compare(c.op.cmp, cmpFloat(f, c.values[i].num)) {
				return true
			}
		}
		return false
	case opDate:
		t, ok := parseDate(s)
		if !ok {
			return false
		}
		for i := range c.values {
			if compare(c.op.cmp, t.Compare(c.values[i].t)) {
				return true
			}
		}
		return false
	case opIP:
		a, err := netip.ParseAddr(s)
		if err != nil {
			return false
		}
		a = a.Unmap()
		for i := range c.values {
			if c.values[i].prefix.Contains(a) {
				return true
			}
		}
		return false
	}
	for i := range c.values {
		if c.values[i].match(c.op.kind, s, ctx) {
			return true
		}
	}
	return false
}

func (v *condValue) match(kind opKind, s string, ctx *Context) bool {
	if v.tpl != nil {
		var buf [128]rune
		switch kind {
		case opString, opStringIgnoreCase:
			want, ok := v.tpl.resolveLiteral(ctx)
			if !ok {
				return false
			}
			if kind == opString {
				return want == s
			}
			return strings.EqualFold(want, s)
		case opStringLike:
			p, ok := v.tpl.resolve(ctx, buf[:0])
			return ok && matchRunes(p, s, false)
		case opArn:
			p, ok := v.tpl.resolve(ctx, buf[:0])
			return ok && matchARNRunes(p, s)
		}
	}
	switch kind {
	case opString, opBinary:
		return v.raw == s
	case opStringIgnoreCase:
		return strings.EqualFold(v.raw, s)
	case opStringLike:
		return v.glob.match(s)
	case opArn:
		return v.arn.match(s)
	case opBool:
		return strings.EqualFold(s, strconv.FormatBool(v.b))
	}
	return false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func compare(k cmpKind, c int) bool {
	switch k {
	case cmpLt:
		return c < 0
	case cmpLe:
		return c <= 0
	case cmpGt:
		return c > 0
	case cmpGe:
		return c >= 0
	}
	return c == 0
}
