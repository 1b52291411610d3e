package operator

import (
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
)

// TestConsoleWords: the console finds a user by the beginnings of the folded words of
// the names, username, key, ID and email (the whole address, and the pieces of its local
// part), not by the middle of a word nor by the domain alone.
func TestConsoleWords(t *testing.T) {
	u := &rollcall.User{ID: "U-1", Key: "K9", Email: "Marcia.Cruz+work@Example.com",
		Username: "mcruz", GivenName: "Márcia", FamilyName: "de la Cruz", DisplayName: "Márcia C."}
	words := consoleWords(u)
	for q, want := range map[string]bool{
		"MÁR": true, "de cruz": true, "mcr": true, "k9": true, "u-1": true,
		"marcia.cruz+work@exa": true, "work": true, "c.": true,
		"arcia": false, "example": false, "xample": false, "cruz zed": false,
	} {
		if got := wordsBegin(words, consoleTerms(q)); got != want {
			t.Errorf("%q finds the user: %v, want %v (words %s)", q, got, want, strings.Join(words, " "))
		}
	}
}
