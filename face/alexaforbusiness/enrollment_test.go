package alexaforbusiness_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	a4b "github.com/aws/aws-sdk-go/service/alexaforbusiness"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/invite"
)

var linkPattern = regexp.MustCompile(`/invitations/([A-Za-z0-9_-]+)`)

// MustLatestToken returns the link token of the one invitation to the email that it
// has not returned before.
func (h *harness) MustLatestToken(tb testing.TB, email string) string {
	tb.Helper()
	var fresh []string
	for _, m := range h.MustMessages(tb) {
		if link := linkPattern.FindStringSubmatch(m.TextBody); m.To == email && link != nil && !h.seen[link[1]] {
			fresh = append(fresh, link[1])
		}
	}
	if len(fresh) != 1 {
		tb.Fatalf("%d new invitations to %s in the outbox, want 1", len(fresh), email)
	}
	h.seen[fresh[0]] = true
	return fresh[0]
}

// MustStatus returns what SearchUsers says of the user.
func mustEnrollment(tb testing.TB, client *a4b.AlexaForBusiness, userID string) *a4b.UserData {
	tb.Helper()
	out, err := client.SearchUsers(&a4b.SearchUsersInput{Filters: []*a4b.Filter{filter("UserId", userID)}})
	if err != nil || len(out.Users) != 1 {
		tb.Fatalf("SearchUsers %s: %v %v", userID, out, err)
	}
	return out.Users[0]
}

// TestEnrollmentSDK walks an enrollment through the SDK: INITIALIZED, PENDING after
// SendInvitation (an email in the outbox, link valid 30 days), a re-send that kills the
// first link, REGISTERED after accepting, and the states SendInvitation refuses.
func TestEnrollmentSDK(t *testing.T) {
	h := MustHarness(t)
	var clock atomic.Int64
	clock.Store(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC).UnixMilli())
	h.svc.Now = func() time.Time { return time.UnixMilli(clock.Load()).UTC() }
	client := h.MustClient(t, "", "")
	arns := h.MustCreate(t, rollcall.DevAccountID, person{ID: "ada", First: "Ada", Last: "Lovelace", Email: "ada@example.com"}, person{ID: "noemail"})
	ada := aws.String(arns["ada"])

	if s := aws.StringValue(mustEnrollment(t, client, "ada").EnrollmentStatus); s != "INITIALIZED" {
		t.Fatalf("a new user is %s", s)
	}
	if _, err := client.SendInvitation(&a4b.SendInvitationInput{UserArn: ada}); err != nil {
		t.Fatalf("SendInvitation: %v", err)
	}
	if s := aws.StringValue(mustEnrollment(t, client, "ada").EnrollmentStatus); s != "PENDING" {
		t.Fatalf("after SendInvitation: %s", s)
	}
	msgs := h.MustMessages(t)
	if len(msgs) != 1 || msgs[0].To != "ada@example.com" || !strings.Contains(msgs[0].TextBody, "Ada Lovelace") ||
		!strings.Contains(msgs[0].Subject, "Alexa for Business") {
		t.Fatalf("outbox after SendInvitation: %+v", msgs)
	}
	first := h.MustLatestToken(t, "ada@example.com")
	d, err := h.Invite.Invitation(context.Background(), first)
	if err != nil {
		t.Fatalf("the link does not work: %v", err)
	}
	if ttl := d.Invitation.ExpiresAt.Sub(d.Invitation.CreatedAt); ttl != 30*24*time.Hour {
		t.Fatalf("the link works for %v, want 30 days", ttl)
	}

	// Again: a new link; the first no longer works, the second does.
	if _, err := client.SendInvitation(&a4b.SendInvitationInput{UserArn: ada}); err != nil {
		t.Fatalf("SendInvitation again: %v", err)
	}
	second := h.MustLatestToken(t, "ada@example.com")
	if second == first || len(h.MustMessages(t)) != 2 {
		t.Fatalf("the second invitation has the same link or no message")
	}
	if _, err := h.Invite.Invitation(context.Background(), first); rollcall.ErrorReason(err) != invite.ReasonInvitationRevoked {
		t.Fatalf("the replaced link: %v, want %s", err, invite.ReasonInvitationRevoked)
	}
	if _, err := h.Invite.Accept(context.Background(), first, ""); rollcall.ErrorReason(err) != invite.ReasonInvitationRevoked {
		t.Fatalf("accepting the replaced link: %v", err)
	}
	// 30 days on, to the millisecond, the link has expired.
	clock.Add((30 * 24 * time.Hour).Milliseconds())
	if _, err := h.Invite.Invitation(context.Background(), second); rollcall.ErrorReason(err) != invite.ReasonInvitationExpired {
		t.Fatalf("after 30 days: %v", err)
	}
	clock.Add(-1)
	if _, err := h.Invite.Accept(context.Background(), second, ""); err != nil {
		t.Fatalf("accept: %v", err)
	}
	if s := aws.StringValue(mustEnrollment(t, client, "ada").EnrollmentStatus); s != "REGISTERED" {
		t.Fatalf("after acceptance: %s", s)
	}
	if _, err := h.Invite.Invitation(context.Background(), second); rollcall.ErrorReason(err) != invite.ReasonInvitationUsed {
		t.Fatalf("the used link: %v", err)
	}

	// Refused: REGISTERED, no email. Nothing is queued.
	_, err = client.SendInvitation(&a4b.SendInvitationInput{UserArn: ada})
	facetest.WantSDKError(t, err, "InvalidUserStatusException", http.StatusBadRequest, "The user "+arns["ada"]+" is already REGISTERED.")
	_, err = client.SendInvitation(&a4b.SendInvitationInput{UserArn: aws.String(arns["noemail"])})
	facetest.WantSDKError(t, err, "InvalidUserStatusException", http.StatusBadRequest, "The user "+arns["noemail"]+" has no email address to send an invitation to.")
	if s := aws.StringValue(mustEnrollment(t, client, "noemail").EnrollmentStatus); s != "INITIALIZED" {
		t.Fatalf("a refused SendInvitation changed the user: %s", s)
	}
	if n := len(h.MustMessages(t)); n != 2 {
		t.Fatalf("%d messages after refused invitations, want 2", n)
	}
}

// TestSendInvitationRefusals: every constraint and error of SendInvitation, and that a
// refused request queues nothing.
func TestSendInvitationRefusals(t *testing.T) {
	h := MustHarness(t)
	arns := h.MustCreate(t, rollcall.DevAccountID, person{ID: "ada", Email: "ada@example.com"})
	other := h.MustCreate(t, otherAccountID, person{ID: "bob", Email: "bob@example.com"})
	const target = "AlexaForBusiness.SendInvitation"
	cases := []struct {
		name, body, shape, msg string
	}{
		{"no UserArn", `{}`, "ValidationException", "1 validation error detected: Value null at 'userArn' failed to satisfy constraint: Member must not be null"},
		{"malformed ARN", `{"UserArn":"ada"}`, "ValidationException", ""},
		{"ARN of another type", `{"UserArn":"` + strings.Replace(arns["ada"], ":user/", ":room/", 1) + `"}`, "NotFoundException", ""},
		{"unknown user", `{"UserArn":"` + otherID(arns["ada"]) + `"}`, "NotFoundException", "The resource " + otherID(arns["ada"]) + " was not found."},
		{"another account's user", `{"UserArn":"` + other["bob"] + `"}`, "NotFoundException", "The resource " + other["bob"] + " was not found."},
		{"UserArn of the wrong type", `{"UserArn":7}`, "SerializationException", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.MustDo(t, tc.body, withTarget(target)).MustError(t, http.StatusBadRequest, tc.shape, tc.msg)
		})
	}
	if msgs := h.MustMessages(t); len(msgs) != 0 {
		t.Fatalf("refused invitations queued %d messages", len(msgs))
	}
	for _, u := range append(h.MustUsers(t, rollcall.DevAccountID), h.MustUsers(t, otherAccountID)...) {
		if alexa.EnrollmentStatus(u) != "INITIALIZED" {
			t.Fatalf("%s is %s after refused invitations", u.Key, alexa.EnrollmentStatus(u))
		}
	}
}

// TestRevokeInvitationSDK: a revoked link stops working and the enrollment is
// INITIALIZED again; revoking where nothing is pending changes nothing; every
// constraint and error.
func TestRevokeInvitationSDK(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	arns := h.MustCreate(t, rollcall.DevAccountID, person{ID: "ada", Email: "ada@example.com"}, person{ID: "grace", Email: "grace@example.com"})
	ada, enrollment := aws.String(arns["ada"]), aws.String(enrollmentOf(arns["ada"]))
	if _, err := client.SendInvitation(&a4b.SendInvitationInput{UserArn: ada}); err != nil {
		t.Fatal(err)
	}
	token := h.MustLatestToken(t, "ada@example.com")

	// Refusals first: nothing changes.
	other := h.MustClient(t, otherKeyID, otherSecret)
	_, err := other.RevokeInvitation(&a4b.RevokeInvitationInput{UserArn: ada, EnrollmentId: enrollment})
	facetest.WantSDKError(t, err, "NotFoundException", http.StatusBadRequest, "The resource "+arns["ada"]+" was not found.")
	_, err = client.RevokeInvitation(&a4b.RevokeInvitationInput{UserArn: ada, EnrollmentId: aws.String(enrollmentOf(arns["grace"]))})
	facetest.WantSDKError(t, err, "NotFoundException", http.StatusBadRequest, "The enrollment "+enrollmentOf(arns["grace"])+" of user "+arns["ada"]+" was not found.")
	_, err = client.RevokeInvitation(&a4b.RevokeInvitationInput{UserArn: aws.String(otherID(arns["ada"])), EnrollmentId: enrollment})
	facetest.WantSDKError(t, err, "NotFoundException", http.StatusBadRequest, "")
	const target = "AlexaForBusiness.RevokeInvitation"
	long := strings.Repeat("e", 129)
	for _, tc := range []struct{ name, body, msg string }{
		{"no UserArn", `{"EnrollmentId":"` + *enrollment + `"}`, "1 validation error detected: Value null at 'userArn' failed to satisfy constraint: Member must not be null"},
		{"no EnrollmentId", `{"UserArn":"` + *ada + `"}`, "1 validation error detected: Value null at 'enrollmentId' failed to satisfy constraint: Member must not be null"},
		{"EnrollmentId of 129", `{"UserArn":"` + *ada + `","EnrollmentId":"` + long + `"}`,
			"1 validation error detected: Value '" + long + "' at 'enrollmentId' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"malformed ARN", `{"UserArn":"x","EnrollmentId":"e"}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.MustDo(t, tc.body, withTarget(target)).MustError(t, http.StatusBadRequest, "ValidationException", tc.msg)
		})
	}
	// EnrollmentId has no minimum length: an empty one is well formed and names nothing
	// (and leaves no double space in the message).
	h.MustDo(t, `{"UserArn":"`+*ada+`","EnrollmentId":""}`, withTarget(target)).MustError(t, http.StatusBadRequest, "NotFoundException",
		"The enrollment of user "+*ada+" was not found.")
	if _, err := h.Invite.Invitation(context.Background(), token); err != nil {
		t.Fatalf("a refused revoke killed the link: %v", err)
	}

	if _, err := client.RevokeInvitation(&a4b.RevokeInvitationInput{UserArn: ada, EnrollmentId: enrollment}); err != nil {
		t.Fatalf("RevokeInvitation: %v", err)
	}
	if s := aws.StringValue(mustEnrollment(t, client, "ada").EnrollmentStatus); s != "INITIALIZED" {
		t.Fatalf("after revoking: %s", s)
	}
	if _, err := h.Invite.Invitation(context.Background(), token); rollcall.ErrorReason(err) != invite.ReasonInvitationRevoked {
		t.Fatalf("the revoked link: %v", err)
	}
	// Again, and on a user never invited: nothing to revoke, nothing changes.
	for _, id := range []string{"ada", "grace"} {
		if _, err := client.RevokeInvitation(&a4b.RevokeInvitationInput{UserArn: aws.String(arns[id]), EnrollmentId: aws.String(enrollmentOf(arns[id]))}); err != nil {
			t.Fatalf("RevokeInvitation of %s with nothing pending: %v", id, err)
		}
	}
	// A REGISTERED user stays REGISTERED.
	if _, err := client.SendInvitation(&a4b.SendInvitationInput{UserArn: ada}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Invite.Accept(context.Background(), h.MustLatestToken(t, "ada@example.com"), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := client.RevokeInvitation(&a4b.RevokeInvitationInput{UserArn: ada, EnrollmentId: enrollment}); err != nil {
		t.Fatalf("RevokeInvitation of a REGISTERED user: %v", err)
	}
	if s := aws.StringValue(mustEnrollment(t, client, "ada").EnrollmentStatus); s != "REGISTERED" {
		t.Fatalf("revoking changed a REGISTERED user to %s", s)
	}
}

// TestDeleteUserEndsInvitation: deleting a PENDING user kills its link.
func TestDeleteUserEndsInvitation(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	arns := h.MustCreate(t, rollcall.DevAccountID, person{ID: "ada", Email: "ada@example.com"})
	if _, err := client.SendInvitation(&a4b.SendInvitationInput{UserArn: aws.String(arns["ada"])}); err != nil {
		t.Fatal(err)
	}
	token := h.MustLatestToken(t, "ada@example.com")
	if _, err := client.DeleteUser(&a4b.DeleteUserInput{UserArn: aws.String(arns["ada"]), EnrollmentId: aws.String(enrollmentOf(arns["ada"]))}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Invite.Accept(context.Background(), token, ""); !rollcall.IsKind(err, rollcall.NotFound) {
		t.Fatalf("accepting the deleted user's link: %v", err)
	}
}

// TestSearchByEnrollmentStatus: SearchUsers filters and sorts by the enrollment state.
func TestSearchByEnrollmentStatus(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	arns := h.MustCreate(t, rollcall.DevAccountID, person{ID: "a", Email: "a@example.com"}, person{ID: "b", Email: "b@example.com"},
		person{ID: "c", Email: "c@example.com"})
	for _, id := range []string{"b", "c"} {
		if _, err := client.SendInvitation(&a4b.SendInvitationInput{UserArn: aws.String(arns[id])}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.Invite.Accept(context.Background(), h.MustLatestToken(t, "c@example.com"), ""); err != nil {
		t.Fatal(err)
	}
	ids := func(in *a4b.SearchUsersInput) string {
		t.Helper()
		out, err := client.SearchUsers(in)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, u := range out.Users {
			s = append(s, aws.StringValue(u.EnrollmentStatus))
		}
		return strings.Join(s, ",")
	}
	if got := ids(&a4b.SearchUsersInput{Filters: []*a4b.Filter{filter("EnrollmentStatus", "PENDING", "REGISTERED")},
		SortCriteria: []*a4b.Sort{sortBy("UserId", "ASC")}}); got != "PENDING,REGISTERED" {
		t.Fatalf("filter PENDING,REGISTERED: %s", got)
	}
	if got := ids(&a4b.SearchUsersInput{SortCriteria: []*a4b.Sort{sortBy("EnrollmentStatus", "DESC")}}); got != "REGISTERED,PENDING,INITIALIZED" {
		t.Fatalf("sort by EnrollmentStatus DESC: %s", got)
	}
}

// TestInvitationConfigurationSDK: Get before Put is NotFoundException; Put replaces the
// whole configuration, per account; the enrollment email shows it.
func TestInvitationConfigurationSDK(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	_, err := client.GetInvitationConfiguration(&a4b.GetInvitationConfigurationInput{})
	facetest.WantSDKError(t, err, "NotFoundException", http.StatusBadRequest, "No invitation configuration has been set for this account; call PutInvitationConfiguration first.")

	skills := []string{"amzn1.ask.skill.0123abcd-4567", "amzn1.echo-sdk-ams.app.89ef", "amzn1.ask.skill.f"}
	put := &a4b.PutInvitationConfigurationInput{OrganizationName: aws.String("Acme Café"), ContactEmail: aws.String("it-help@acme.example"),
		PrivateSkillIds: aws.StringSlice(skills)}
	if _, err := client.PutInvitationConfiguration(put); err != nil {
		t.Fatalf("PutInvitationConfiguration: %v", err)
	}
	got, err := client.GetInvitationConfiguration(&a4b.GetInvitationConfigurationInput{})
	if err != nil || aws.StringValue(got.OrganizationName) != "Acme Café" || aws.StringValue(got.ContactEmail) != "it-help@acme.example" ||
		strings.Join(aws.StringValueSlice(got.PrivateSkillIds), ",") != strings.Join(skills, ",") {
		t.Fatalf("GetInvitationConfiguration: %v %v", got, err)
	}
	// Another account has none.
	_, err = h.MustClient(t, otherKeyID, otherSecret).GetInvitationConfiguration(&a4b.GetInvitationConfigurationInput{})
	facetest.WantSDKError(t, err, "NotFoundException", http.StatusBadRequest, "")

	arns := h.MustCreate(t, rollcall.DevAccountID, person{ID: "ada", First: "Ada", Email: "ada@example.com"})
	if _, err := client.SendInvitation(&a4b.SendInvitationInput{UserArn: aws.String(arns["ada"])}); err != nil {
		t.Fatal(err)
	}
	m := h.MustMessages(t)[0]
	for _, want := range append([]string{"Acme Café", "it-help@acme.example"}, skills...) {
		if !strings.Contains(m.TextBody, want) || !strings.Contains(m.HTMLBody, want) {
			t.Errorf("the invitation does not show %q:\n%s\n%s", want, m.TextBody, m.HTMLBody)
		}
	}
	if m.Subject != "Acme Café invites you to enroll in Alexa for Business" {
		t.Errorf("subject %q", m.Subject)
	}

	// A Put replaces: what it leaves out is gone.
	if _, err := client.PutInvitationConfiguration(&a4b.PutInvitationConfigurationInput{OrganizationName: aws.String("Acme")}); err != nil {
		t.Fatal(err)
	}
	got, err = client.GetInvitationConfiguration(&a4b.GetInvitationConfigurationInput{})
	if err != nil || aws.StringValue(got.OrganizationName) != "Acme" || got.ContactEmail != nil || got.PrivateSkillIds != nil {
		t.Fatalf("after a second Put: %v %v", got, err)
	}
}

// TestPutInvitationConfigurationConstraints: every constraint of the model, at its
// boundaries; a refused Put changes nothing.
func TestPutInvitationConfigurationConstraints(t *testing.T) {
	h := MustHarness(t)
	const target = "AlexaForBusiness.PutInvitationConfiguration"
	h.MustDo(t, `{"OrganizationName":"Before"}`, withTarget(target))
	name100, name101 := strings.Repeat("é", 100), strings.Repeat("n", 101)
	email128 := strings.Repeat("a", 128-len("@example.com")) + "@example.com"
	email129 := "a" + email128
	const orgPattern = `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]*`
	const emailPattern = `\w[+-.\w]*@\w[\w\.\-]+\.[0-9a-zA-Z]{2,24}`
	const skillPattern = `(^amzn1\.ask\.skill\.[0-9a-f\-]{1,200})|(^amzn1\.echo-sdk-ams\.app\.[0-9a-f\-]{1,200})`
	ok := []string{
		`{"OrganizationName":"` + name100 + `"}`,
		`{"OrganizationName":"A","ContactEmail":"` + email128 + `"}`,
		`{"OrganizationName":"Tab\tand\nlines","PrivateSkillIds":[]}`,
		`{"OrganizationName":"A","PrivateSkillIds":["amzn1.ask.skill.` + strings.Repeat("a", 200) + `"]}`,
	}
	for _, body := range ok {
		if rp := h.MustDo(t, body, withTarget(target)); rp.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", body, rp.Status, rp.Body)
		}
	}
	h.MustDo(t, `{"OrganizationName":"Before"}`, withTarget(target))
	bad := []struct{ name, body, msg string }{
		{"no name", `{}`, "1 validation error detected: Value null at 'organizationName' failed to satisfy constraint: Member must not be null"},
		{"empty name", `{"OrganizationName":""}`, "1 validation error detected: Value '' at 'organizationName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"name of 101", `{"OrganizationName":"` + name101 + `"}`,
			"1 validation error detected: Value '" + name101 + "' at 'organizationName' failed to satisfy constraint: Member must have length less than or equal to 100"},
		{"control character", `{"OrganizationName":"a\u0001b"}`,
			"1 validation error detected: Value 'a\x01b' at 'organizationName' failed to satisfy constraint: Member must satisfy regular expression pattern: " + orgPattern},
		{"empty email", `{"OrganizationName":"A","ContactEmail":""}`, ""},
		{"email of 129", `{"OrganizationName":"A","ContactEmail":"` + email129 + `"}`,
			"1 validation error detected: Value '" + email129 + "' at 'contactEmail' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"email without domain", `{"OrganizationName":"A","ContactEmail":"it@acme"}`,
			"1 validation error detected: Value 'it@acme' at 'contactEmail' failed to satisfy constraint: Member must satisfy regular expression pattern: " + emailPattern},
		{"four skills", `{"OrganizationName":"A","PrivateSkillIds":["amzn1.ask.skill.1","amzn1.ask.skill.2","amzn1.ask.skill.3","amzn1.ask.skill.4"]}`,
			"1 validation error detected: Value '4 items' at 'privateSkillIds' failed to satisfy constraint: Member must have length less than or equal to 3"},
		{"skill ID", `{"OrganizationName":"A","PrivateSkillIds":["amzn1.ask.skill.XYZ"]}`,
			"1 validation error detected: Value 'amzn1.ask.skill.XYZ' at 'privateSkillIds.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern: " + skillPattern},
		{"skill ID of 201", `{"OrganizationName":"A","PrivateSkillIds":["amzn1.ask.skill.` + strings.Repeat("a", 201) + `"]}`, ""},
		{"null skill", `{"OrganizationName":"A","PrivateSkillIds":[null]}`,
			"1 validation error detected: Value null at 'privateSkillIds.1.member' failed to satisfy constraint: Member must not be null"},
		{"two faults", `{"OrganizationName":"","ContactEmail":"x"}`, ""},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			h.MustDo(t, tc.body, withTarget(target)).MustError(t, http.StatusBadRequest, "ValidationException", tc.msg)
		})
	}
	if rp := h.MustDo(t, `{"OrganizationName":"","ContactEmail":"x"}`, withTarget(target)); !strings.HasPrefix(rp.Msg, "2 validation errors detected") {
		t.Errorf("two faults: %q", rp.Msg)
	}
	rp := h.MustDo(t, `{}`, withTarget("AlexaForBusiness.GetInvitationConfiguration"))
	if rp.Status != http.StatusOK || rp.JSON["OrganizationName"] != "Before" || len(rp.JSON) != 1 {
		t.Fatalf("after refused Puts: %d %s", rp.Status, rp.Body)
	}
}

// TestEnrollmentIsolation: another AWS account can neither invite, revoke nor see this
// one's users' enrollments, and each account has its own invitation configuration.
func TestEnrollmentIsolation(t *testing.T) {
	h := MustHarness(t)
	mine, theirs := h.MustClient(t, "", ""), h.MustClient(t, otherKeyID, otherSecret)
	arns := h.MustCreate(t, rollcall.DevAccountID, person{ID: "ada", Email: "ada@example.com"}, person{ID: "grace", Email: "grace@example.com"})
	ada, grace := aws.String(arns["ada"]), aws.String(arns["grace"])
	if _, err := mine.SendInvitation(&a4b.SendInvitationInput{UserArn: ada}); err != nil {
		t.Fatal(err)
	}
	token := h.MustLatestToken(t, "ada@example.com")
	if _, err := mine.PutInvitationConfiguration(&a4b.PutInvitationConfigurationInput{OrganizationName: aws.String("Mine")}); err != nil {
		t.Fatal(err)
	}

	_, err := theirs.SendInvitation(&a4b.SendInvitationInput{UserArn: grace})
	facetest.WantSDKError(t, err, "NotFoundException", http.StatusBadRequest, "The resource "+arns["grace"]+" was not found.")
	_, err = theirs.RevokeInvitation(&a4b.RevokeInvitationInput{UserArn: ada, EnrollmentId: aws.String(enrollmentOf(arns["ada"]))})
	facetest.WantSDKError(t, err, "NotFoundException", http.StatusBadRequest, "The resource "+arns["ada"]+" was not found.")
	out, err := theirs.SearchUsers(&a4b.SearchUsersInput{Filters: []*a4b.Filter{filter("EnrollmentStatus", "PENDING")}})
	if err != nil || len(out.Users) != 0 {
		t.Fatalf("the other account's SearchUsers for PENDING: %v %v", out, err)
	}
	// Their Put is theirs alone, and the email to my user still shows mine.
	if _, err := theirs.PutInvitationConfiguration(&a4b.PutInvitationConfigurationInput{OrganizationName: aws.String("Theirs")}); err != nil {
		t.Fatal(err)
	}
	for client, want := range map[*a4b.AlexaForBusiness]string{mine: "Mine", theirs: "Theirs"} {
		if got, err := client.GetInvitationConfiguration(&a4b.GetInvitationConfigurationInput{}); err != nil || aws.StringValue(got.OrganizationName) != want {
			t.Fatalf("GetInvitationConfiguration: %v %v, want %s", got, err, want)
		}
	}
	if _, err := mine.SendInvitation(&a4b.SendInvitationInput{UserArn: grace}); err != nil {
		t.Fatal(err)
	}
	var toGrace []string
	for _, m := range h.MustMessages(t) {
		if m.To == "grace@example.com" {
			toGrace = append(toGrace, m.Subject)
		}
	}
	if len(toGrace) != 1 || toGrace[0] != "Mine invites you to enroll in Alexa for Business" {
		t.Fatalf("the emails to my user: %q", toGrace)
	}
	// Nothing the other account did touched my users.
	if _, err := h.Invite.Invitation(context.Background(), token); err != nil {
		t.Fatalf("ada's link after the other account's attempts: %v", err)
	}
	for _, u := range h.MustUsers(t, rollcall.DevAccountID) {
		if s := alexa.EnrollmentStatus(u); s != "PENDING" {
			t.Fatalf("%s is %s", u.Key, s)
		}
	}
}
