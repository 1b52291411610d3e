package iam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// The policy language versions IAM accepts. Policy variables are substituted only in
// Version2012; a document without a Version is read as Version2008, as IAM does.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// MaxPolicySize is the largest document Parse reads, in bytes. IAM's own quotas are
// smaller (2,048 characters for a user's inline policies in total, 6,144 for a managed
// policy, whitespace excluded); the caller applies the quota of the policy kind it stores.
const MaxPolicySize = 64 << 10

// Policy is a parsed identity-based (or session) policy: every pattern is compiled.
type Policy struct {
	// Name identifies the policy in decisions (the caller's name for it).
	Name       string
	Version    string
	ID         string
	Statements []Statement
}

// Effect is a statement's Effect.
type Effect bool

const (
	Deny  Effect = false
	Allow Effect = true
)

func (e Effect) String() string {
	if e == Allow {
		return "Allow"
	}
	return "Deny"
}

// Statement is one compiled statement.
type Statement struct {
	Sid    string
	Effect Effect

	// Exactly one of Action and NotAction is set, and one of Resource and NotResource.
	Action, NotAction     []string
	Resource, NotResource []string

	actions    []glob
	notAction  bool
	resources  []resPattern
	notRes     bool
	conditions []condition
}

type resPattern struct {
	arn arnGlob
	tpl *template
}

func (r *resPattern) match(s string, ctx *Context) bool {
	if r.tpl != nil {
		var buf [128]rune
		p, ok := r.tpl.resolve(ctx, buf[:0])
		return ok && matchARNRunes(p, s)
	}
	return r.arn.match(s)
}

// MalformedPolicyError is a refused document; its message says what is wrong, in IAM's
// words where IAM has them (MalformedPolicyDocument).
type MalformedPolicyError struct {
	// Statement is the index of the offending statement, -1 for the document itself.
	Statement int
	Message   string
}

func (e *MalformedPolicyError) Error() string {
	if e.Statement < 0 {
		return e.Message
	}
	return fmt.Sprintf("Statement %d: %s", e.Statement, e.Message)
}

func malformed(stmt int, format string, args ...any) error {
	return &MalformedPolicyError{Statement: stmt, Message: fmt.Sprintf(format, args...)}
}

// Parse reads and compiles a policy document. Element names are case-sensitive, as in
// IAM's grammar (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html);
// an unknown element, a statement with both Action and NotAction (or Resource and
// NotResource) or neither, a missing or invalid Effect, an unknown condition operator or a
// condition value the operator cannot read is refused with a *MalformedPolicyError.
func Parse(doc []byte) (*Policy, error) {
	if len(doc) > MaxPolicySize {
		return nil, malformed(-1, "Cannot exceed quota for PolicySize: %d", MaxPolicySize)
	}
	var top map[string]json.RawMessage
	if err := strictUnmarshal(doc, &top); err != nil || top == nil {
		return nil, malformed(-1, "Syntax errors in policy.")
	}
	p := &Policy{Version: Version2008}
	for _, name := range sortedKeys(top) {
		raw := top[name]
		switch name {
		case "Version":
			if err := json.Unmarshal(raw, &p.Version); err != nil ||
				(p.Version != Version2012 && p.Version != Version2008) {
				return nil, malformed(-1, "The policy failed legacy parsing: Version must be %q or %q", Version2012, Version2008)
			}
		case "Id":
			if err := json.Unmarshal(raw, &p.ID); err != nil {
				return nil, malformed(-1, "Id must be a string")
			}
		case "Statement":
		default:
			return nil, malformed(-1, "Policy document contains an unknown element %q", name)
		}
	}
	raw, ok := top["Statement"]
	if !ok {
		return nil, malformed(-1, "Missing required field Statement")
	}
	var stmts []json.RawMessage
	if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		stmts = []json.RawMessage{raw}
	} else if err := json.Unmarshal(raw, &stmts); err != nil {
		return nil, malformed(-1, "Statement must be an object or an array of objects")
	}
	if len(stmts) == 0 {
		return nil, malformed(-1, "Statement must not be empty")
	}
	sids := make(map[string]bool)
	for i, s := range stmts {
		st, err := parseStatement(i, s, p.Version == Version2012)
		if err != nil {
			return nil, err
		}
		if st.Sid != "" {
			if sids[st.Sid] {
				return nil, malformed(i, "Statement IDs (SID) in a single policy must be unique: %q", st.Sid)
			}
			sids[st.Sid] = true
		}
		p.Statements = append(p.Statements, st)
	}
	return p, nil
}

// strictUnmarshal refuses trailing data after the JSON value.
func strictUnmarshal(doc []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data")
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func parseStatement(i int, raw json.RawMessage, variables bool) (Statement, error) {
	var st Statement
	var el map[string]json.RawMessage
	if err := json.Unmarshal(raw, &el); err != nil || el == nil {
		return st, malformed(i, "a statement must be a JSON object")
	}
	for _, name := range sortedKeys(el) {
		switch name {
		case "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition":
		case "Principal", "NotPrincipal":
			return st, malformed(i, "Has prohibited field %s", name)
		default:
			return st, malformed(i, "Statement contains an unknown element %q", name)
		}
	}
	if raw, ok := el["Sid"]; ok {
		if err := json.Unmarshal(raw, &st.Sid); err != nil {
			return st, malformed(i, "Sid must be a string")
		}
		for _, r := range st.Sid {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return st, malformed(i, "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*")
			}
		}
	}
	var effect string
	if raw, ok := el["Effect"]; !ok {
		return st, malformed(i, "Missing required field Effect")
	} else if err := json.Unmarshal(raw, &effect); err != nil || (effect != "Allow" && effect != "Deny") {
		return st, malformed(i, "Invalid effect: Effect must be \"Allow\" or \"Deny\"")
	}
	st.Effect = effect == "Allow"

	var err error
	if st.Action, st.NotAction, err = pair(i, el, "Action", "NotAction"); err != nil {
		return st, err
	}
	st.notAction = st.NotAction != nil
	for _, a := range append(st.Action, st.NotAction...) {
		if a != "*" && !validVendor(a) {
			return st, malformed(i, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.: %q", a)
		}
		st.actions = append(st.actions, compileGlob(a, true))
	}
	if st.Resource, st.NotResource, err = pair(i, el, "Resource", "NotResource"); err != nil {
		return st, err
	}
	st.notRes = st.NotResource != nil
	for _, r := range append(st.Resource, st.NotResource...) {
		if r != "*" && !strings.HasPrefix(r, "arn:") {
			return st, malformed(i, "Resource %s must be in ARN format or \"*\".", r)
		}
		rp := resPattern{arn: compileARN(r)}
		if variables {
			rp.tpl = parseTemplate(r)
		}
		st.resources = append(st.resources, rp)
	}
	if raw, ok := el["Condition"]; ok {
		if st.conditions, err = parseConditions(i, raw, variables); err != nil {
			return st, err
		}
	}
	return st, nil
}

// validVendor reports whether an action names its service: "chime:CreateUser", "chime:*".
func validVendor(a string) bool {
	vendor, name, ok := strings.Cut(a, ":")
	return ok && vendor != "" && name != "" && !strings.ContainsAny(vendor, "*? ")
}

// pair reads a statement's Action/NotAction (or Resource/NotResource): exactly one of them,
// a string or a non-empty array of strings.
func pair(i int, el map[string]json.RawMessage, name, notName string) (pos, neg []string, err error) {
	rawPos, hasPos := el[name]
	rawNeg, hasNeg := el[notName]
	switch {
	case hasPos && hasNeg:
		return nil, nil, malformed(i, "A statement cannot have both %s and %s", name, notName)
	case !hasPos && !hasNeg:
		return nil, nil, malformed(i, "Missing required field %s", name)
	case hasPos:
		pos, err = stringList(i, name, rawPos)
		return pos, nil, err
	}
	neg, err = stringList(i, notName, rawNeg)
	return nil, neg, err
}

func stringList(i int, name string, raw json.RawMessage) ([]string, error) {
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		if one == "" {
			return nil, malformed(i, "%s must not be empty", name)
		}
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil || many == nil {
		return nil, malformed(i, "%s must be a string or an array of strings", name)
	}
	if len(many) == 0 {
		return nil, malformed(i, "%s must not be empty", name)
	}
	for _, s := range many {
		if s == "" {
			return nil, malformed(i, "%s must not contain an empty string", name)
		}
	}
	return many, nil
}

// parseConditions reads Condition: operator -> key -> value or values.
func parseConditions(i int, raw json.RawMessage, variables bool) ([]condition, error) {
	var block map[string]json.RawMessage
	if err := json.Unmarshal(raw, &block); err != nil || block == nil {
		return nil, malformed(i, "Condition must be an object of condition operators")
	}
	var out []condition
	for _, opName := range sortedKeys(block) {
		op, set, ifExists, err := parseOperator(opName)
		if err != nil {
			return nil, malformed(i, "%s", err.Error())
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(block[opName], &keys); err != nil || keys == nil {
			return nil, malformed(i, "Condition %s must be an object of condition keys", opName)
		}
		if len(keys) == 0 {
			return nil, malformed(i, "Condition %s has no condition key", opName)
		}
		for _, key := range sortedKeys(keys) {
			if !validVendor(key) {
				return nil, malformed(i, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.: %q", key)
			}
			vals, err := conditionValues(keys[key])
			if err != nil {
				return nil, malformed(i, "Condition %s %s: %s", opName, key, err.Error())
			}
			c := condition{opName: opName, keyName: key, key: strings.ToLower(key), op: op, ifExists: ifExists, set: set}
			for _, v := range vals {
				cv, err := compileValue(op, v, variables)
				if err != nil {
					return nil, malformed(i, "%s", err.Error())
				}
				c.values = append(c.values, cv)
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// conditionValues reads a condition's value: a string, number or boolean, or a non-empty
// array of them. Numbers keep their JSON text.
func conditionValues(raw json.RawMessage) ([]string, error) {
	var one any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&one); err != nil {
		return nil, err
	}
	scalar := func(v any) (string, bool) {
		switch x := v.(type) {
		case string:
			return x, true
		case json.Number:
			return x.String(), true
		case bool:
			return fmt.Sprint(x), true
		}
		return "", false
	}
	if s, ok := scalar(one); ok {
		return []string{s}, nil
	}
	arr, ok := one.([]any)
	if !ok {
		return nil, fmt.Errorf("a condition value must be a string, number, boolean or an array of them")
	}
	if len(arr) == 0 {
		return nil, fmt.Errorf("a condition needs at least one value")
	}
	out := make([]string, 0, len(arr))
	for _, v := range arr {
		s, ok := scalar(v)
		if !ok {
			return nil, fmt.Errorf("a condition value must be a string, number or boolean")
		}
		out = append(out, s)
	}
	return out, nil
}
