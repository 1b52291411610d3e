// Package password is human passwords: it hashes them with argon2id (RFC 9106) in the
// PHC string format and verifies them in constant time (password.go; Argon2id implements
// rollcall.PasswordHasher), and judges their strength with zxcvbn (strength.go; Strength
// implements rollcall.PasswordStrength, naming the pattern that makes a password weak
// without quoting it).
//
// It imports the standard library, golang.org/x/crypto/argon2 and
// github.com/trustelem/zxcvbn only; not even the core, whose interfaces it satisfies.
// cmd/rollcall gives it to the core.
package password
