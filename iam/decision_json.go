package iam

import "encoding/json"

// MarshalJSON (on a *Decision) writes the decision as the simulator (POST /_rollcall/iam/simulate) answers
// it, with the names IAM's SimulatePrincipalPolicy uses for the outcome (allowed,
// explicitDeny, implicitDeny):
//
//	{"decision":"explicitDeny","policyType":"identity-based","action":"chime:CreateUser",
//	 "resource":"*","statements":[{"policy":"admins","policyIndex":0,"statement":1,
//	 "sid":"NoChime","effect":"Deny"}],"reason":"..."}
func (d *Decision) MarshalJSON() ([]byte, error) {
	type statement struct {
		Policy      string `json:"policy"`
		PolicyIndex int    `json:"policyIndex"`
		Statement   int    `json:"statement"`
		Sid         string `json:"sid,omitempty"`
		Effect      string `json:"effect"`
		Type        string `json:"policyType"`
	}
	out := struct {
		Decision   string      `json:"decision"`
		PolicyType string      `json:"policyType"`
		Action     string      `json:"action"`
		Resource   string      `json:"resource"`
		Statements []statement `json:"statements"`
		Reason     string      `json:"reason"`
	}{
		Decision: d.Outcome.String(), PolicyType: d.Type.String(),
		Action: d.Action, Resource: d.Resource, Reason: d.Reason(),
		Statements: []statement{},
	}
	for _, r := range d.By() {
		out.Statements = append(out.Statements, statement{
			Policy: r.Policy, PolicyIndex: r.PolicyIdx, Statement: r.Index,
			Sid: r.Sid, Effect: r.Effect.String(), Type: r.Type.String(),
		})
	}
	return json.Marshal(out)
}
