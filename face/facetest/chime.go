package facetest

import (
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/chime"
)

// MustSigninDelegateGroups returns the names of the sign-in delegate groups of a Chime
// account, in the order GetAccount lists them, read with the official client c.
func MustSigninDelegateGroups(tb testing.TB, c *chime.Chime, account string) []string {
	tb.Helper()
	out, err := c.GetAccount(&chime.GetAccountInput{AccountId: aws.String(account)})
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, g := range out.Account.SigninDelegateGroups {
		names = append(names, aws.StringValue(g.GroupName))
	}
	return names
}
