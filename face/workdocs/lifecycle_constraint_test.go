package workdocs_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/facetest"
	workdocssvc "github.com/rollcall/rollcall/workdocs"
)

func minValue(n string) string { return "Member must have value greater than or equal to " + n }
func maxValue(n string) string { return "Member must have value less than or equal to " + n }
func enum(values string) string {
	return "Member must satisfy enum value set: [" + values + "]"
}

const (
	enumUserType = "USER, ADMIN, POWERUSER, MINIMALUSER, WORKSPACESUSER"
	enumLocale   = "en, fr, ko, de, es, ja, ru, zh_CN, zh_TW, pt_BR, default"
	patUserIds   = `[&\w+-.@, ]+`
	patQuery     = `[\u0020-\uFFFF]+`
	patFields    = `[\w,]+`
)

// TestUpdateUserConstraints sends each UpdateUser member's boundary value (accepted: 200)
// and the value one past it (400 ValidationException with the exact message).
func TestUpdateUserConstraints(t *testing.T) {
	h := MustHarness(t)
	u := h.MustCreate(t, spec{username: "ada"})[0]
	path := "/api/v1/users/" + u.ID
	s64, s65 := strings.Repeat("a", 64), strings.Repeat("a", 65)
	s256, s257 := strings.Repeat("z", 256), strings.Repeat("z", 257)
	cases := []struct {
		name string
		body string
		want string // "" = accepted
	}{
		{"GivenName 64", `{"GivenName":"` + s64 + `"}`, ""},
		{"GivenName 65", `{"GivenName":"` + s65 + `"}`, facetest.Detected(facetest.Hidden("givenName", facetest.MaxLen(64)))},
		{"GivenName empty", `{"GivenName":""}`, facetest.Detected(facetest.Hidden("givenName", facetest.MinLen(1)))},
		{"Surname 64", `{"Surname":"` + s64 + `"}`, ""},
		{"Surname 65", `{"Surname":"` + s65 + `"}`, facetest.Detected(facetest.Hidden("surname", facetest.MaxLen(64)))},
		{"Surname empty", `{"Surname":""}`, facetest.Detected(facetest.Hidden("surname", facetest.MinLen(1)))},
		{"Type WORKSPACESUSER", `{"Type":"WORKSPACESUSER"}`, ""},
		{"Type lower case", `{"Type":"admin"}`, facetest.Detected(facetest.Failure("admin", "type", enum(enumUserType)))},
		{"StorageAllocatedInBytes 0", `{"StorageRule":{"StorageAllocatedInBytes":0}}`, ""},
		{"StorageAllocatedInBytes -1", `{"StorageRule":{"StorageAllocatedInBytes":-1}}`, facetest.Detected(facetest.Failure("-1", "storageRule.storageAllocatedInBytes", minValue("0")))},
		{"StorageType UNLIMITED", `{"StorageRule":{"StorageType":"UNLIMITED"}}`, ""},
		{"StorageType other", `{"StorageRule":{"StorageType":"BIG"}}`, facetest.Detected(facetest.Failure("BIG", "storageRule.storageType", enumStorage))},
		{"TimeZoneId 256", `{"TimeZoneId":"` + s256 + `"}`, ""},
		{"TimeZoneId 257", `{"TimeZoneId":"` + s257 + `"}`, facetest.Detected(facetest.Failure(s257, "timeZoneId", facetest.MaxLen(256)))},
		{"TimeZoneId empty", `{"TimeZoneId":""}`, facetest.Detected(facetest.Failure("", "timeZoneId", facetest.MinLen(1)))},
		{"Locale pt_BR", `{"Locale":"pt_BR"}`, ""},
		{"Locale pt-BR", `{"Locale":"pt-BR"}`, facetest.Detected(facetest.Failure("pt-BR", "locale", enum(enumLocale)))},
		{"GrantPoweruserPrivileges FALSE", `{"GrantPoweruserPrivileges":"FALSE"}`, ""},
		{"GrantPoweruserPrivileges true", `{"GrantPoweruserPrivileges":"true"}`, facetest.Detected(facetest.Failure("true", "grantPoweruserPrivileges", enum("TRUE, FALSE")))},
		{"several", `{"GivenName":"","Locale":"xx","Type":"x"}`,
			facetest.Detected(facetest.Hidden("givenName", facetest.MinLen(1)), facetest.Failure("x", "type", enum(enumUserType)), facetest.Failure("xx", "locale", enum(enumLocale)))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := h.MustUser(t, rollcall.DevOrganizationID, "ada")
			rp := h.MustDo(t, tc.body, withRoute(http.MethodPatch, path))
			if tc.want == "" {
				if rp.Status != 200 || rp.JSON["User"] == nil {
					t.Fatalf("got %d %s", rp.Status, rp.Body)
				}
				return
			}
			rp.MustError(t, 400, "ValidationException", tc.want)
			if after := h.MustUser(t, rollcall.DevOrganizationID, "ada"); !after.UpdatedAt.Equal(before.UpdatedAt) {
				t.Error("a refused request changed the user")
			}
		})
	}
	bad := []struct{ name, body, want string }{
		{"GivenName number", `{"GivenName":5}`, "Invalid type for 'givenName': expected a string, found a number."},
		{"StorageRule list", `{"StorageRule":[]}`, "Invalid type for 'storageRule': expected an object, found a list."},
		{"allocated fraction", `{"StorageRule":{"StorageAllocatedInBytes":1.5}}`,
			"Invalid value for 'storageRule.storageAllocatedInBytes': expected a whole number from -9223372036854775808 to 9223372036854775807."},
		{"duplicate member", `{"Locale":"en","Locale":"fr"}`, "Duplicate member name 'locale' in JSON object."},
		{"not an object", `[]`, "The request body must be a JSON object."},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			h.MustDo(t, tc.body, withRoute(http.MethodPatch, path)).MustError(t, 400, "ValidationException", tc.want)
		})
	}
}

// TestUserIDConstraints: UserId and the Authentication header on every single-user
// operation. An accepted UserId that names no user is EntityNotExistsException.
func TestUserIDConstraints(t *testing.T) {
	h := MustHarness(t)
	id256, id257 := strings.Repeat("u", 256), strings.Repeat("u", 257)
	tok8199, tok8200 := strings.Repeat("t", 8199), strings.Repeat("t", 8200)
	ops := []struct {
		name, method, suffix string
	}{
		{"UpdateUser", http.MethodPatch, ""},
		{"DeleteUser", http.MethodDelete, ""},
		{"ActivateUser", http.MethodPost, "/activation"},
		{"DeactivateUser", http.MethodDelete, "/activation"},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			do := func(id string, opts ...func(*raw)) reply {
				return h.MustDo(t, `{}`, append([]func(*raw){withRoute(op.method, "/api/v1/users/"+id+op.suffix)}, opts...)...)
			}
			do(id256).mustNotExist(t, id256)
			do("&+,-.@_x9").mustNotExist(t, "&+,-.@_x9")
			do(id257).MustError(t, 400, "ValidationException", facetest.Detected(facetest.Failure(id257, "userId", facetest.MaxLen(256))))
			do("a%20b").MustError(t, 400, "ValidationException", facetest.Detected(facetest.Failure("a b", "userId", facetest.Pattern(patOrg))))
			do("u", withHeader("Authentication", tok8199)).mustNotExist(t, "u")
			do("u", withHeader("Authentication", tok8200)).MustError(t, 400, "ValidationException",
				facetest.Detected(facetest.Hidden("authenticationToken", facetest.MaxLen(8199))))
			do(id257, withHeader("Authentication", "")).MustError(t, 400, "ValidationException",
				facetest.Detected(facetest.Failure(id257, "userId", facetest.MaxLen(256)), facetest.Hidden("authenticationToken", facetest.MinLen(1))))
		})
	}
	t.Run("GetCurrentUser", func(t *testing.T) {
		me := withRoute(http.MethodGet, "/api/v1/me")
		h.MustDo(t, "", me, withHeader("Authentication", tok8199)).MustError(t, 403, "UnauthorizedOperationException",
			"The security token included in the request is invalid.")
		h.MustDo(t, "", me, withHeader("Authentication", tok8200)).MustError(t, 400, "ValidationException",
			facetest.Detected(facetest.Hidden("authenticationToken", facetest.MaxLen(8199))))
		h.MustDo(t, "", me, withHeader("Authentication", "")).MustError(t, 400, "ValidationException",
			facetest.Detected(facetest.Hidden("authenticationToken", facetest.MinLen(1))))
	})
}

// TestDescribeUsersConstraints: every member of DescribeUsers, in the query string.
func TestDescribeUsersConstraints(t *testing.T) {
	h := MustHarness(t)
	long := "d-" + strings.Repeat("0", 254)
	if _, err := h.WorkDocs.CreateOrganization(context.Background(), rollcall.Caller{TenantID: rollcall.DevAccountID},
		workdocssvc.CreateOrganizationInput{ID: long}); err != nil {
		t.Fatal(err)
	}
	ids2000 := strings.Repeat("a, ", 666) + "ab"
	cases := []struct {
		name  string
		query string // raw
		want  string // "" = accepted (200); otherwise the ValidationException message
	}{
		{"organizationId 256", "organizationId=" + long, ""},
		{"organizationId 257", "organizationId=" + long + "0", facetest.Detected(facetest.Failure(long+"0", "organizationId", facetest.MaxLen(256)))},
		{"organizationId empty", "organizationId=&userIds=x", facetest.Detected(facetest.Failure("", "organizationId", facetest.MinLen(1)), facetest.Failure("", "organizationId", facetest.Pattern(patOrg)))},
		{"organizationId pattern", "organizationId=d%2F0", facetest.Detected(facetest.Failure("d/0", "organizationId", facetest.Pattern(patOrg)))},
		{"userIds 2000", "organizationId=d-0000000000&userIds=" + url.QueryEscape(ids2000), ""},
		{"userIds 2001", "organizationId=d-0000000000&userIds=" + url.QueryEscape(ids2000+"c"), facetest.Detected(facetest.Failure(ids2000+"c", "userIds", facetest.MaxLen(2000)))},
		{"userIds pattern", "organizationId=d-0000000000&userIds=a%3Bb", facetest.Detected(facetest.Failure("a;b", "userIds", facetest.Pattern(patUserIds)))},
		{"userIds empty", "organizationId=d-0000000000&userIds=", facetest.Detected(facetest.Failure("", "userIds", facetest.MinLen(1)), facetest.Failure("", "userIds", facetest.Pattern(patUserIds)))},
		{"query 512", "query=" + strings.Repeat("q", 512), ""},
		{"query 513", "query=" + strings.Repeat("q", 513), facetest.Detected(facetest.Hidden("query", facetest.MaxLen(512)))},
		{"query space and beyond Latin-1", "query=" + url.QueryEscape(" \uFFFF"), ""},
		{"query with an emoji (two UTF-16 units, as the service counts)", "query=" + url.QueryEscape(strings.Repeat("q", 510)+"\U0001F600"), ""},
		{"query with an emoji, one unit over", "query=" + url.QueryEscape(strings.Repeat("q", 511)+"\U0001F600"), facetest.Detected(facetest.Hidden("query", facetest.MaxLen(512)))},
		{"query control character", "query=a%1F", facetest.Detected(facetest.Hidden("query", facetest.Pattern(patQuery)))},
		{"query empty", "query=", facetest.Detected(facetest.Hidden("query", facetest.MinLen(1)), facetest.Hidden("query", facetest.Pattern(patQuery)))},
		{"include ALL", "include=ALL", ""},
		{"include ACTIVE_PENDING", "include=ACTIVE_PENDING", ""},
		{"include lower case", "include=all", facetest.Detected(facetest.Failure("all", "include", enum("ALL, ACTIVE_PENDING")))},
		{"order DESCENDING", "order=DESCENDING", ""},
		{"order other", "order=DOWN", facetest.Detected(facetest.Failure("DOWN", "order", enum("ASCENDING, DESCENDING")))},
		{"sort STORAGE_USED", "sort=STORAGE_USED", ""},
		{"sort other", "sort=EMAIL", facetest.Detected(facetest.Failure("EMAIL", "sort", enum("USER_NAME, FULL_NAME, STORAGE_LIMIT, USER_STATUS, STORAGE_USED")))},
		{"marker empty", "marker=", facetest.Detected(facetest.Failure("", "marker", facetest.MinLen(1)))},
		{"limit 1", "limit=1", ""},
		{"limit 0", "limit=0", facetest.Detected(facetest.Failure("0", "limit", minValue("1")))},
		{"limit 999", "limit=999", ""},
		{"limit 1000", "limit=1000", facetest.Detected(facetest.Failure("1000", "limit", maxValue("999")))},
		{"limit huge", "limit=9223372036854775807", facetest.Detected(facetest.Failure("9223372036854775807", "limit", maxValue("999")))},
		{"limit not a number", "limit=ten", "Invalid value for 'limit': expected a whole number from 1 to 999."},
		{"limit fraction", "limit=1.5", "Invalid value for 'limit': expected a whole number from 1 to 999."},
		{"limit twice", "limit=1&limit=2", "The query parameter 'limit' is given more than once."},
		{"fields 256", "fields=" + strings.Repeat("F", 256), ""},
		{"fields 257", "fields=" + strings.Repeat("F", 257), facetest.Detected(facetest.Failure(strings.Repeat("F", 257), "fields", facetest.MaxLen(256)))},
		{"fields pattern", "fields=STORAGE_METADATA%3Bx", facetest.Detected(facetest.Failure("STORAGE_METADATA;x", "fields", facetest.Pattern(patFields)))},
		{"fields list", "fields=X,STORAGE_METADATA", ""},
		{"several", "sort=x&limit=0&include=y",
			facetest.Detected(facetest.Failure("y", "include", enum("ALL, ACTIVE_PENDING")), facetest.Failure("x", "sort", enum("USER_NAME, FULL_NAME, STORAGE_LIMIT, USER_STATUS, STORAGE_USED")), facetest.Failure("0", "limit", minValue("1")))},
		{"unknown parameters are ignored", "x=1&Limit=0", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The dev account has two organizations now: name one.
			if !strings.Contains(tc.query, "organizationId=") {
				tc.query = "organizationId=d-0000000000&" + tc.query
			}
			rp := h.MustDo(t, "", withRoute(http.MethodGet, "/api/v1/users?"+tc.query))
			if tc.want == "" {
				if rp.Status != 200 || rp.JSON["Users"] == nil {
					t.Fatalf("got %d %s", rp.Status, rp.Body)
				}
				return
			}
			rp.MustError(t, 400, "ValidationException", tc.want)
		})
	}
	t.Run("bad escape", func(t *testing.T) {
		// The SDK's signer re-encodes the query string, so this is a token caller's request.
		token, _, err := h.tokens.IssueWorkDocs(context.Background(), rollcall.DevAccountID, rollcall.DevOrganizationID, rollcall.DevWorkDocsAdmin, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		h.MustDo(t, "", withRoute(http.MethodGet, "/api/v1/users?query=%zz"), withHeader("Authentication", token), unsigned).
			MustError(t, 400, "ValidationException", "The query string is not validly encoded.")
	})
	t.Run("query is never echoed", func(t *testing.T) {
		secret := strings.Repeat("s3cr3t", 100)
		rp := h.MustDo(t, "", withRoute(http.MethodGet, "/api/v1/users?query="+secret))
		if rp.Status != 400 || strings.Contains(string(rp.Body), secret) || strings.Contains(h.log.String(), secret) {
			t.Fatalf("got %d %s", rp.Status, rp.Body)
		}
	})
	t.Run("fields selects storage", func(t *testing.T) {
		rp := h.MustDo(t, "", withRoute(http.MethodGet, "/api/v1/users?organizationId=d-0000000000&fields=x,storage_metadata"))
		users, _ := rp.JSON["Users"].([]any)
		if len(users) != 1 || users[0].(map[string]any)["Storage"] == nil {
			t.Fatalf("got %s", rp.Body)
		}
		if rp.JSON["TotalNumberOfUsers"] != float64(1) || rp.JSON["Marker"] != nil {
			t.Fatalf("got %s", rp.Body)
		}
	})
}

// mustNotExist fails unless rp is EntityNotExistsException 404 for id, with EntityIds.
func (rp reply) mustNotExist(tb testing.TB, id string) {
	tb.Helper()
	if rp.Status != 404 || rp.Type != "EntityNotExistsException" || rp.Msg != "The user "+id+" does not exist." {
		tb.Fatalf("got %d %s %s", rp.Status, rp.Type, rp.Body)
	}
	if ids, _ := rp.JSON["EntityIds"].([]any); len(ids) != 1 || ids[0] != id || len(rp.JSON) != 2 {
		tb.Fatalf("body %s", rp.Body)
	}
}
