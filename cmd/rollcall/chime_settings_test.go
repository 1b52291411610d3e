package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/chime"

	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/internal/testdeps"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
)

// A seed file that declares the dev AWS account with two Chime accounts: an
// EnterpriseLWA one, which may have sign-in delegate groups, and a Team one.
const (
	seedLWAAccount  = "6a1f0000-0000-4000-8000-00000000e1aa"
	seedTeamAccount = "6a1f0000-0000-4000-8000-000000007ea7"
	chimeSeedYAML   = `
accounts:
  - id: "000000000000"
    accessKeys: [{id: test, secret: test}]
    chimeAccounts:
      - {id: ` + seedLWAAccount + `, name: Acme Enterprise, type: EnterpriseLWA}
      - {id: ` + seedTeamAccount + `, name: Acme Team}
`
)

// TestChimeSettingsEndToEnd: user and account settings round-trip and sign-in delegate
// groups work on the seed's EnterpriseLWA account, through the AWS CLI and aws-sdk-go v1
// on SQLite (the CLI writes, the SDK reads, and back), through the SDK alone on
// PostgreSQL (each CLI call costs seconds), and survive a restart that applies the seed
// again.
func TestChimeSettingsEndToEnd(t *testing.T) {
	testdeps.AWSCLI(t)
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			dir := t.TempDir()
			seed := filepath.Join(dir, "seed.yaml")
			if err := os.WriteFile(seed, []byte(chimeSeedYAML), 0o600); err != nil {
				t.Fatal(err)
			}
			args := []string{"--no-dev-defaults", "--init", seed}
			cli := backend == "sqlite"
			if backend == "postgres" {
				args = append(args, "--store", pgtest.FreshDB(t))
			}
			m := MustRunMain(t, dir, args...)
			sdk := devChime(t, m)
			lwa := aws.String(seedLWAAccount)
			must := func(_ any, err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}

			got, err := sdk.GetAccount(&chime.GetAccountInput{AccountId: lwa})
			if err != nil || aws.StringValue(got.Account.AccountType) != "EnterpriseLWA" || aws.StringValue(got.Account.Name) != "Acme Enterprise" {
				t.Fatalf("the seed's account: %v %v", got, err)
			}

			// Sign-in delegate groups.
			if cli {
				runCLI(t, m.URL, nil, "chime", "associate-signin-delegate-groups-with-account", "--account-id", seedLWAAccount,
					"--signin-delegate-groups", "GroupName=Chime admins", "GroupName=Chime users", "GroupName=contractors")
			} else {
				must(sdk.AssociateSigninDelegateGroupsWithAccount(&chime.AssociateSigninDelegateGroupsWithAccountInput{AccountId: lwa,
					SigninDelegateGroups: []*chime.SigninDelegateGroup{{GroupName: aws.String("Chime admins")}, {GroupName: aws.String("Chime users")}, {GroupName: aws.String("contractors")}}}))
			}
			must(sdk.DisassociateSigninDelegateGroupsFromAccount(&chime.DisassociateSigninDelegateGroupsFromAccountInput{AccountId: lwa,
				GroupNames: aws.StringSlice([]string{"contractors"})}))
			if g := facetest.MustSigninDelegateGroups(t, sdk, seedLWAAccount); !slices.Equal(g, []string{"Chime admins", "Chime users"}) {
				t.Fatalf("delegate groups %q", g)
			}
			// The Team account is refused as the service refuses it.
			_, err = sdk.AssociateSigninDelegateGroupsWithAccount(&chime.AssociateSigninDelegateGroupsWithAccountInput{AccountId: aws.String(seedTeamAccount),
				SigninDelegateGroups: []*chime.SigninDelegateGroup{{GroupName: aws.String("admins")}}})
			if awsCode(err) != chime.ErrCodeForbiddenException || !strings.Contains(err.Error(), "not an Enterprise Chime Account") {
				t.Fatalf("a Team account: %v", err)
			}

			// Account settings.
			if cli {
				runCLI(t, m.URL, nil, "chime", "update-account-settings", "--account-id", seedLWAAccount,
					"--account-settings", "DisableRemoteControl=true,EnableDialOut=false")
			} else {
				must(sdk.UpdateAccountSettings(&chime.UpdateAccountSettingsInput{AccountId: lwa,
					AccountSettings: &chime.AccountSettings{DisableRemoteControl: aws.Bool(true), EnableDialOut: aws.Bool(false)}}))
			}
			as, err := sdk.GetAccountSettings(&chime.GetAccountSettingsInput{AccountId: lwa})
			if err != nil || !aws.BoolValue(as.AccountSettings.DisableRemoteControl) || aws.BoolValue(as.AccountSettings.EnableDialOut) {
				t.Fatalf("GetAccountSettings: %v %v", as, err)
			}

			// User settings: all allowed at first; the SDK sets them, then the CLI.
			u, err := sdk.CreateUser(&chime.CreateUserInput{AccountId: lwa, Email: aws.String("ada@example.com")})
			if err != nil {
				t.Fatal(err)
			}
			id := u.User.UserId
			tel := func() string {
				t.Helper()
				out, err := sdk.GetUserSettings(&chime.GetUserSettingsInput{AccountId: lwa, UserId: id})
				if err != nil {
					t.Fatal(err)
				}
				s := out.UserSettings.Telephony
				return fmt.Sprint(aws.BoolValue(s.InboundCalling), aws.BoolValue(s.OutboundCalling), aws.BoolValue(s.SMS))
			}
			if s := tel(); s != "true true true" {
				t.Fatalf("a new user's settings: %s", s)
			}
			must(sdk.UpdateUserSettings(&chime.UpdateUserSettingsInput{AccountId: lwa, UserId: id,
				UserSettings: &chime.UserSettings{Telephony: &chime.TelephonySettings{InboundCalling: aws.Bool(true), OutboundCalling: aws.Bool(false), SMS: aws.Bool(false)}}}))
			if s := tel(); s != "true false false" {
				t.Fatalf("after UpdateUserSettings: %s", s)
			}
			if cli {
				runCLI(t, m.URL, nil, "chime", "update-user-settings", "--account-id", seedLWAAccount, "--user-id", *id,
					"--user-settings", "Telephony={InboundCalling=false,OutboundCalling=false,SMS=true}")
			} else {
				must(sdk.UpdateUserSettings(&chime.UpdateUserSettingsInput{AccountId: lwa, UserId: id,
					UserSettings: &chime.UserSettings{Telephony: &chime.TelephonySettings{InboundCalling: aws.Bool(false), OutboundCalling: aws.Bool(false), SMS: aws.Bool(true)}}}))
			}

			// A restart (SQLite) or another replica (PostgreSQL) applies the seed again;
			// what the API set stays.
			next := t.TempDir()
			if cli {
				m.Close()
				next = dir
			}
			m = MustRunMain(t, next, args...)
			sdk = devChime(t, m)
			if cli {
				var us struct {
					UserSettings struct {
						Telephony struct{ InboundCalling, OutboundCalling, SMS bool }
					}
				}
				runCLI(t, m.URL, &us, "chime", "get-user-settings", "--account-id", seedLWAAccount, "--user-id", *id)
				if tel := us.UserSettings.Telephony; tel.InboundCalling || tel.OutboundCalling || !tel.SMS {
					t.Fatalf("aws chime get-user-settings: %+v", us)
				}
			}
			if s := tel(); s != "false false true" {
				t.Fatalf("user settings after a restart: %s", s)
			}
			as, err = sdk.GetAccountSettings(&chime.GetAccountSettingsInput{AccountId: lwa})
			if err != nil || !aws.BoolValue(as.AccountSettings.DisableRemoteControl) || aws.BoolValue(as.AccountSettings.EnableDialOut) {
				t.Fatalf("account settings after a restart: %v %v", as, err)
			}
			if g := facetest.MustSigninDelegateGroups(t, sdk, seedLWAAccount); !slices.Equal(g, []string{"Chime admins", "Chime users"}) {
				t.Fatalf("delegate groups after a restart: %q", g)
			}
		})
	}
}
