package invite

import (
	"slices"
	"strings"
	"unicode"

	"github.com/rollcall/rollcall"
)

// minPersonalWord is the shortest of an invitee's own words that a password may not
// contain: shorter ones ("Ada", "Li") are parts of too many unrelated words.
const minPersonalWord = 4

// personalWords are what a guesser tries first against an invitee: the email address and
// its name part, the invitee's names, and the name of the business (or account) they
// are invited to; each also as its letters and digits alone, and word by word.
func personalWords(d *Details) []string {
	u := d.User
	local, _, _ := strings.Cut(u.Email, "@")
	given := []string{u.Email, local, u.GivenName, u.FamilyName, u.DisplayName}
	if d.Directory != nil {
		given = append(given, d.Directory.Name)
	}
	var words []string
	for _, g := range given {
		words = append(words, g, letters(g))
		words = append(words, strings.FieldsFunc(g, func(r rune) bool { return !isLetterOrDigit(r) })...)
	}
	slices.Sort(words)
	return slices.DeleteFunc(slices.Compact(words), func(w string) bool { return strings.TrimSpace(w) == "" })
}

// containsPersonal reports whether password contains one of the personal words (of at
// least minPersonalWord letters), ignoring case, accents and everything but letters and
// digits: so "Ada.Lovelace-2026" contains "Ada Lovelace" and "Lovelace".
func containsPersonal(password string, personal []string) bool {
	pw := letters(password)
	for _, p := range personal {
		if w := letters(p); len([]rune(w)) >= minPersonalWord && strings.Contains(pw, w) {
			return true
		}
	}
	return false
}

// letters folds s (lower case, no accents) and keeps only its letters and digits.
func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if isLetterOrDigit(r) {
			return r
		}
		return -1
	}, rollcall.FoldName(s))
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
