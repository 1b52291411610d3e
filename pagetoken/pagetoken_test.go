package pagetoken

import (
	"errors"
	"strings"
	"testing"
)

type cursor struct {
	After string `json:"a"`
	N     int    `json:"n"`
}

func TestRoundTrip(t *testing.T) {
	s := New([]byte("key"))
	scope := Scope("tenant", "chime.ListUsers", "account")
	tok := s.Seal(scope, cursor{After: "u-42", N: 7})
	if strings.Contains(tok, "u-42") {
		t.Fatalf("token %q shows its cursor", tok)
	}
	var got cursor
	if err := s.Open(scope, tok, &got); err != nil {
		t.Fatal(err)
	}
	if got != (cursor{After: "u-42", N: 7}) {
		t.Fatalf("cursor %+v", got)
	}
	// Another replica with the same key opens it too.
	if err := New([]byte("key")).Open(scope, tok, &got); err != nil {
		t.Fatalf("same key, other sealer: %v", err)
	}
}

func TestRejects(t *testing.T) {
	s := New([]byte("key"))
	scope := Scope("tenant", "op")
	tok := s.Seal(scope, cursor{After: "x"})
	flipped := []byte(tok)
	flipped[len(flipped)/2] ^= 1
	if flipped[len(flipped)/2] == '_'+1 || flipped[len(flipped)/2] == '-'+1 {
		flipped[len(flipped)/2] = 'A'
	}
	for name, c := range map[string]struct {
		scope, tok string
		s          *Sealer
	}{
		"other scope (tenant)": {Scope("other", "op"), tok, s},
		"ambiguous scope join": {Scope("tenan", "top"), tok, s},
		"other key":            {scope, tok, New([]byte("other"))},
		"changed byte":         {scope, string(flipped), s},
		"truncated":            {scope, tok[:len(tok)-2], s},
		"empty":                {scope, "", s},
		"not base64":           {scope, "%%%", s},
		"short":                {scope, "AAAA", s},
	} {
		var got cursor
		if err := c.s.Open(c.scope, c.tok, &got); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Open = %v, want ErrInvalid", name, err)
		}
	}
}

func FuzzOpen(f *testing.F) {
	s := New([]byte("key"))
	f.Add(s.Seal("scope", cursor{After: "a"}))
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		var c cursor
		_ = s.Open("scope", tok, &c) // must not panic
	})
}
