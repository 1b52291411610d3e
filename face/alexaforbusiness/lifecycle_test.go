package alexaforbusiness_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	a4b "github.com/aws/aws-sdk-go/service/alexaforbusiness"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	face "github.com/rollcall/rollcall/face/alexaforbusiness"
	"github.com/rollcall/rollcall/face/facetest"
)

// otherID changes the last hex digit of an ARN's UUID.
func otherID(arn string) string {
	last := "0"
	if strings.HasSuffix(arn, "0") {
		last = "1"
	}
	return arn[:len(arn)-1] + last
}

func enrollmentOf(arn string) string { return strings.Replace(arn, ":user/", ":enrollment/", 1) }

// MustTags returns the stored tags of the user with the UserId.
func (h *harness) MustTags(tb testing.TB, accountID, userID string) []alexa.Tag {
	tb.Helper()
	for _, u := range h.MustUsers(tb, accountID) {
		if u.Key == userID {
			return u.Attrs.Tags
		}
	}
	tb.Fatalf("no user %s in %s", userID, accountID)
	return nil
}

func tagsString(tags []alexa.Tag) string {
	var b strings.Builder
	for _, t := range tags {
		fmt.Fprintf(&b, "%s=%s;", t.Key, t.Value)
	}
	return b.String()
}

func TestDeleteUserSDK(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	created, err := client.CreateUser(&a4b.CreateUserInput{UserId: aws.String("ada"), FirstName: aws.String("Ada")})
	if err != nil {
		t.Fatal(err)
	}
	h.MustCreate(t, rollcall.DevAccountID, person{ID: "grace"})
	found, err := client.SearchUsers(&a4b.SearchUsersInput{Filters: []*a4b.Filter{filter("UserId", "ada")}})
	if err != nil || len(found.Users) != 1 {
		t.Fatalf("SearchUsers: %v %v", err, found)
	}
	arn, enrollment := found.Users[0].UserArn, found.Users[0].EnrollmentId
	if aws.StringValue(arn) != aws.StringValue(created.UserArn) {
		t.Fatalf("SearchUsers found %s, created %s", aws.StringValue(arn), aws.StringValue(created.UserArn))
	}
	wantNotFound := func(err error, msg string) {
		t.Helper()
		var nf *a4b.NotFoundException
		if !errors.As(err, &nf) || nf.StatusCode() != http.StatusBadRequest || nf.Message() != msg {
			t.Fatalf("got %v, want NotFoundException %q", err, msg)
		}
	}
	// Another account cannot delete it, even with the right enrollment.
	_, err = h.MustClient(t, otherKeyID, otherSecret).DeleteUser(&a4b.DeleteUserInput{UserArn: arn, EnrollmentId: enrollment})
	wantNotFound(err, "The resource "+aws.StringValue(arn)+" was not found.")
	// Nor can anyone with another user's enrollment.
	_, err = client.DeleteUser(&a4b.DeleteUserInput{UserArn: arn, EnrollmentId: aws.String("")})
	wantNotFound(err, "The enrollment of user "+aws.StringValue(arn)+" was not found.") // no double space for the empty one
	if n := len(h.MustUsers(t, rollcall.DevAccountID)); n != 2 {
		t.Fatalf("%d users after refused deletes, want 2", n)
	}

	req, out := client.DeleteUserRequest(&a4b.DeleteUserInput{UserArn: arn, EnrollmentId: enrollment})
	if err := req.Send(); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	if out == nil || req.RequestID == "" {
		t.Fatalf("DeleteUser returned %v, request id %q", out, req.RequestID)
	}
	users := h.MustUsers(t, rollcall.DevAccountID)
	if len(users) != 1 || users[0].Key != "grace" {
		t.Fatalf("after delete: %+v", users)
	}
	// Gone: deleting it again, and tagging it, are NotFound.
	_, err = client.DeleteUser(&a4b.DeleteUserInput{UserArn: arn, EnrollmentId: enrollment})
	wantNotFound(err, "The resource "+aws.StringValue(arn)+" was not found.")
	_, err = client.TagResource(&a4b.TagResourceInput{Arn: arn, Tags: []*a4b.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	wantNotFound(err, "The resource "+aws.StringValue(arn)+" was not found.")
	// The UserId is free again, and the new user has a new ARN.
	again, err := client.CreateUser(&a4b.CreateUserInput{UserId: aws.String("ada")})
	if err != nil || aws.StringValue(again.UserArn) == aws.StringValue(arn) {
		t.Fatalf("CreateUser after delete: %v, %v", err, again)
	}
}

// TestLifecycleNotFound: ARNs that match the pattern but name no user of the caller.
func TestLifecycleNotFound(t *testing.T) {
	h := MustHarness(t)
	arns := h.MustCreate(t, rollcall.DevAccountID, person{ID: "ada"})
	theirs := h.MustCreate(t, otherAccountID, person{ID: "ada"})["ada"]
	ada := arns["ada"]
	for _, arn := range []string{
		theirs, // another account's user
		strings.Replace(ada, "us-east-1", "eu-west-1", 1), // another region
		strings.Replace(ada, ":user/", ":room/", 1),       // another resource type
		strings.Replace(ada, ":a4b:", ":chime:", 1),       // another service
		otherID(ada), // another id
		"arn:aws:a4b:us-east-1:000000000000:user/",                            // no id
		"arn:aws:a4b:us-east-1:000000000000:user/" + strings.Repeat("x", 900), // long
	} {
		for op, body := range map[string]string{
			"DeleteUser":    facetest.JSONBody(t, map[string]any{"UserArn": arn, "EnrollmentId": enrollmentOf(ada)}),
			"TagResource":   facetest.JSONBody(t, map[string]any{"Arn": arn, "Tags": []map[string]string{{"Key": "k", "Value": "v"}}}),
			"UntagResource": facetest.JSONBody(t, map[string]any{"Arn": arn, "TagKeys": []string{"k"}}),
			"ListTags":      facetest.JSONBody(t, map[string]any{"Arn": arn}),
		} {
			h.MustDo(t, body, withTarget("AlexaForBusiness."+op)).MustError(t, http.StatusBadRequest, face.ErrNotFound, "The resource "+arn+" was not found.")
		}
	}
	if n := len(h.MustUsers(t, otherAccountID)); n != 1 || len(h.MustTags(t, otherAccountID, "ada")) != 0 {
		t.Fatalf("the other account changed: %d users", n)
	}
}

func TestDeleteUserConstraints(t *testing.T) {
	h := MustHarness(t)
	arn := h.MustCreate(t, rollcall.DevAccountID, person{ID: "ada"})["ada"]
	del := withTarget("AlexaForBusiness.DeleteUser")
	const pre = "1 validation error detected: "
	arnMsg := func(v string) string {
		return pre + "Value '" + v + "' at 'userArn' failed to satisfy constraint: Member must satisfy regular expression pattern: " +
			`arn:[a-z0-9-\.]{1,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[^/].{0,1023}`
	}
	long := "arn:a:b:c:d:e" + strings.Repeat("f", 1023)
	for _, tc := range []struct {
		name  string
		body  map[string]any
		shape string
		msg   string
	}{
		{"no UserArn", map[string]any{"EnrollmentId": enrollmentOf(arn)}, face.ErrValidation, pre + "Value null at 'userArn' failed to satisfy constraint: Member must not be null"},
		{"no EnrollmentId", map[string]any{"UserArn": arn}, face.ErrValidation, pre + "Value null at 'enrollmentId' failed to satisfy constraint: Member must not be null"},
		{"EnrollmentId 128", map[string]any{"UserArn": arn, "EnrollmentId": strings.Repeat("e", 128)}, face.ErrNotFound, ""},
		{"EnrollmentId 129", map[string]any{"UserArn": arn, "EnrollmentId": strings.Repeat("e", 129)}, face.ErrValidation,
			pre + "Value '" + strings.Repeat("e", 129) + "' at 'enrollmentId' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"UserArn not an ARN", map[string]any{"UserArn": "ada", "EnrollmentId": ""}, face.ErrValidation, arnMsg("ada")},
		{"UserArn upper case service", map[string]any{"UserArn": strings.Replace(arn, "a4b", "A4B", 1), "EnrollmentId": ""}, face.ErrValidation,
			arnMsg(strings.Replace(arn, "a4b", "A4B", 1))},
		{"UserArn resource starts with /", map[string]any{"UserArn": "arn:aws:a4b:us-east-1:000000000000:/user", "EnrollmentId": ""}, face.ErrValidation,
			arnMsg("arn:aws:a4b:us-east-1:000000000000:/user")},
		{"UserArn resource 1024", map[string]any{"UserArn": long, "EnrollmentId": ""}, face.ErrNotFound, ""},
		{"UserArn resource 1025", map[string]any{"UserArn": long + "f", "EnrollmentId": ""}, face.ErrValidation, arnMsg(long + "f")},
		{"partition 63", map[string]any{"UserArn": "arn:" + strings.Repeat("p", 63) + ":a4b::1:user/x", "EnrollmentId": ""}, face.ErrNotFound, ""},
		{"partition 64", map[string]any{"UserArn": "arn:" + strings.Repeat("p", 64) + ":a4b::1:user/x", "EnrollmentId": ""}, face.ErrValidation,
			arnMsg("arn:" + strings.Repeat("p", 64) + ":a4b::1:user/x")},
		{"wrong type", map[string]any{"UserArn": arn, "EnrollmentId": 5}, face.ErrSerialization, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.MustDo(t, facetest.JSONBody(t, tc.body), del).MustError(t, http.StatusBadRequest, tc.shape, tc.msg)
		})
	}
	if n := len(h.MustUsers(t, rollcall.DevAccountID)); n != 1 {
		t.Fatalf("%d users, want the one", n)
	}
}

func TestTagsSDK(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	created, err := client.CreateUser(&a4b.CreateUserInput{UserId: aws.String("ada"), Tags: []*a4b.Tag{{Key: aws.String("team"), Value: aws.String("engine")}}})
	if err != nil {
		t.Fatal(err)
	}
	arn := created.UserArn
	tags := func(kv ...string) []*a4b.Tag {
		var out []*a4b.Tag
		for i := 0; i < len(kv); i += 2 {
			out = append(out, &a4b.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
		}
		return out
	}
	if _, err := client.TagResource(&a4b.TagResourceInput{Arn: arn, Tags: tags("team", "analytical", "b", "", "a:b/c=d+e-f@g.h_i", "ünïcode value")}); err != nil {
		t.Fatalf("TagResource: %v", err)
	}
	if got := tagsString(h.MustTags(t, rollcall.DevAccountID, "ada")); got != "team=analytical;b=;a:b/c=d+e-f@g.h_i=ünïcode value;" {
		t.Fatalf("stored %s", got)
	}
	list, err := client.ListTags(&a4b.ListTagsInput{Arn: arn})
	if err != nil || list.NextToken != nil {
		t.Fatalf("ListTags: %v %v", err, list)
	}
	var got []string
	for _, tg := range list.Tags {
		got = append(got, aws.StringValue(tg.Key)+"="+aws.StringValue(tg.Value))
	}
	if strings.Join(got, ";") != "a:b/c=d+e-f@g.h_i=ünïcode value;b=;team=analytical" {
		t.Fatalf("ListTags = %v (want ordered by key)", got)
	}
	// Another account sees nothing and changes nothing.
	other := h.MustClient(t, otherKeyID, otherSecret)
	var nf *a4b.NotFoundException
	if _, err := other.ListTags(&a4b.ListTagsInput{Arn: arn}); !errors.As(err, &nf) {
		t.Fatalf("ListTags from another account: %v", err)
	}
	if _, err := other.TagResource(&a4b.TagResourceInput{Arn: arn, Tags: tags("team", "stolen")}); !errors.As(err, &nf) {
		t.Fatalf("TagResource from another account: %v", err)
	}
	if _, err := other.UntagResource(&a4b.UntagResourceInput{Arn: arn, TagKeys: aws.StringSlice([]string{"team"})}); !errors.As(err, &nf) {
		t.Fatalf("UntagResource from another account: %v", err)
	}
	if got := tagsString(h.MustTags(t, rollcall.DevAccountID, "ada")); got != "team=analytical;b=;a:b/c=d+e-f@g.h_i=ünïcode value;" {
		t.Fatalf("after the other account: %s", got)
	}
	// Untag: unknown keys are ignored; an empty list changes nothing.
	if _, err := client.UntagResource(&a4b.UntagResourceInput{Arn: arn, TagKeys: aws.StringSlice([]string{"b", "missing"})}); err != nil {
		t.Fatalf("UntagResource: %v", err)
	}
	if _, err := client.UntagResource(&a4b.UntagResourceInput{Arn: arn, TagKeys: []*string{}}); err != nil {
		t.Fatalf("UntagResource with no keys: %v", err)
	}
	if got := tagsString(h.MustTags(t, rollcall.DevAccountID, "ada")); got != "team=analytical;a:b/c=d+e-f@g.h_i=ünïcode value;" {
		t.Fatalf("after untag: %s", got)
	}
	// ListTags pages by key, and the SDK's paginator follows them.
	for i := 0; i < 7; i++ {
		if _, err := client.TagResource(&a4b.TagResourceInput{Arn: arn, Tags: tags(fmt.Sprintf("k%d", i), fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
	var keys []string
	pages := 0
	err = client.ListTagsPages(&a4b.ListTagsInput{Arn: arn, MaxResults: aws.Int64(2)}, func(out *a4b.ListTagsOutput, last bool) bool {
		pages++
		for _, tg := range out.Tags {
			keys = append(keys, aws.StringValue(tg.Key))
		}
		if pages == 2 { // a tag removed and one added behind the cursor do not disturb the walk
			if _, err := client.UntagResource(&a4b.UntagResourceInput{Arn: arn, TagKeys: aws.StringSlice([]string{"k0"})}); err != nil {
				t.Error(err)
			}
			if _, err := client.TagResource(&a4b.TagResourceInput{Arn: arn, Tags: tags("aa", "new")}); err != nil {
				t.Error(err)
			}
		}
		return pages < 100
	})
	if err != nil {
		t.Fatalf("ListTagsPages: %v", err)
	}
	if strings.Join(keys, ",") != "a:b/c=d+e-f@g.h_i,k0,k1,k2,k3,k4,k5,k6,team" || pages != 5 {
		t.Fatalf("%d pages: %v", pages, keys)
	}
}

func TestTagConstraints(t *testing.T) {
	h := MustHarness(t)
	arn := h.MustCreate(t, rollcall.DevAccountID, person{ID: "ada"})["ada"]
	tag := withTarget("AlexaForBusiness.TagResource")
	untag := withTarget("AlexaForBusiness.UntagResource")
	list := withTarget("AlexaForBusiness.ListTags")
	const pre = "1 validation error detected: "
	const tagPattern = `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`
	kv := func(k, v any) map[string]any { return map[string]any{"Key": k, "Value": v} }
	long := func(n int) string { return strings.Repeat("a", n) }
	var fifty []map[string]any // with the two the first cases add, 50 in all
	for i := 0; i < 48; i++ {
		fifty = append(fifty, kv(fmt.Sprintf("t%02d", i), "v"))
	}
	for _, tc := range []struct {
		name  string
		opt   func(*raw)
		body  map[string]any
		shape string // "" = accepted
		msg   string
	}{
		{"key 128", tag, map[string]any{"Arn": arn, "Tags": []any{kv(long(128), "")}}, "", ""},
		{"key 129", tag, map[string]any{"Arn": arn, "Tags": []any{kv(long(129), "")}}, face.ErrValidation,
			pre + "Value '" + long(129) + "' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"empty key", tag, map[string]any{"Arn": arn, "Tags": []any{kv("", "v")}}, face.ErrValidation,
			pre + "Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"value 256", tag, map[string]any{"Arn": arn, "Tags": []any{kv("k", long(256))}}, "", ""},
		{"value 257", tag, map[string]any{"Arn": arn, "Tags": []any{kv("k", long(257))}}, face.ErrValidation,
			pre + "Value '" + long(257) + "' at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256"},
		{"key pattern", tag, map[string]any{"Arn": arn, "Tags": []any{kv("a", "v"), kv("semi;colon", "v")}}, face.ErrValidation,
			pre + "Value 'semi;colon' at 'tags.2.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: " + tagPattern},
		{"value pattern", tag, map[string]any{"Arn": arn, "Tags": []any{kv("k", "a\tb")}}, face.ErrValidation,
			pre + "Value 'a\tb' at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: " + tagPattern},
		{"no value", tag, map[string]any{"Arn": arn, "Tags": []any{map[string]any{"Key": "k"}}}, face.ErrValidation,
			pre + "Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null"},
		{"duplicate key", tag, map[string]any{"Arn": arn, "Tags": []any{kv("k", "1"), kv("k", "2")}}, face.ErrValidation,
			pre + "Value 'k' at 'tags.2.member.key' failed to satisfy constraint: Member must be unique among the keys of tags"},
		{"system tag", tag, map[string]any{"Arn": arn, "Tags": []any{kv("AWS:created", "v")}}, face.ErrValidation,
			pre + "Value 'AWS:created' at 'tags.1.member.key' failed to satisfy constraint: Member must not begin with aws: (system tags are reserved)"},
		{"no tags", tag, map[string]any{"Arn": arn}, face.ErrValidation, pre + "Value null at 'tags' failed to satisfy constraint: Member must not be null"},
		{"no arn", tag, map[string]any{"Tags": []any{}}, face.ErrValidation, pre + "Value null at 'arn' failed to satisfy constraint: Member must not be null"},
		{"null tag", tag, map[string]any{"Arn": arn, "Tags": []any{nil}}, face.ErrValidation, pre + "Value null at 'tags.1.member' failed to satisfy constraint: Member must not be null"},
		{"50 tags in all", tag, map[string]any{"Arn": arn, "Tags": fifty}, "", ""},
		{"the 51st tag", tag, map[string]any{"Arn": arn, "Tags": []any{kv("one-more", "v")}}, face.ErrValidation,
			"A resource can have at most 50 tags; " + arn + " would have 51."},
		{"replacing a value at 50", tag, map[string]any{"Arn": arn, "Tags": []any{kv("t00", "changed")}}, "", ""},
		{"untag key 129", untag, map[string]any{"Arn": arn, "TagKeys": []any{"k", long(129)}}, face.ErrValidation,
			pre + "Value '" + long(129) + "' at 'tagKeys.2.member' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"untag no keys", untag, map[string]any{"Arn": arn}, face.ErrValidation, pre + "Value null at 'tagKeys' failed to satisfy constraint: Member must not be null"},
		{"untag null key", untag, map[string]any{"Arn": arn, "TagKeys": []any{nil}}, face.ErrValidation,
			pre + "Value null at 'tagKeys.1.member' failed to satisfy constraint: Member must not be null"},
		{"list MaxResults 0", list, map[string]any{"Arn": arn, "MaxResults": 0}, face.ErrValidation,
			pre + "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"list MaxResults 51", list, map[string]any{"Arn": arn, "MaxResults": 51}, face.ErrValidation,
			pre + "Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50"},
		{"list MaxResults 50", list, map[string]any{"Arn": arn, "MaxResults": 50}, "", ""},
		{"list forged token", list, map[string]any{"Arn": arn, "NextToken": "forged"}, face.ErrValidation,
			"1 validation error detected: Value at 'nextToken' failed to satisfy constraint: Member must be a NextToken returned by ListTags for this account and Arn"},
		{"list token 1101", list, map[string]any{"Arn": arn, "NextToken": long(1101)}, face.ErrValidation,
			pre + "Value '" + long(1101) + "' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 1100"},
		{"list bad arn", list, map[string]any{"Arn": "user/ada"}, face.ErrValidation,
			pre + "Value 'user/ada' at 'arn' failed to satisfy constraint: Member must satisfy regular expression pattern: " +
				`arn:[a-z0-9-\.]{1,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[^/].{0,1023}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := tagsString(h.MustTags(t, rollcall.DevAccountID, "ada"))
			rp := h.MustDo(t, facetest.JSONBody(t, tc.body), tc.opt)
			if tc.shape == "" {
				if rp.Status != http.StatusOK {
					t.Fatalf("got %d %s, want 200", rp.Status, rp.Body)
				}
				return
			}
			rp.MustError(t, http.StatusBadRequest, tc.shape, tc.msg)
			if after := tagsString(h.MustTags(t, rollcall.DevAccountID, "ada")); after != before {
				t.Fatalf("a refused request changed the tags:\n%s\n%s", before, after)
			}
		})
	}
	// A token for one ARN does not open for another.
	h.MustCreate(t, rollcall.DevAccountID, person{ID: "grace"})
	grace := h.MustUsers(t, rollcall.DevAccountID)
	var graceArn string
	for _, u := range grace {
		if u.Key == "grace" {
			graceArn = u.Attrs.Arn
		}
	}
	out, err := h.MustClient(t, "", "").ListTags(&a4b.ListTagsInput{Arn: aws.String(arn), MaxResults: aws.Int64(10)})
	if err != nil || out.NextToken == nil {
		t.Fatalf("ListTags: %v %v", err, out)
	}
	h.MustDo(t, facetest.JSONBody(t, map[string]any{"Arn": graceArn, "NextToken": *out.NextToken}), list).MustError(t, http.StatusBadRequest, face.ErrValidation, "")
	h.MustDo(t, facetest.JSONBody(t, map[string]any{"Arn": arn, "NextToken": *out.NextToken}), list, withKey(otherKeyID, otherSecret)).
		MustError(t, http.StatusBadRequest, face.ErrValidation, "")
}

// TestLifecycleNeedsAuthentication: every operation is authenticated before anything is
// read or changed, and a wrong secret gets the typed SigV4 error.
func TestLifecycleNeedsAuthentication(t *testing.T) {
	h := MustHarness(t)
	arn := h.MustCreate(t, rollcall.DevAccountID, person{ID: "ada"})["ada"]
	bodies := map[string]string{
		"SearchUsers":   `{}`,
		"DeleteUser":    facetest.JSONBody(t, map[string]any{"UserArn": arn, "EnrollmentId": enrollmentOf(arn)}),
		"TagResource":   facetest.JSONBody(t, map[string]any{"Arn": arn, "Tags": []map[string]string{{"Key": "k", "Value": "v"}}}),
		"UntagResource": facetest.JSONBody(t, map[string]any{"Arn": arn, "TagKeys": []string{"k"}}),
		"ListTags":      facetest.JSONBody(t, map[string]any{"Arn": arn}),
	}
	for op, body := range bodies {
		h.MustDo(t, body, withTarget("AlexaForBusiness."+op), unsigned).
			MustError(t, http.StatusBadRequest, face.ErrMissingAuthToken, "Request is missing Authentication Token")
		h.MustDo(t, body, withTarget("AlexaForBusiness."+op), withKey(rollcall.DevAccessKeyID, "wrong-secret")).
			MustError(t, http.StatusBadRequest, face.ErrInvalidSignature, "")
	}
	if users := h.MustUsers(t, rollcall.DevAccountID); len(users) != 1 || len(users[0].Attrs.Tags) != 0 {
		t.Fatalf("unauthenticated requests changed %+v", users)
	}
}
