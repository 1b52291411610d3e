package alexaforbusiness_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/face/facetest"
)

// The constraints of the API reference page, word for word.
const (
	patUserID = `[a-zA-Z0-9@_+.-]*`
	patName   = `([A-Za-z\-' 0-9._]|\p{IsLetter})*`
	patEmail  = `([0-9a-zA-Z]([+-.\w]*[0-9a-zA-Z])*@([0-9a-zA-Z][-\w]*[0-9a-zA-Z]\.)+[a-zA-Z]{2,9})`
	patToken  = `[a-zA-Z0-9][a-zA-Z0-9_-]*`
	patTag    = `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$` // the model's TagKey/TagValue (the page gives none)
)

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
		{"UserId 129", map[string]any{"UserId": s("c", 129)}, facetest.Detected(facetest.Failure(s("c", 129), "userId", facetest.MaxLen(128)))},
		{"UserId empty", map[string]any{"UserId": ""}, facetest.Detected(facetest.Failure("", "userId", facetest.MinLen(1)))},
		{"UserId null", map[string]any{"UserId": nil}, facetest.Detected(facetest.Null("userId"))},
		{"UserId all allowed characters", map[string]any{"UserId": "Az09@_+.-"}, ""},
		{"UserId space", map[string]any{"UserId": "ada lovelace"}, facetest.Detected(facetest.Failure("ada lovelace", "userId", facetest.Pattern(patUserID)))},
		{"UserId slash", map[string]any{"UserId": "a/b"}, facetest.Detected(facetest.Failure("a/b", "userId", facetest.Pattern(patUserID)))},

		// FirstName, LastName: 0-30, ([A-Za-z\-' 0-9._]|\p{IsLetter})*
		{"FirstName 0", map[string]any{"FirstName": ""}, ""},
		{"FirstName 30", map[string]any{"FirstName": s("F", 30)}, ""},
		{"FirstName 31", map[string]any{"FirstName": s("F", 31)}, facetest.Detected(facetest.Failure(s("F", 31), "firstName", facetest.MaxLen(30)))},
		{"FirstName letters of any script", map[string]any{"FirstName": "Zoë O'Neil-Smith Jr. 2_李"}, ""},
		{"FirstName 30 UTF-16 units", map[string]any{"FirstName": s("𝒜", 15)}, ""},
		{"FirstName 32 UTF-16 units", map[string]any{"FirstName": s("𝒜", 16)}, facetest.Detected(facetest.Failure(s("𝒜", 16), "firstName", facetest.MaxLen(30)))},
		{"FirstName bang", map[string]any{"FirstName": "Ada!"}, facetest.Detected(facetest.Failure("Ada!", "firstName", facetest.Pattern(patName)))},
		{"LastName 0", map[string]any{"LastName": ""}, ""},
		{"LastName 30", map[string]any{"LastName": s("L", 30)}, ""},
		{"LastName 31", map[string]any{"LastName": s("L", 31)}, facetest.Detected(facetest.Failure(s("L", 31), "lastName", facetest.MaxLen(30)))},
		{"LastName accents and digits", map[string]any{"LastName": "Ñúñez 3rd"}, ""},
		{"LastName comma", map[string]any{"LastName": "Lovelace, Ada"}, facetest.Detected(facetest.Failure("Lovelace, Ada", "lastName", facetest.Pattern(patName)))},

		// Email: 1-128, the page's pattern
		{"Email 128", map[string]any{"Email": local116 + "@example.com"}, ""},
		{"Email 129", map[string]any{"Email": local116 + "a@example.com"}, facetest.Detected(facetest.Failure(local116+"a@example.com", "email", facetest.MaxLen(128)))},
		{"Email empty", map[string]any{"Email": ""}, facetest.Detected(facetest.Failure("", "email", facetest.MinLen(1)), facetest.Failure("", "email", facetest.Pattern(patEmail)))},
		{"Email shortest", map[string]any{"Email": "a@bc.de"}, ""},
		{"Email plus and dots", map[string]any{"Email": "ada.l+test_1@mail-01.example.co"}, ""},
		{"Email no domain", map[string]any{"Email": "ada@example"}, facetest.Detected(facetest.Failure("ada@example", "email", facetest.Pattern(patEmail)))},
		{"Email one-letter label", map[string]any{"Email": "ada@b.com"}, facetest.Detected(facetest.Failure("ada@b.com", "email", facetest.Pattern(patEmail)))},
		{"Email TLD 9", map[string]any{"Email": "ada@example.abcdefghi"}, ""},
		{"Email TLD 10 (model allows, page does not)", map[string]any{"Email": "ada@example.technology"}, facetest.Detected(facetest.Failure("ada@example.technology", "email", facetest.Pattern(patEmail)))},
		{"Email trailing dot in local part", map[string]any{"Email": "ada.@example.com"}, facetest.Detected(facetest.Failure("ada.@example.com", "email", facetest.Pattern(patEmail)))},

		// ClientRequestToken: 10-150, [a-zA-Z0-9][a-zA-Z0-9_-]*
		{"ClientRequestToken 9", map[string]any{"ClientRequestToken": s("t", 9)}, facetest.Detected(facetest.Failure(s("t", 9), "clientRequestToken", facetest.MinLen(10)))},
		{"ClientRequestToken 10", map[string]any{"ClientRequestToken": "a_b-c_d-e_"}, ""},
		{"ClientRequestToken 150", map[string]any{"ClientRequestToken": s("T", 150)}, ""},
		{"ClientRequestToken 151", map[string]any{"ClientRequestToken": s("T", 151)}, facetest.Detected(facetest.Failure(s("T", 151), "clientRequestToken", facetest.MaxLen(150)))},
		{"ClientRequestToken leading dash", map[string]any{"ClientRequestToken": "-abcdefghij"}, facetest.Detected(facetest.Failure("-abcdefghij", "clientRequestToken", facetest.Pattern(patToken)))},
		{"ClientRequestToken dot", map[string]any{"ClientRequestToken": "abcde.fghij"}, facetest.Detected(facetest.Failure("abcde.fghij", "clientRequestToken", facetest.Pattern(patToken)))},

		// Tags: Key required 1-128, Value required 0-256, the model's pattern, unique keys
		{"Tags empty list", map[string]any{"Tags": []any{}}, ""},
		{"Tag key 1 value 0", map[string]any{"Tags": []any{tag("k", "")}}, ""},
		{"Tag key 128 value 256", map[string]any{"Tags": []any{tag(s("k", 128), s("v", 256))}}, ""},
		{"Tag key 129", map[string]any{"Tags": []any{tag(s("k", 129), "v")}}, facetest.Detected(facetest.Failure(s("k", 129), "tags.1.member.key", facetest.MaxLen(128)))},
		{"Tag key empty", map[string]any{"Tags": []any{tag("", "v")}}, facetest.Detected(facetest.Failure("", "tags.1.member.key", facetest.MinLen(1)))},
		{"Tag value 257", map[string]any{"Tags": []any{tag("a", "v"), tag("k", s("v", 257))}}, facetest.Detected(facetest.Failure(s("v", 257), "tags.2.member.value", facetest.MaxLen(256)))},
		{"Tag key missing", map[string]any{"Tags": []any{tag(nil, "v")}}, facetest.Detected(facetest.Null("tags.1.member.key"))},
		{"Tag value missing", map[string]any{"Tags": []any{tag("k", nil)}}, facetest.Detected(facetest.Null("tags.1.member.value"))},
		{"Tag null", map[string]any{"Tags": []any{nil}}, facetest.Detected(facetest.Null("tags.1.member"))},
		{"Tag allowed characters", map[string]any{"Tags": []any{tag("a1 _.:/=+-@é", "Ünïcode 42 ._:/=+-@")}}, ""},
		{"Tag key hash", map[string]any{"Tags": []any{tag("a#b", "v")}}, facetest.Detected(facetest.Failure("a#b", "tags.1.member.key", facetest.Pattern(patTag)))},
		{"Tag value star", map[string]any{"Tags": []any{tag("k", "v*")}}, facetest.Detected(facetest.Failure("v*", "tags.1.member.value", facetest.Pattern(patTag)))},
		{"Tag keys duplicate", map[string]any{"Tags": []any{tag("k", "1"), tag("K", "2"), tag("k", "3")}},
			facetest.Detected(facetest.Failure("k", "tags.3.member.key", "Member must be unique among the keys of tags"))},

		// Several failures at once, in the model's member order.
		{"several", map[string]any{"UserId": "", "FirstName": "!", "ClientRequestToken": "short"},
			facetest.Detected(facetest.Failure("", "userId", facetest.MinLen(1)), facetest.Failure("!", "firstName", facetest.Pattern(patName)), facetest.Failure("short", "clientRequestToken", facetest.MinLen(10)))},
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
			rp := h.MustDo(t, facetest.JSONBody(t, body))
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
