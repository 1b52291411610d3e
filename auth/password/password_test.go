package password_test

import (
	"strings"
	"testing"

	"github.com/rollcall/rollcall/auth/password"
)

func TestHashVerify(t *testing.T) {
	h := password.Argon2id{Time: 1, Memory: 1024, Threads: 1}
	hash, err := h.Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=1024,t=1,p=1$") || strings.Contains(hash, "correct horse") {
		t.Fatalf("unexpected hash format %q", hash)
	}
	other, _ := h.Hash("correct horse")
	if other == hash {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for pw, want := range map[string]bool{"correct horse": true, "correct horsE": false, "": false} {
		ok, err := password.Default.Verify(pw, hash) // parameters come from the hash
		if err != nil || ok != want {
			t.Errorf("Verify(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	if _, err := h.Verify("x", "sha256$abc"); err != password.ErrFormat {
		t.Errorf("foreign hash: err = %v, want ErrFormat", err)
	}
}

func BenchmarkHashDefault(b *testing.B) {
	for b.Loop() {
		password.Default.Hash("correct horse battery staple")
	}
}
