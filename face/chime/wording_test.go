package chime_test

import (
	"net/http"
	"testing"
)

// TestErrorWording pins the Message of every error the Chime rules raise, as the wire
// carries it: the words are this face's, the rules hand it a kind, a field and values.
func TestErrorWording(t *testing.T) {
	h := MustHarness(t)
	acct := h.MustAccount(t)
	created := h.do(t, http.MethodPost, "/accounts/"+acct+"/users?operation=create", []byte(`{"Email":"ada@example.com"}`))
	if created.status != http.StatusCreated {
		t.Fatalf("CreateUser: %d %s", created.status, created.raw)
	}
	user := created.body["User"].(map[string]any)["UserId"].(string)
	const missing = "5f0e0000-0000-4000-8000-00000000dead"
	for _, c := range []struct {
		name, method, path, body string
		status                   int
		shape, code, message     string
	}{
		{"unknown account", http.MethodGet, "/accounts/" + missing, "", 404, "NotFoundException", "NotFound",
			"The requested account " + missing + " was not found."},
		{"unknown user", http.MethodGet, "/accounts/" + acct + "/users/" + missing, "", 404, "NotFoundException", "NotFound",
			"The requested user " + missing + " was not found in account " + acct + "."},
		{"taken email", http.MethodPost, "/accounts/" + acct + "/users?operation=create", `{"Email":"ADA@example.com"}`, 409, "ConflictException", "Conflict",
			"The user with email ADA@example.com already exists in account " + acct + "."},
		{"unsupported license", http.MethodPost, "/accounts/" + acct + "/users/" + user, `{"LicenseType":"Plus"}`, 400, "BadRequestException", "BadRequest",
			"The license Plus is not supported by account " + acct + " (supported: Basic, Pro)."},
		{"unsupported default license", http.MethodPost, "/accounts/" + acct, `{"DefaultLicense":"ProTrial"}`, 400, "BadRequestException", "BadRequest",
			"The license ProTrial is not supported by account " + acct + " (supported: Basic, Pro)."},
		{"users not suspended", http.MethodDelete, "/accounts/" + acct, "", 422, "UnprocessableEntityException", "Unprocessable",
			"You must suspend all users before deleting Team account " + acct + " (user " + user + " is not suspended)."},
		{"suspended account", http.MethodPut, "/accounts/" + suspendedAccount + "/settings", `{"AccountSettings":{}}`, 409, "ConflictException", "Conflict",
			"The account " + suspendedAccount + " is suspended; its settings cannot be changed."},
		{"team account delegates", http.MethodPost, "/accounts/" + acct + "?operation=associate-signin-delegate-groups",
			`{"SigninDelegateGroups":[{"GroupName":"g"}]}`, 403, "ForbiddenException", "Forbidden",
			"Chime Account provided is not an Enterprise Chime Account[AWS Account ID: 000000000000][Chime Account ID: " + acct + "]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var body []byte
			if c.body != "" {
				body = []byte(c.body)
			}
			h.do(t, c.method, c.path, body).wantError(t, c.status, c.shape, c.code, c.message)
		})
	}

	// A batch names each user it could not change, in the same words.
	r := h.do(t, http.MethodPost, "/accounts/"+acct+"/users", []byte(`{"UpdateUserRequestItems":[{"UserId":"`+missing+`","LicenseType":"Basic"},{"UserId":"`+user+`","LicenseType":"Plus"}]}`))
	errs, _ := r.body["UserErrors"].([]any)
	if r.status != http.StatusOK || len(errs) != 2 {
		t.Fatalf("BatchUpdateUser: %d %s", r.status, r.raw)
	}
	want := []map[string]any{
		{"UserId": missing, "ErrorCode": "NotFound", "ErrorMessage": "The requested user " + missing + " was not found in account " + acct + "."},
		{"UserId": user, "ErrorCode": "BadRequest", "ErrorMessage": "The license Plus is not supported by account " + acct + " (supported: Basic, Pro)."},
	}
	for i, w := range want {
		got := errs[i].(map[string]any)
		for k, v := range w {
			if got[k] != v {
				t.Errorf("UserErrors[%d].%s = %v, want %v", i, k, got[k], v)
			}
		}
	}
}
