package httpx_test

import (
	"testing"

	"github.com/rollcall/rollcall/httpx"
)

// sentences are formats, their values, and the messages Sentence makes of them.
var sentences = []struct {
	format string
	values []string
	want   string
}{
	{"The enrollment {} of user {} was not found.", []string{"e-1", "arn:1"}, "The enrollment e-1 of user arn:1 was not found."},
	{"The enrollment {} of user {} was not found.", []string{"", "arn:1"}, "The enrollment of user arn:1 was not found."},
	{"The enrollment {} of user {} was not found.", []string{"e-1", ""}, "The enrollment e-1 of user was not found."},
	{"{} already exists.", []string{""}, "already exists."},
	{"An existing account: {}.", []string{""}, "An existing account."},
	{"An existing account: {}.", []string{"a@example.com"}, "An existing account: a@example.com."},
	{"Deleting {} (user {} is not suspended).", []string{"a", ""}, "Deleting a (user is not suspended)."},
	{"(supported: {}).", []string{""}, "(supported)."},
	{"[AWS Account ID: {}][Chime Account ID: {}]", []string{"", "c"}, "[AWS Account ID][Chime Account ID: c]"},
	{"Key {}, then {}.", []string{"k", ""}, "Key k, then."},
	{"Key {}, then {}.", []string{"", "v"}, "Key, then v."},
	// Values go in as they are: their spaces, braces and punctuation are the client's.
	{"Value {} at {}.", []string{"a  {} b: ", "p"}, "Value a  {} b:  at p."},
	{"Quoted '{}'.", []string{""}, "Quoted ''."},
	{"No values.", nil, "No values."},
	{"Too few {} values.", nil, "Too few values."},
}

func TestSentence(t *testing.T) {
	for _, tc := range sentences {
		if got := httpx.Sentence(tc.format, tc.values...); got != tc.want {
			t.Errorf("Sentence(%q, %q) = %q, want %q", tc.format, tc.values, got, tc.want)
		}
	}
}
