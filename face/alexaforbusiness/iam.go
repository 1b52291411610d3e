package alexaforbusiness

import (
	"encoding/json"
	"net/http"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/iam"
)

// iamRequest is what IAM reads of a request's body: the user it acts on (UserArn, or
// Arn for the tag operations) and the tags it sets.
type iamRequest struct {
	UserArn string         `json:"UserArn"`
	Arn     string         `json:"Arn"`
	Tags    []keyValueJSON `json:"Tags"`
}

// targetOf reads op's resource and tags for IAM (awsx.TargetFunc, as f.target). A body it cannot read
// gives the resource "user/*" and no tags; the handler then words what is wrong with it.
// CreateUser's user has no ARN yet: its resource is arn:aws:a4b:REGION:ACCOUNT:user/*.
func (f *Face) targetOf(r *http.Request, c rollcall.Caller, op string, body []byte) awsx.Target {
	var req iamRequest
	_ = json.Unmarshal(body, &req) // lenient on purpose: see above
	arn := req.UserArn
	if arn == "" {
		arn = req.Arn
	}
	t := awsx.Target{IDs: iam.Identifiers{ResourceARN: arn}}
	if op == "CreateUser" {
		t.IDs.ResourceARN = ""
	}
	if len(req.Tags) > 0 {
		t.RequestTags = make(map[string]string, len(req.Tags))
		for _, tag := range req.Tags {
			if tag.Key != nil && tag.Value != nil {
				t.RequestTags[*tag.Key] = *tag.Value
			}
		}
	}
	if arn != "" && op != "CreateUser" {
		t.ResourceTags = func() (map[string]string, error) {
			tags, _, err := f.svc.Tags(r.Context(), c, arn, "", alexa.MaxTags+1)
			if err != nil {
				return nil, err
			}
			out := make(map[string]string, len(tags))
			for _, tag := range tags {
				out[tag.Key] = tag.Value
			}
			return out, nil
		}
	}
	return t
}
