package iam_test

import (
	"slices"
	"testing"

	"github.com/rollcall/rollcall/iam"
)

// TestOperations: every operation the faces route has a row (the lists are the faces' route
// tables), and no row names an operation no face routes.
func TestOperations(t *testing.T) {
	routed := map[string][]string{
		iam.FaceChime: {"CreateAccount", "ListAccounts", "GetAccount", "AssociateSigninDelegateGroupsWithAccount",
			"DisassociateSigninDelegateGroupsFromAccount", "UpdateAccount", "DeleteAccount", "GetAccountSettings",
			"UpdateAccountSettings", "ListUsers", "CreateUser", "InviteUsers", "BatchSuspendUser", "BatchUnsuspendUser",
			"BatchUpdateUser", "GetUser", "ResetPersonalPIN", "LogoutUser", "UpdateUser", "GetUserSettings", "UpdateUserSettings"},
		iam.FaceWorkDocs: {"CreateUser", "DescribeUsers", "GetCurrentUser", "UpdateUser", "DeleteUser", "ActivateUser", "DeactivateUser"},
		iam.FaceAlexaForBusiness: {"CreateUser", "SearchUsers", "DeleteUser", "TagResource", "UntagResource", "ListTags",
			"SendInvitation", "RevokeInvitation", "PutInvitationConfiguration", "GetInvitationConfiguration"},
	}
	for face, ops := range routed {
		svc, ok := iam.Services[face]
		if !ok || svc.Denial.Shape == "" || svc.Denial.Status == 0 || svc.Reference == "" {
			t.Errorf("%s: service %+v", face, svc)
		}
		if got, want := iam.Names(face), slices.Sorted(slices.Values(ops)); !slices.Equal(got, want) {
			t.Errorf("%s: Names = %v, want %v", face, got, want)
		}
		if got := len(iam.Operations(face)); got != len(ops) {
			t.Errorf("%s: %d rows, the face routes %d operations", face, got, len(ops))
		}
		for _, op := range ops {
			o, ok := iam.Lookup(face, op)
			if !ok {
				t.Errorf("%s.%s: no row", face, op)
				continue
			}
			if o.Action != svc.Prefix+":"+op || o.Face != face {
				t.Errorf("%s.%s: action %q", face, op, o.Action)
			}
		}
	}
	if _, ok := iam.Lookup(iam.FaceChime, "CreateMeeting"); ok {
		t.Error("a row for an operation no face routes")
	}
}

func TestAuthorize(t *testing.T) {
	ids := iam.Identifiers{Region: "us-east-1", Account: "111122223333", ResourceID: "u-1"}
	cases := []struct {
		face, op         string
		ids              iam.Identifiers
		action, resource string
	}{
		{iam.FaceChime, "CreateUser", ids, "chime:CreateUser", "*"},
		{iam.FaceWorkDocs, "DeactivateUser", ids, "workdocs:DeactivateUser", "*"},
		{iam.FaceAlexaForBusiness, "SearchUsers", ids, "a4b:SearchUsers", "*"},
		{iam.FaceAlexaForBusiness, "CreateUser", iam.Identifiers{Region: "eu-west-1", Account: "111122223333"},
			"a4b:CreateUser", "arn:aws:a4b:eu-west-1:111122223333:user/*"},
		{iam.FaceAlexaForBusiness, "SendInvitation", ids, "a4b:SendInvitation", "arn:aws:a4b:us-east-1:111122223333:user/u-1"},
		{iam.FaceAlexaForBusiness, "DeleteUser", iam.Identifiers{ResourceARN: "arn:aws:a4b:us-east-1:111122223333:user/x"},
			"a4b:DeleteUser", "arn:aws:a4b:us-east-1:111122223333:user/x"},
		{iam.FaceAlexaForBusiness, "TagResource", iam.Identifiers{Partition: "aws-cn", Region: "cn-north-1", Account: "111122223333", ResourceID: "u-2"},
			"a4b:TagResource", "arn:aws-cn:a4b:cn-north-1:111122223333:user/u-2"},
	}
	for _, tc := range cases {
		action, resource, ok := iam.Authorize(tc.face, tc.op, tc.ids)
		if !ok || action != tc.action || resource != tc.resource {
			t.Errorf("Authorize(%s, %s) = %q, %q, %v; want %q, %q", tc.face, tc.op, action, resource, ok, tc.action, tc.resource)
		}
	}
	if _, _, ok := iam.Authorize(iam.FaceWorkDocs, "CreateFolder", ids); ok {
		t.Error("Authorize of an unknown operation succeeded")
	}
	// A row's condition keys: tags on A4B CreateUser, none on Chime's user operations.
	o, _ := iam.Lookup(iam.FaceAlexaForBusiness, "CreateUser")
	if len(o.ConditionKeys) != 3 || o.ResourceType != "user" || !o.Required {
		t.Errorf("a4b CreateUser row %+v", o)
	}
	o, _ = iam.Lookup(iam.FaceChime, "CreateUser")
	if len(o.ConditionKeys) != 0 || o.ResourceType != "" {
		t.Errorf("chime CreateUser row %+v", o)
	}
}

// TestNewContext: the global keys, readable under any case.
func TestNewContext(t *testing.T) {
	c := iam.NewContext(iam.Principal{ARN: "arn:aws:iam::111122223333:user/team/dev", Account: "111122223333", UserID: "AIDAEXAMPLE"},
		iam.RequestInfo{Time: mustTime(t, "2026-11-30T12:00:00Z"), SourceIP: mustAddr(t, "::ffff:192.0.2.1"), SecureTransport: true})
	want := map[string]string{
		"aws:CurrentTime": "2026-11-30T12:00:00Z", "AWS:EPOCHTIME": "1796040000", "aws:securetransport": "true",
		"aws:SourceIp": "192.0.2.1", "aws:PrincipalArn": "arn:aws:iam::111122223333:user/team/dev",
		"aws:PrincipalAccount": "111122223333", "aws:username": "dev", "aws:userid": "AIDAEXAMPLE", "aws:PrincipalType": "User",
	}
	for k, v := range want {
		if got, ok := c.Get(k); !ok || len(got) != 1 || got[0] != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	c.SetTags(map[string]string{"team": "blue", "cost": "7"})
	if keys, _ := c.Get("aws:tagkeys"); len(keys) != 2 {
		t.Errorf("aws:TagKeys = %q", keys)
	}
	if v, _ := c.Get("aws:RequestTag/Team"); len(v) != 1 || v[0] != "blue" {
		t.Errorf("aws:RequestTag/team = %q", v)
	}
	c.SetResourceTags(map[string]string{"Protected": "yes"})
	if v, _ := c.Get("aws:resourcetag/protected"); len(v) != 1 || v[0] != "yes" {
		t.Errorf("aws:ResourceTag/Protected = %q", v)
	}
	role := iam.NewContext(iam.Principal{ARN: "arn:aws:sts::111122223333:assumed-role/ops/s1", Account: "111122223333"}, iam.RequestInfo{})
	if _, ok := role.Get("aws:username"); ok {
		t.Error("a role session has aws:username")
	}
	if _, ok := role.Get("aws:SourceIp"); ok {
		t.Error("aws:SourceIp set without a source address")
	}
}
