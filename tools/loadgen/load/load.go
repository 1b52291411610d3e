package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go/aws/credentials"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"
	"github.com/google/uuid"
)

// Faces are the faces Gen makes requests for.
var Faces = []string{"chime", "a4b", "business", "workdocs", "bare"}

// Gen makes one face's CreateUser requests, each for a new user.
type Gen struct {
	URL          string // the server's base URL
	Face         string // one of Faces
	ChimeAccount string // the Chime account users are created in (face chime)
	// SignBare signs the bare face's requests as Chime's are signed, so the bare
	// handler's client does the same work as a face's.
	SignBare bool
	// RandomEmails makes each email (and A4B UserId) start with a random-looking 16
	// hex digits instead of the run's sequence number, so a store's email and key
	// indexes take a run's users at scattered places, as real sign-ups arrive, instead
	// of one after another at one place. Still unique: a bijection of the sequence
	// number, then the run.
	RandomEmails bool

	signer *v4.Signer
	run    int64
	seq    atomic.Int64
}

// New returns a Gen for face at url, signing with the dev key.
func New(url, face string) *Gen {
	return &Gen{URL: url, Face: face, signer: v4.NewSigner(credentials.NewStaticCredentials("test", "test", "")), run: time.Now().UnixNano()}
}

// Request builds the next CreateUser request.
func (g *Gen) Request() (*http.Request, error) {
	n := g.seq.Add(1)
	local := fmt.Sprintf("%d-%d", g.run, n)
	if g.RandomEmails {
		local = fmt.Sprintf("%016x-%d", mix(uint64(n)^uint64(g.run)), g.run)
	}
	email := "user-" + local + "@example.com"
	var method, path, service, target string
	var body []byte
	switch g.Face {
	case "chime":
		method, path, service = "POST", "/accounts/"+g.ChimeAccount+"/users?operation=create", "chime"
		body, _ = json.Marshal(map[string]string{"Email": email, "UserType": "PrivateUser"})
	case "a4b":
		method, path, service, target = "POST", "/", "a4b", "AlexaForBusiness.CreateUser"
		// Every SDK fills in ClientRequestToken (an idempotency token in the model), so
		// a real client's create also stores an idempotency record: a random UUID, as
		// theirs is.
		body, _ = json.Marshal(map[string]string{"UserId": "u-" + local, "Email": email, "ClientRequestToken": uuid.NewString()})
	case "workdocs":
		method, path, service = "POST", "/api/v1/users", "workdocs"
		body, _ = json.Marshal(map[string]string{"OrganizationId": "d-0000000000", "Username": "u-" + local,
			"GivenName": "Load", "Surname": "Test", "Password": "load-test-pw-1"})
	case "business":
		method, path = "POST", "/businessAccounts/2021-08-30/businessUserAccount"
		body, _ = json.Marshal(map[string]any{"accountHolder": map[string]string{"email": email, "givenName": "Load", "familyName": "Test"},
			"region": "US", "notificationTypesToSuppress": []string{"EMAIL"}})
	case "bare":
		method, path = "POST", "/bare"
		if g.SignBare {
			service = "chime"
		}
		body, _ = json.Marshal(map[string]string{"Email": email, "UserType": "PrivateUser"})
	default:
		return nil, fmt.Errorf("unknown face %q", g.Face)
	}
	req, err := http.NewRequest(method, g.URL+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	switch {
	case target != "":
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", target)
	case g.Face == "business":
		req.Header.Set("x-amz-access-token", "Atza|rollcall-dev-access-token")
	}
	if service != "" {
		if _, err := g.signer.Sign(req, bytes.NewReader(body), service, "us-east-1", time.Now()); err != nil {
			return nil, err
		}
	}
	return req, nil
}

// mix is splitmix64's finalizer: a bijection of the 64-bit integers that scatters
// consecutive inputs.
func mix(x uint64) uint64 {
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// CreateChimeAccount creates a Chime account with the dev key and returns its ID.
func (g *Gen) CreateChimeAccount() (string, error) {
	body := []byte(`{"Name":"loadgen"}`)
	req, _ := http.NewRequest("POST", g.URL+"/accounts", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if _, err := g.signer.Sign(req, bytes.NewReader(body), "chime", "us-east-1", time.Now()); err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct{ Account struct{ AccountId string } }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Account.AccountId == "" {
		return "", fmt.Errorf("status %d: %v", resp.StatusCode, err)
	}
	return out.Account.AccountId, nil
}
