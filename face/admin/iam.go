package admin

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/iam"
)

// IAM principals, their policies, keys' attachment and the policy simulator:
//
//	GET    /_rollcall/iam/principals?account=ID       the account's principals
//	GET    /_rollcall/iam/principal?arn=ARN           one principal with its policies
//	PUT    /_rollcall/iam/principal?arn=ARN           create it (without policies) if missing
//	DELETE /_rollcall/iam/principal?arn=ARN
//	PUT    /_rollcall/iam/policy?arn=ARN&name=NAME     body: the policy document (JSON)
//	DELETE /_rollcall/iam/policy?arn=ARN&name=NAME
//	PUT    /_rollcall/iam/key?id=KEY                   body: {"principal": ARN} ("" detaches)
//	POST   /_rollcall/iam/simulate                     see simulate
func (f *Face) iamRoutes(w http.ResponseWriter, r *http.Request, path string) bool {
	q := r.URL.Query()
	switch {
	case path == "iam/principals" && r.Method == http.MethodGet:
		httpx.Annotate(r, "admin", "ListPrincipals")
		ps, err := f.svc.Core.Principals(r.Context(), q.Get("account"))
		f.answer(w, r, http.StatusOK, err, func() any {
			out := make([]principalJSON, 0, len(ps))
			for _, p := range ps {
				out = append(out, toPrincipalJSON(p))
			}
			return map[string]any{"principals": out}
		})
	case path == "iam/principal" && r.Method == http.MethodGet:
		httpx.Annotate(r, "admin", "GetPrincipal")
		p, err := f.svc.Core.Principal(r.Context(), q.Get("arn"))
		f.answer(w, r, http.StatusOK, err, func() any { return toPrincipalJSON(p) })
	case path == "iam/principal" && r.Method == http.MethodPut:
		httpx.Annotate(r, "admin", "PutPrincipal")
		p, err := f.svc.Core.PutPrincipal(r.Context(), q.Get("arn"))
		f.answer(w, r, http.StatusOK, err, func() any { return toPrincipalJSON(p) })
	case path == "iam/principal" && r.Method == http.MethodDelete:
		httpx.Annotate(r, "admin", "DeletePrincipal")
		err := f.svc.Core.DeletePrincipal(r.Context(), q.Get("arn"))
		f.answer(w, r, http.StatusNoContent, err, nil)
	case path == "iam/policy" && r.Method == http.MethodPut:
		httpx.Annotate(r, "admin", "PutPolicy")
		body, err := httpx.ReadBody(r, iam.MaxPolicySize+1)
		if err != nil {
			writeError(w, r, http.StatusBadRequest, "invalid_parameter", "The policy document could not be read or is larger than 64 KiB.")
			return true
		}
		p, err := f.svc.Core.PutPolicy(r.Context(), q.Get("arn"), q.Get("name"), string(body))
		f.answer(w, r, http.StatusOK, err, func() any { return toPrincipalJSON(p) })
	case path == "iam/policy" && r.Method == http.MethodDelete:
		httpx.Annotate(r, "admin", "DeletePolicy")
		p, err := f.svc.Core.DeletePolicy(r.Context(), q.Get("arn"), q.Get("name"))
		f.answer(w, r, http.StatusOK, err, func() any { return toPrincipalJSON(p) })
	case path == "iam/key" && r.Method == http.MethodPut:
		httpx.Annotate(r, "admin", "AttachKey")
		var req struct {
			Principal string `json:"principal"`
		}
		if !decode(w, r, 256<<10, &req) {
			return true
		}
		err := f.svc.Core.AttachKey(r.Context(), q.Get("id"), req.Principal)
		f.answer(w, r, http.StatusOK, err, func() any { return map[string]string{"accessKeyId": q.Get("id"), "principal": req.Principal} })
	case path == "iam/simulate" && r.Method == http.MethodPost:
		httpx.Annotate(r, "admin", "SimulatePolicy")
		f.simulate(w, r)
	default:
		return false
	}
	return true
}

type principalJSON struct {
	ARN       string            `json:"arn"`
	AccountID string            `json:"accountId"`
	Policies  []rollcall.Policy `json:"policies"`
	Version   int64             `json:"version"`
	CreatedAt time.Time         `json:"createdAt"`
	UpdatedAt time.Time         `json:"updatedAt"`
}

func toPrincipalJSON(p *rollcall.Principal) principalJSON {
	out := principalJSON{ARN: p.ARN, AccountID: p.TenantID, Policies: p.Policies, Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	if out.Policies == nil {
		out.Policies = []rollcall.Policy{}
	}
	return out
}

// answer writes err, or value() with status; a successful change reaches this replica's
// policy cache at once.
func (f *Face) answer(w http.ResponseWriter, r *http.Request, status int, err error, value func() any) {
	if err != nil {
		writeKindError(w, r, err)
		return
	}
	if r.Method != http.MethodGet && f.IAM != nil {
		f.IAM.Invalidate()
	}
	if value == nil {
		w.WriteHeader(status)
		return
	}
	httpx.WriteJSON(w, status, "application/json", value())
}

// policyText is a policy given as a JSON object, or as a string holding one.
func policyText(raw json.RawMessage) string {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

type simulateRequest struct {
	// Principal evaluates that principal's policies (full access when it has none);
	// Policies evaluates these documents instead, as identity-based policies of
	// PrincipalARN (default arn:aws:iam::ACCOUNT:user/simulated, with Account or
	// 000000000000).
	Principal     string            `json:"principal"`
	Policies      []json.RawMessage `json:"policies"`
	SessionPolicy json.RawMessage   `json:"sessionPolicy"`
	Action        string            `json:"action"`
	Resource      string            `json:"resource"`
	// Context adds or replaces condition keys: a string or a list of strings each.
	// aws:CurrentTime, aws:SecureTransport (false) and the principal's keys are set.
	Context map[string]json.RawMessage `json:"context"`
}

// simulate answers the decision on one request as the AWS pipeline would make it: the
// decision, the statements that decided, why, and the denial message a face would send.
func (f *Face) simulate(w http.ResponseWriter, r *http.Request) {
	var req simulateRequest
	if !decode(w, r, 256<<10, &req) {
		return
	}
	if req.Action == "" {
		writeError(w, r, http.StatusBadRequest, "invalid_parameter", "action is required (e.g. chime:CreateUser).")
		return
	}
	if req.Resource == "" {
		req.Resource = "*"
	}
	principal := iam.Principal{ARN: "arn:aws:iam::000000000000:user/simulated", Account: "000000000000"}
	var identity []*iam.Policy
	if req.Principal != "" {
		p, err := f.svc.Core.Principal(r.Context(), req.Principal)
		if err != nil {
			writeKindError(w, r, err)
			return
		}
		principal = iam.Principal{ARN: p.ARN, Account: p.TenantID}
		for _, doc := range p.Policies {
			pol, err := iam.Parse([]byte(doc.Document))
			if err != nil {
				writeKindError(w, r, err)
				return
			}
			pol.Name = doc.Name
			identity = append(identity, pol)
		}
		if len(p.Policies) == 0 {
			identity = auth.FullAccess()
		}
	}
	for i, raw := range req.Policies {
		pol, err := iam.Parse([]byte(policyText(raw)))
		if err != nil {
			writeError(w, r, http.StatusBadRequest, "malformed_policy", "policies["+itoa(i)+"]: "+err.Error())
			return
		}
		pol.Name = "policies[" + itoa(i) + "]"
		identity = append(identity, pol)
	}
	var session *iam.Policy
	if doc := policyText(req.SessionPolicy); doc != "" {
		pol, err := iam.Parse([]byte(doc))
		if err != nil {
			writeError(w, r, http.StatusBadRequest, "malformed_policy", "sessionPolicy: "+err.Error())
			return
		}
		pol.Name, session = "session", pol
	}
	ctx := iam.NewContext(principal, iam.RequestInfo{Time: f.svc.Core.Time()})
	for k, raw := range req.Context {
		var one string
		var many []string
		switch {
		case json.Unmarshal(raw, &one) == nil:
			ctx.Set(k, one)
		case json.Unmarshal(raw, &many) == nil:
			ctx.Set(k, many...)
		default:
			writeError(w, r, http.StatusBadRequest, "invalid_parameter", "context "+k+": a value is a string or a list of strings.")
			return
		}
	}
	d := iam.Evaluate(&iam.Request{Action: req.Action, Resource: req.Resource, Context: ctx}, identity, session)
	httpx.WriteJSON(w, http.StatusOK, "application/json", map[string]any{
		"principal": principal.ARN, "evaluation": &d, "message": iam.DenialMessage(principal.ARN, &d)})
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
