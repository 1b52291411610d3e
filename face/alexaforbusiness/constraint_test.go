package alexaforbusiness_test

import (
	"fmt"
	"strings"
	"testing"
)

// The constraints of the API reference page, word for word.
const (
	patUserID = `[a-zA-Z0-9@_+.-]*`
	patName   = `([A-Za-z\-' 0-9._]|\p{IsLetter})*`
	patEmail  = `([0-9a-zA-Z]([+-.\w]*[0-9a-zA-Z])*@([0-9a-zA-Z][-\w]*[0-9a-zA-Z]\.)+[a-zA-Z]{2,9})`
	patToken  = `[a-zA-Z0-9][a-zA-Z0-9_-]*`
	patTag    = `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$` // the model's TagKey/TagValue (the page gives none)
)

func failure(path, value, constraint string) string {
	return fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", value, path, constraint)
}
func nullFailure(path string) string {
	return fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", path)
}
func maxLen(n int) string { return fmt.Sprintf("Member must have length less than or equal to %d", n) }
func minLen(n int) string {
	return fmt.Sprintf("Member must have length greater than or equal to %d", n)
}
func pattern(p string) string { return "Member must satisfy regular expression pattern: " + p }
func detected(failures ...string) string {
	noun := "error"
	if len(failures) > 1 {
		noun = "errors"
	}
	return fmt.Sprintf("%d validation %s detected: %s", len(failures), noun, strings.Join(failures, "; "))
}

func tag(k, v any) map[string]any {
	t := map[string]any{}
	if k != nil {
		t["Key"] = k
	}
	if v != nil {
		t["Value"] = v
	}
	return t
}

func TestCreateUserConstraints(t *testing.T) {
	h := MustHarness(t)
	s := strings.Repeat
	local116 := s("a", 116) // 116 + len("@example.com") = 128
	cases := []struct {
		name    string
		members map[string]any // merged over {"UserId": <unique>}
		want    string         // "" = accepted
	}{
		// UserId: required, 1-128, [a-zA-Z0-9@_+.-]*
		{"UserId 1", map[string]any{"UserId": "a"}, ""},
		{"UserId 128", map[string]any{"UserId": s("b", 128)}, ""},
		{"UserId 129", map[string]any{"UserId": s("c", 129)}, detected(failure("userId", s("c", 129), maxLen(128)))},
		{"UserId empty", map[string]any{"UserId": ""}, detected(failure("userId", "", minLen(1)))},
		{"UserId null", map[string]any{"UserId": nil}, detected(nullFailure("userId"))},
		{"UserId all allowed characters", map[string]any{"UserId": "Az09@_+.-"}, ""},
		{"UserId space", map[string]any{"UserId": "ada lovelace"}, detected(failure("userId", "ada lovelace", pattern(patUserID)))},
		{"UserId slash", map[string]any{"UserId": "a/b"}, detected(failure("userId", "a/b", pattern(patUserID)))},

		// FirstName, LastName: 0-30, ([A-Za-z\-' 0-9._]|\p{IsLetter})*
		{"FirstName 0", map[string]any{"FirstName": ""}, ""},
		{"FirstName 30", map[string]any{"FirstName": s("F", 30)}, ""},
		{"FirstName 31", map[string]any{"FirstName": s("F", 31)}, detected(failure("firstName", s("F", 31), maxLen(30)))},
		{"FirstName letters of any script", map[string]any{"FirstName": "Zoë O'Neil-Smith Jr. 2_李"}, ""},
		{"FirstName 30 UTF-16 units", map[string]any{"FirstName": s("𝒜", 15)}, ""},
		{"FirstName 32 UTF-16 units", map[string]any{"FirstName": s("𝒜", 16)}, detected(failure("firstName", s("𝒜", 16), maxLen(30)))},
		{"FirstName bang", map[string]any{"FirstName": "Ada!"}, detected(failure("firstName", "Ada!", pattern(patName)))},
		{"LastName 0", map[string]any{"LastName": ""}, ""},
		{"LastName 30", map[string]any{"LastName": s("L", 30)}, ""},
		{"LastName 31", map[string]any{"LastName": s("L", 31)}, detected(failure("lastName", s("L", 31), maxLen(30)))},
		{"LastName accents and digits", map[string]any{"LastName": "Ñúñez 3rd"}, ""},
		{"LastName comma", map[string]any{"LastName": "Lovelace, Ada"}, detected(failure("lastName", "Lovelace, Ada", pattern(patName)))},

		// Email: 1-128, the page's pattern
		{"Email 128", map[string]any{"Email": local116 + "@example.com"}, ""},
		{"Email 129", map[string]any{"Email": local116 + "a@example.com"}, detected(failure("email", local116+"a@example.com", maxLen(128)))},
		{"Email empty", map[string]any{"Email": ""}, detected(failure("email", "", minLen(1)), failure("email", "", pattern(patEmail)))},
		{"Email shortest", map[string]any{"Email": "a@bc.de"}, ""},
		{"Email plus and dots", map[string]any{"Email": "ada.l+test_1@mail-01.example.co"}, ""},
		{"Email no domain", map[string]any{"Email": "ada@example"}, detected(failure("email", "ada@example", pattern(patEmail)))},
		{"Email one-letter label", map[string]any{"Email": "ada@b.com"}, detected(failure("email", "ada@b.com", pattern(patEmail)))},
		{"Email TLD 9", map[string]any{"Email": "ada@example.abcdefghi"}, ""},
		{"Email TLD 10 (model allows, page does not)", map[string]any{"Email": "ada@example.technology"}, detected(failure("email", "ada@example.technology", pattern(patEmail)))},
		{"Email trailing dot in local part", map[string]any{"Email": "ada.@example.com"}, detected(failure("email", "ada.@example.com", pattern(patEmail)))},

		// ClientRequestToken: 10-150, [a-zA-Z0-9][a-zA-Z0-9_-]*
		{"ClientRequestToken 9", map[string]any{"ClientRequestToken": s("t", 9)}, detected(failure("clientRequestToken", s("t", 9), minLen(10)))},
		{"ClientRequestToken 10", map[string]any{"ClientRequestToken": "a_b-c_d-e_"}, ""},
		{"ClientRequestToken 150", map[string]any{"ClientRequestToken": s("T", 150)}, ""},
		{"ClientRequestToken 151", map[string]any{"ClientRequestToken": s("T", 151)}, detected(failure("clientRequestToken", s("T", 151), maxLen(150)))},
		{"ClientRequestToken leading dash", map[string]any{"ClientRequestToken": "-abcdefghij"}, detected(failure("clientRequestToken", "-abcdefghij", pattern(patToken)))},
		{"ClientRequestToken dot", map[string]any{"ClientRequestToken": "abcde.fghij"}, detected(failure("clientRequestToken", "abcde.fghij", pattern(patToken)))},

		// Tags: Key required 1-128, Value required 0-256, the model's pattern, unique keys
		{"Tags empty list", map[string]any{"Tags": []any{}}, ""},
		{"Tag key 1 value 0", map[string]any{"Tags": []any{tag("k", "")}}, ""},
		{"Tag key 128 value 256", map[string]any{"Tags": []any{tag(s("k", 128), s("v", 256))}}, ""},
		{"Tag key 129", map[string]any{"Tags": []any{tag(s("k", 129), "v")}}, detected(failure("tags.1.member.key", s("k", 129), maxLen(128)))},
		{"Tag key empty", map[string]any{"Tags": []any{tag("", "v")}}, detected(failure("tags.1.member.key", "", minLen(1)))},
		{"Tag value 257", map[string]any{"Tags": []any{tag("a", "v"), tag("k", s("v", 257))}}, detected(failure("tags.2.member.value", s("v", 257), maxLen(256)))},
		{"Tag key missing", map[string]any{"Tags": []any{tag(nil, "v")}}, detected(nullFailure("tags.1.member.key"))},
		{"Tag value missing", map[string]any{"Tags": []any{tag("k", nil)}}, detected(nullFailure("tags.1.member.value"))},
		{"Tag null", map[string]any{"Tags": []any{nil}}, detected(nullFailure("tags.1.member"))},
		{"Tag allowed characters", map[string]any{"Tags": []any{tag("a1 _.:/=+-@é", "Ünïcode 42 ._:/=+-@")}}, ""},
		{"Tag key hash", map[string]any{"Tags": []any{tag("a#b", "v")}}, detected(failure("tags.1.member.key", "a#b", pattern(patTag)))},
		{"Tag value star", map[string]any{"Tags": []any{tag("k", "v*")}}, detected(failure("tags.1.member.value", "v*", pattern(patTag)))},
		{"Tag keys duplicate", map[string]any{"Tags": []any{tag("k", "1"), tag("K", "2"), tag("k", "3")}},
			detected(failure("tags.3.member.key", "k", "Member must be unique among the keys of tags"))},

		// Several failures at once, in the model's member order.
		{"several", map[string]any{"UserId": "", "FirstName": "!", "ClientRequestToken": "short"},
			detected(failure("userId", "", minLen(1)), failure("firstName", "!", pattern(patName)), failure("clientRequestToken", "short", minLen(10)))},
	}
	created := 0
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := map[string]any{"UserId": fmt.Sprintf("user%d", i)}
			if _, ok := tc.members["ClientRequestToken"]; !ok {
				body["ClientRequestToken"] = fmt.Sprintf("token%08d", i)
			}
			for k, v := range tc.members {
				body[k] = v
			}
			if v, ok := body["UserId"]; ok && v == nil {
				delete(body, "UserId")
			}
			rp := h.MustDo(t, jsonBody(t, body))
			if tc.want == "" {
				rp.MustOK(t)
				created++
				return
			}
			rp.MustError(t, 400, "ValidationException", tc.want)
		})
	}
	if n := len(h.MustUsers(t, "000000000000")); n != created {
		t.Errorf("%d users stored, want %d (one per accepted request)", n, created)
	}
}
