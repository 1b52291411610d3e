package workdocs_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
)

// countingPasswords counts the hashes CreateUser asks for.
type countingPasswords struct {
	rollcall.PasswordHasher
	n atomic.Int64
}

func (p *countingPasswords) Hash(pw string) (string, error) {
	p.n.Add(1)
	return p.PasswordHasher.Hash(pw)
}

// TestCreateUserRefusedNeverHashes: over the wire, every CreateUser the face refuses
// (authentication, validation, admin rights, organization, a taken username) is refused
// before the password is hashed.
func TestCreateUserRefusedNeverHashes(t *testing.T) {
	pw := &countingPasswords{PasswordHasher: testPasswords}
	h := MustHarness(t, func(o *harnessOptions) { o.passwords = pw })
	h.MustCreate(t, spec{username: "bob", given: "Bob", surname: "Builder"})
	bob, _, err := h.tokens.IssueWorkDocs(context.Background(), rollcall.DevAccountID, rollcall.DevOrganizationID, "bob", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pw.n.Store(0)
	in := func(org, username string) *workdocs.CreateUserInput {
		return &workdocs.CreateUserInput{OrganizationId: aws.String(org), Username: aws.String(username),
			GivenName: aws.String("Ada"), Surname: aws.String("Lovelace"), Password: aws.String("correct-horse-1")}
	}
	signed, anon := h.MustClient(t, "", ""), h.anonClient(t)
	badSig := h.MustClient(t, "test", "wrong-secret")
	noGiven := in(rollcall.DevOrganizationID, "carol")
	noGiven.GivenName = nil
	byBob := in(rollcall.DevOrganizationID, "carol")
	byBob.AuthenticationToken = aws.String(bob)
	forged := in(rollcall.DevOrganizationID, "carol")
	forged.AuthenticationToken = aws.String(bob + "x")
	for name, call := range map[string]func() error{
		"a wrong signature":   func() error { _, err := badSig.CreateUser(in(rollcall.DevOrganizationID, "carol")); return err },
		"an unknown token":    func() error { _, err := anon.CreateUser(forged); return err },
		"a missing GivenName": func() error { _, err := signed.CreateUser(noGiven); return err },
		"an ordinary user":    func() error { _, err := anon.CreateUser(byBob); return err },
		"an unknown org":      func() error { _, err := signed.CreateUser(in("d-9999999999", "carol")); return err },
		"a taken username":    func() error { _, err := signed.CreateUser(in(rollcall.DevOrganizationID, "BOB")); return err },
	} {
		if err := call(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if n := pw.n.Load(); n != 0 {
		t.Fatalf("refused requests hashed %d passwords, want 0", n)
	}
	if _, err := signed.CreateUser(in(rollcall.DevOrganizationID, "carol")); err != nil {
		t.Fatal(err)
	}
	if n := pw.n.Load(); n != 1 {
		t.Fatalf("one accepted create hashed %d passwords, want 1", n)
	}
}
