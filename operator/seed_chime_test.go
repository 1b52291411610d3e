package operator_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/internal/coretest"
	"github.com/rollcall/rollcall/operator"
)

// TestSeedChimeAccountType: the seed may declare a Chime account's type and status; a
// value the model does not know is refused; applying the seed again keeps what the API
// set since (settings, sign-in delegate groups).
func TestSeedChimeAccountType(t *testing.T) {
	svc, _ := coretest.MustAt(t, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	ctx := context.Background()
	seed := operator.DevSeed()
	const lwa, old = "acc-lwa", "acc-old"
	seed.Accounts[0].ChimeAccounts = []operator.SeedChimeAccount{
		{ID: lwa, Name: "LWA", Type: chime.EnterpriseLWA},
		{ID: old, Name: "Old", Status: chime.Suspended},
	}
	if err := svc.Operator.Apply(ctx, seed); err != nil {
		t.Fatal(err)
	}
	c := rollcall.Caller{TenantID: seed.Accounts[0].ID}
	for id, want := range map[string][2]string{lwa: {"EnterpriseLWA", "Active"}, old: {"Team", "Suspended"}} {
		d, err := svc.Chime.Account(ctx, c, id)
		if err != nil || d.Attrs.AccountType != want[0] || d.Attrs.AccountStatus != want[1] {
			t.Fatalf("%s: %+v %v, want %v", id, d, err, want)
		}
	}
	no := false
	if err := svc.Chime.UpdateAccountSettings(ctx, c, lwa, nil, &no); err != nil {
		t.Fatal(err)
	}
	if err := svc.Chime.AssociateSigninDelegateGroups(ctx, c, lwa, []string{"admins"}); err != nil {
		t.Fatal(err)
	}
	if err := svc.Operator.Apply(ctx, seed); err != nil {
		t.Fatal(err)
	}
	d, _ := svc.Chime.Account(ctx, c, lwa)
	if s := chime.SettingsOf(d); s.EnableDialOut || len(d.Attrs.SigninDelegateGroups) != 1 {
		t.Fatalf("re-applying the seed reset the API's changes: %+v", d.Attrs)
	}

	for _, tc := range []struct {
		acc  operator.SeedChimeAccount
		want string
	}{
		{operator.SeedChimeAccount{ID: "x", Name: "X", Type: "EnterpriseAD"}, `type "EnterpriseAD" is not one of Team, EnterpriseDirectory, EnterpriseLWA, EnterpriseOIDC`},
		{operator.SeedChimeAccount{ID: "x", Name: "X", Status: "active"}, `status "active" is not Active or Suspended`},
	} {
		bad := operator.DevSeed()
		bad.Accounts[0].ChimeAccounts = []operator.SeedChimeAccount{tc.acc}
		if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.acc, err, tc.want)
		}
	}
}
