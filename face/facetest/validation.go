package facetest

import (
	"strconv"
	"strings"
)

// The wording of AWS validation errors, as the faces answer them (package validate), for
// the messages tests expect: Detected(Failure("x", "userId", MaxLen(1)), Null("email")).

// Detected is the message of a request that failed validation: "1 validation error
// detected: " or "2 validation errors detected: ", then the failures, joined by "; ".
func Detected(failures ...string) string {
	noun := "error"
	if len(failures) > 1 {
		noun = "errors"
	}
	return strconv.Itoa(len(failures)) + " validation " + noun + " detected: " + strings.Join(failures, "; ")
}

// Failure is a member's failure to satisfy a constraint, which echoes its value.
func Failure(value, path, constraint string) string {
	return "Value '" + value + "' at '" + path + "' failed to satisfy constraint: " + constraint
}

// Hidden is a sensitive member's failure: its value is never echoed.
func Hidden(path, constraint string) string {
	return "Value at '" + path + "' failed to satisfy constraint: " + constraint
}

// Null is the failure of a required member the request leaves out.
func Null(path string) string {
	return "Value null at '" + path + "' failed to satisfy constraint: Member must not be null"
}

// MaxLen, MinLen and Pattern are the constraints of a length and a pattern.
func MaxLen(n int) string {
	return "Member must have length less than or equal to " + strconv.Itoa(n)
}

func MinLen(n int) string {
	return "Member must have length greater than or equal to " + strconv.Itoa(n)
}

func Pattern(p string) string { return "Member must satisfy regular expression pattern: " + p }
