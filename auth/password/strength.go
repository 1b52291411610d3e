package password

import (
	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/match"
)

// judged is how many characters of a password zxcvbn reads: its time grows quickly with
// length (about 50 ms for 64 characters of repeats here, 250 ms for 128), and 64
// characters it rates strong make a strong password whatever follows.
const judged = 64

// DefaultMinScore is the zxcvbn score a password must reach: 3 means about 10^8 guesses
// or more, "safely unguessable" against online guessing and a fair defence for a hash
// that leaks.
const DefaultMinScore = 3

// Strength judges passwords with zxcvbn (Dropbox's estimator, in trustelem's Go port),
// which knows common passwords, words and names, keyboard patterns, repeats, sequences,
// dates and l33t spellings. It implements rollcall.PasswordStrength.
type Strength struct {
	MinScore int // 0-4; 0 uses DefaultMinScore
}

// Weak returns why pw is too easy to guess, treating personal as words a guesser of
// this person tries first, or "" when pw reaches the minimum score.
func (s Strength) Weak(pw string, personal []string) string {
	min := s.MinScore
	if min == 0 {
		min = DefaultMinScore
	}
	if rs := []rune(pw); len(rs) > judged {
		pw = string(rs[:judged])
	}
	r := zxcvbn.PasswordStrength(pw, personal)
	if r.Score >= min {
		return ""
	}
	return "The password is too easy to guess: " + why(r.Sequence) + ". Add a few more unrelated words."
}

// why names the pattern that covers most of the password, never quoting it.
func why(seq []*match.Match) string {
	var worst *match.Match
	for _, m := range seq {
		if m.Pattern != "bruteforce" && (worst == nil || m.J-m.I > worst.J-worst.I) {
			worst = m
		}
	}
	if worst == nil {
		return "it is short and simple for its length"
	}
	switch worst.Pattern {
	case "dictionary":
		switch worst.DictionaryName {
		case "passwords":
			return "it is built on a commonly used password"
		case "user_inputs":
			return "it is built on your email address, your name or your business's name"
		}
		return "it is built on a common word or name"
	case "repeat":
		return "it repeats a character or a short pattern"
	case "sequence":
		return "it contains a sequence such as abc or 1234"
	case "spatial":
		return "it contains a keyboard pattern such as qwerty"
	case "date":
		return "it contains a date"
	case "regex":
		return "it contains a recent year"
	}
	return "it follows a pattern guessers try early"
}
