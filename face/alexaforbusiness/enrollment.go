package alexaforbusiness

import (
	"net/http"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/validate"
)

// Enrollment by invitation: SendInvitation, RevokeInvitation, PutInvitationConfiguration
// and GetInvitationConfiguration. Constraints are the model's (aws-sdk-go v1.51.32,
// alexaforbusiness 2017-11-09). The model leaves UserArn (and RevokeInvitation's
// EnrollmentId) optional, but their documentation says "Required." and nothing can be
// sent or revoked without them, so rollcall requires them, as for DeleteUser.

// OrganizationName's pattern is read as Java reads it (the service validates in Java):
// `\u10000` is U+1000 followed by "0", so characters beyond U+FFFF do not match.
var (
	patternOrganizationName = validate.MustPattern(`[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]*`)
	patternModelEmail       = validate.MustPattern(`\w[+-.\w]*@\w[\w\.\-]+\.[0-9a-zA-Z]{2,24}`)
	patternSkillID          = validate.MustPattern(`(^amzn1\.ask\.skill\.[0-9a-f\-]{1,200})|(^amzn1\.echo-sdk-ams\.app\.[0-9a-f\-]{1,200})`)
)

// maxPrivateSkills is the model's ShortSkillIdList maximum.
const maxPrivateSkills = 3

var invitationRules = struct {
	OrganizationName, ContactEmail, SkillID validate.Rule
}{
	OrganizationName: validate.Rule{Path: "organizationName", Required: true, MinLen: 1, MaxLen: 100, Pattern: patternOrganizationName},
	ContactEmail:     validate.Rule{Path: "contactEmail", MinLen: 1, MaxLen: 128, Pattern: patternModelEmail},
	SkillID:          validate.Rule{Pattern: patternSkillID},
}

type sendInvitationRequest struct {
	UserArn *string `json:"UserArn"`
}

// validate checks the member and returns the user's ARN.
func (req *sendInvitationRequest) validate() (userArn string, err error) {
	var errs validate.Errors
	checkArn(&errs, "userArn", req.UserArn)
	if err := errs.Err(); err != nil {
		return "", err
	}
	return *req.UserArn, nil
}

// sendInvitation serves SendInvitation.
func (f *Face) sendInvitation(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
	_, userArn, err := awsx.Decode(body, (*sendInvitationRequest).validate)
	if err != nil {
		return awsx.Response{}, err
	}
	return awsx.Unless(f.svc.SendInvitation(r.Context(), c, userArn), awsx.OK(struct{}{}))
}

type invitationConfigJSON struct {
	OrganizationName *string    `json:"OrganizationName"`
	ContactEmail     *string    `json:"ContactEmail,omitempty"`
	PrivateSkillIds  *[]*string `json:"PrivateSkillIds,omitempty"`
}

// validate checks the members and returns the configuration they give.
func (req *invitationConfigJSON) validate() (alexa.InvitationConfig, error) {
	var errs validate.Errors
	errs.String(invitationRules.OrganizationName, req.OrganizationName)
	errs.String(invitationRules.ContactEmail, req.ContactEmail)
	var skills []string
	if req.PrivateSkillIds != nil {
		errs.MaxItems("privateSkillIds", len(*req.PrivateSkillIds), maxPrivateSkills)
		validate.Members(&errs, "privateSkillIds", *req.PrivateSkillIds, func(path string, id *string) {
			rule := invitationRules.SkillID
			rule.Path = path
			errs.String(rule, id)
			skills = append(skills, *id)
		})
	}
	if err := errs.Err(); err != nil {
		return alexa.InvitationConfig{}, err
	}
	return alexa.InvitationConfig{OrganizationName: *req.OrganizationName, ContactEmail: awsx.Deref(req.ContactEmail), PrivateSkillIDs: skills}, nil
}

// putInvitationConfiguration serves PutInvitationConfiguration: it replaces the whole
// configuration, as a Put does.
func (f *Face) putInvitationConfiguration(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
	_, cfg, err := awsx.Decode(body, (*invitationConfigJSON).validate)
	if err != nil {
		return awsx.Response{}, err
	}
	return awsx.Unless(f.svc.PutInvitationConfig(r.Context(), c, cfg), awsx.OK(struct{}{}))
}

// getInvitationConfiguration serves GetInvitationConfiguration; its request has no
// members, and any it carries are ignored.
func (f *Face) getInvitationConfiguration(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
	var req struct{}
	if err := httpx.DecodeJSON(body, &req); err != nil {
		return awsx.Response{}, err
	}
	cfg, err := f.svc.AlexaInvitationConfig(r.Context(), c)
	if err != nil {
		return awsx.Response{}, err
	}
	out := invitationConfigJSON{OrganizationName: &cfg.OrganizationName}
	if cfg.ContactEmail != "" {
		out.ContactEmail = &cfg.ContactEmail
	}
	if len(cfg.PrivateSkillIDs) > 0 {
		ids := make([]*string, len(cfg.PrivateSkillIDs))
		for i := range cfg.PrivateSkillIDs {
			ids[i] = &cfg.PrivateSkillIDs[i]
		}
		out.PrivateSkillIds = &ids
	}
	return awsx.OK(out), nil
}
