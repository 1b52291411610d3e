package iam

import "testing"

// TestOperatorTable pins the condition operators the IAM User Guide lists, each to its
// kind, comparison and negation: the table builds the numeric and date families.
func TestOperatorTable(t *testing.T) {
	want := map[string]operator{
		"stringequals": {kind: opString}, "stringnotequals": {kind: opString, negate: true},
		"stringequalsignorecase": {kind: opStringIgnoreCase}, "stringnotequalsignorecase": {kind: opStringIgnoreCase, negate: true},
		"stringlike": {kind: opStringLike}, "stringnotlike": {kind: opStringLike, negate: true},
		"bool": {kind: opBool}, "binaryequals": {kind: opBinary}, "null": {kind: opNull},
		"ipaddress": {kind: opIP}, "notipaddress": {kind: opIP, negate: true},
		"arnequals": {kind: opArn}, "arnlike": {kind: opArn}, "arnnotequals": {kind: opArn, negate: true}, "arnnotlike": {kind: opArn, negate: true},
	}
	for family, kind := range map[string]opKind{"Numeric": opNumeric, "Date": opDate} {
		for name, op := range map[string]operator{"Equals": {}, "NotEquals": {negate: true}, "LessThan": {cmp: cmpLt},
			"LessThanEquals": {cmp: cmpLe}, "GreaterThan": {cmp: cmpGt}, "GreaterThanEquals": {cmp: cmpGe}} {
			op.kind = kind
			want[family+name] = op
		}
	}
	if len(operators) != len(want) {
		t.Errorf("%d operators, want %d", len(operators), len(want))
	}
	for name, w := range want {
		got, set, ifExists, err := parseOperator(name + "IfExists")
		if name == "null" {
			got, set, ifExists, err = parseOperator(name)
			ifExists = true
		}
		if err != nil || got != w || set != setNone || !ifExists {
			t.Errorf("parseOperator(%sIfExists) = %+v, %v, %v, %v; want %+v", name, got, set, ifExists, err, w)
		}
	}
}
