package storetest

import (
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// NewPrincipal returns an IAM user of TenantID with one policy.
func NewPrincipal(name string) *rollcall.Principal {
	return &rollcall.Principal{ARN: "arn:aws:iam::" + TenantID + ":user/" + name, TenantID: TenantID,
		Policies: []rollcall.Policy{{Name: "p1", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"chime:*","Resource":"*"}]}`}},
		Version:  1, CreatedAt: T0, UpdatedAt: T0}
}

var principalTests = []testCase{
	{"RoundTrip", func(t *testing.T, s rollcall.Store) {
		p := NewPrincipal("ada")
		bare := NewPrincipal("bare")
		bare.Policies = nil
		MustInsert(t, s, p, bare)
		for _, want := range []*rollcall.Principal{p, bare} {
			got, err := get(t, s, rollcall.Tx.Principal, want.ARN)
			wantRead(t, "Principal("+want.ARN+")", got, err, want)
		}
		_, err := get(t, s, rollcall.Tx.Principal, "arn:aws:iam::"+TenantID+":user/nobody")
		WantKind(t, "Principal of a missing ARN", err, rollcall.NotFound)
	}},
	{"PutReplaces", func(t *testing.T, s rollcall.Store) {
		p := NewPrincipal("ada")
		MustInsert(t, s, p)
		p.Policies = append(p.Policies, rollcall.Policy{Name: "p2", Document: `{"Statement":[]}`})
		p.Version, p.UpdatedAt = 2, T0.Add(time.Minute)
		MustInsert(t, s, p)
		got, _ := get(t, s, rollcall.Tx.Principal, p.ARN)
		WantEqual(t, "principal after a second Put", got, p)
	}},
	{"ListByTenant", func(t *testing.T, s rollcall.Store) {
		b, a := NewPrincipal("b"), NewPrincipal("a")
		other := NewPrincipal("c")
		other.ARN, other.TenantID = "arn:aws:iam::222222222222:role/c", "222222222222"
		MustInsert(t, s, b, other, a)
		got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Principal, error) { return tx.Principals(TenantID) })
		wantIDs(t, "Principals("+TenantID+")", ids(got, func(p *rollcall.Principal) string { return p.ARN }), []string{a.ARN, b.ARN})
		WantEqual(t, "listed principal", got[0], a)
		all := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Principal, error) { return tx.Principals("") })
		wantIDs(t, "Principals()", ids(all, func(p *rollcall.Principal) string { return p.ARN }), []string{a.ARN, b.ARN, other.ARN})
		none := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Principal, error) { return tx.Principals("333333333333") })
		wantIDs(t, "Principals of a tenant without any", ids(none, func(p *rollcall.Principal) string { return p.ARN }), nil)
	}},
	{"Delete", func(t *testing.T, s rollcall.Store) {
		p, q := NewPrincipal("ada"), NewPrincipal("bob")
		MustInsert(t, s, p, q)
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeletePrincipal(p.ARN) })
		_, err := get(t, s, rollcall.Tx.Principal, p.ARN)
		WantKind(t, "Principal after DeletePrincipal", err, rollcall.NotFound)
		WantKind(t, "DeletePrincipal again", update(s, func(tx rollcall.Tx) error { return tx.DeletePrincipal(p.ARN) }), rollcall.NotFound)
		if _, err := get(t, s, rollcall.Tx.Principal, q.ARN); err != nil {
			t.Fatalf("the other principal: %v", err)
		}
	}},
	{"KeyAttachment", func(t *testing.T, s rollcall.Store) {
		long := NewAccessKey("AKIAATTACHED")
		long.PrincipalARN = NewPrincipal("ada").ARN
		temp := NewAccessKey("ASIASESSION")
		temp.SessionTokenHash, temp.ExpiresAt = "h", T0.Add(time.Hour)
		temp.PrincipalARN = "arn:aws:iam::" + TenantID + ":role/admin"
		temp.SessionName, temp.SessionPolicy = "ci-run", `{"Statement":[{"Effect":"Allow","Action":"a4b:*","Resource":"*"}]}`
		MustInsert(t, s, long, temp)
		for _, want := range []*rollcall.AccessKey{long, temp} {
			got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.AccessKey, error) { return tx.AccessKey(want.ID) })
			WantEqual(t, "AccessKey("+want.ID+")", got, want)
		}
		keys := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.AccessKey, error) { return tx.AccessKeys() })
		WantEqual(t, "AccessKeys", keys, []*rollcall.AccessKey{long, temp})
		// Detached again: the attachment goes.
		long.PrincipalARN = ""
		MustInsert(t, s, long)
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.AccessKey, error) { return tx.AccessKey(long.ID) })
		WantEqual(t, "detached key", got, long)
	}},
}
