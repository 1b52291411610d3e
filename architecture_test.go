package rollcall_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/rollcall/rollcall"

// TestDependencyDirection keeps the architecture checkable: faces -> products -> core <-
// storage, and only cmd wires them together.
func TestDependencyDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps=false", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		seen++
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		for _, imp := range p.Imports {
			if msg := forbidden(rel, imp); msg != "" {
				t.Errorf("%s imports %s: %s", p.ImportPath, imp, msg)
			}
		}
	}
	if seen < 5 {
		t.Fatalf("go list saw only %d packages", seen)
	}
}

// products are the product packages: each product's rules on the core.
var products = map[string]bool{"chime": true, "workdocs": true, "alexa": true, "business": true}

// isProduct reports whether rel is a package of the middle layer: a product package,
// invite or operator.
func isProduct(rel string) bool {
	first := strings.SplitN(rel, "/", 2)[0]
	return products[first] || first == "invite" || first == "operator"
}

// faceProducts says which packages of the middle layer each face may import: its own
// product; face/loginwithamazon the business one (its login clients); face/admin the
// operator's view and invitations; face/web the invitations, the operator's view and,
// for the console's per-product status of a user, every product.
var faceProducts = map[string][]string{
	"face/chime":            {"chime"},
	"face/workdocs":         {"workdocs"},
	"face/alexaforbusiness": {"alexa"},
	"face/amazonbusiness":   {"business"},
	"face/loginwithamazon":  {"business"},
	"face/admin":            {"operator", "invite"},
	"face/web":              {"invite", "operator", "chime", "workdocs", "alexa", "business"},
}

func forbidden(pkg, imp string) string {
	own := strings.HasPrefix(imp, module)
	irel := strings.TrimPrefix(strings.TrimPrefix(imp, module), "/")
	if own && irel == "internal/coretest" && pkg != "face/facetest" {
		return "internal/coretest is for tests (and the faces' test harness, face/facetest) only"
	}
	if own && irel == "internal/rawhttp" {
		return "internal/rawhttp is for tests only"
	}
	switch {
	case products[pkg]:
		if own && irel != "" && irel != "invite" && irel != "internal/attrjson" && irel != "internal/jsonstr" {
			return "a product package imports only the core, invite, internal/attrjson (its attribute documents) and internal/jsonstr: no other product, operator, face, storage or auth"
		}
		if imp == "net/http" || imp == "database/sql" {
			return "a product package knows no transport and no database driver"
		}
	case pkg == "invite":
		if own && irel != "" {
			return "invite imports only the core: products register their Rules with it"
		}
		if imp == "net/http" || imp == "database/sql" {
			return "invite knows no transport and no database driver"
		}
	case pkg == "operator":
		if own && irel != "" && !isProduct(irel) && irel != "auth" && !strings.HasPrefix(irel, "auth/") {
			return "operator imports only the core, invite, the products and auth (a seed declares credentials): no face or storage"
		}
		if imp == "net/http" || imp == "database/sql" {
			return "operator knows no transport and no database driver"
		}
	case pkg == "":
		if own && isProduct(irel) {
			return "the core knows no product: each product's attributes are its own, carried as documents the core does not read"
		}
		if own || strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
			return "the core imports the standard library only"
		}
		if imp == "net/http" || imp == "database/sql" {
			return "the core knows no transport and no database driver"
		}
	case pkg == "face/awsx":
		if strings.HasPrefix(irel, "face/") || strings.HasPrefix(irel, "store/") || irel == "auth" || strings.HasPrefix(irel, "auth/") || isProduct(irel) {
			return "the AWS pipeline is wire plumbing: no face, storage, auth or product package"
		}
	case pkg == "face/facetest":
		if strings.HasPrefix(irel, "face/") && irel != "face/awsx" {
			return "the test harness serves faces it is given; it imports none"
		}
	case strings.HasPrefix(pkg, "face/"):
		if strings.HasPrefix(irel, "store/") {
			return "a face never imports storage"
		}
		if irel == "face/facetest" {
			return "a face imports its test harness in its tests only"
		}
		if strings.HasPrefix(irel, "face/") && irel != pkg && irel != "face/awsx" {
			return "a face never imports another face (face/awsx is the shared pipeline)"
		}
		if own && isProduct(irel) && !slices.Contains(faceProducts[pkg], irel) {
			return "a face imports no product package but its own (see faceProducts)"
		}
	case pkg == "internal/attrjson":
		if own && irel != "" && irel != "internal/jsonstr" || !own && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
			return "internal/attrjson encodes the products' documents: the core, internal/jsonstr and the standard library only"
		}
	case pkg == "internal/jsonstr":
		if own || strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
			return "internal/jsonstr writes JSON strings: the standard library only"
		}
	case strings.HasPrefix(pkg, "store/internal/"):
		if own || strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
			return "the backends' shared helpers import the standard library only"
		}
	case pkg == "store/userquery":
		if own && irel != "" || !own && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
			return "store/userquery builds SQL from the core's query: the core and the standard library only"
		}
	case strings.HasPrefix(pkg, "store/"):
		if strings.HasPrefix(irel, "face/") || irel == "httpx" || strings.HasPrefix(irel, "auth") || (own && isProduct(irel)) ||
			irel == "internal/attrjson" {
			return "storage knows nothing of faces, HTTP, auth or the products (it keeps their attribute documents unread)"
		}
	case pkg == "mail" || strings.HasPrefix(pkg, "mail/"):
		if strings.HasPrefix(irel, "face/") || strings.HasPrefix(irel, "store/") || irel == "httpx" || imp == "net/http" {
			return "mail delivers the outbox through the Store interface: no face, storage or HTTP"
		}
	case pkg == "fault":
		if own && irel != "" && irel != "face/awsx" || !own && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
			return "fault keeps its rules through the core's Store interface and serves face/awsx's Injector: no storage, face or product package"
		}
	case pkg == "iam" || strings.HasPrefix(pkg, "iam/"):
		if own || strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
			return "iam imports the standard library only: callers hand it policies and requests"
		}
	case pkg == "auth" || strings.HasPrefix(pkg, "auth/"):
		if own && (strings.HasPrefix(irel, "face/") || strings.HasPrefix(irel, "store/") || isProduct(irel)) {
			return "auth checks credentials through the core's Store interface: no face, storage or product package"
		}
	case pkg == "audit":
		if own && irel != "internal/atomicfile" && irel != "internal/jsonstr" || !own && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
			return "audit imports the standard library (and internal/atomicfile, internal/jsonstr) only: the pipeline hands it calls, storage keeps its events"
		}
		if imp == "net/http" || imp == "database/sql" {
			return "audit knows no transport and no database: it builds records, storage keeps them"
		}
	case pkg == "audit/trail":
		if own && irel != "" && irel != "audit" || !own && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
			return "audit/trail imports the core, audit and the standard library only: it stores events through the Store interface"
		}
	case pkg == "metrics" || strings.HasPrefix(pkg, "metrics/"), pkg == "tracing" || strings.HasPrefix(pkg, "tracing/"):
		if own {
			return "metrics and tracing import no rollcall package (no face, no storage, no core): callers report to them, cmd wires them"
		}
	case pkg == "httpx", pkg == "validate":
		if own && (strings.HasPrefix(irel, "face/") || strings.HasPrefix(irel, "store/") || isProduct(irel)) {
			return "shared helpers never import a face, storage or a product"
		}
	}
	return ""
}

// TestForbiddenRules: the rules refuse what the layout forbids and allow the rest. Each
// case is a package, imports it may have and imports it may not.
func TestForbiddenRules(t *testing.T) {
	type rule struct {
		pkg              string
		allowed, refused []string
	}
	// The core imports no product package, and no product package another, so each
	// product's attributes stay its own. Each product encodes its attributes with
	// internal/attrjson; storage reads none (store/sqlite and store/transfer below).
	var apart []rule
	for p := range products {
		r := rule{p, []string{own("internal/attrjson")}, nil}
		for q := range products {
			if q != p {
				r.refused = append(r.refused, own(q))
			}
		}
		apart = append(apart, rule{"", nil, []string{own(p)}}, r)
	}
	for _, tc := range append(apart, []rule{
		{"face/chime",
			[]string{own("face/awsx"), own("chime")},
			[]string{own("workdocs"), own("face/workdocs"), own("face/facetest"), own("store/sqlite")}},
		{"face/workdocs", nil, []string{own("invite")}},
		{"face/admin", []string{own("operator")}, []string{own("store/sqlite")}},
		{"face/web", []string{own("alexa")}, []string{own("internal/coretest")}},
		{"httpx/frontdoor", nil, []string{own("internal/rawhttp")}},
		{"cmd/rollcall", nil, []string{own("internal/rawhttp")}},
		{"face/facetest",
			[]string{own("store/sqlite"), own("internal/coretest")},
			[]string{own("face/chime")}},
		{"face/awsx", []string{own("audit/trail")}, []string{own("auth"), own("chime")}},
		{"auth/token", []string{module}, []string{own("store/sqlite")}},
		{"auth/session", nil, []string{own("operator")}},
		{"auth", nil, []string{own("face/awsx")}},
		{"audit",
			[]string{"encoding/json", "crypto/tls", own("internal/atomicfile"), own("internal/jsonstr")},
			[]string{module, own("store/sqlite"), own("httpx"), "net/http", "database/sql", "github.com/google/uuid"}},
		{"audit/trail",
			[]string{module, own("audit"), "net/http"},
			[]string{own("store/sqlite"), own("face/awsx"), own("chime")}},
		{"metrics",
			[]string{"github.com/prometheus/client_golang/prometheus", "net/http"},
			[]string{module, own("httpx")}},
		{"metrics/metricstest",
			[]string{"github.com/prometheus/common/expfmt"},
			[]string{own("cmd/rollcall")}},
		{"tracing",
			[]string{"go.opentelemetry.io/otel/sdk/trace"},
			[]string{own("store/sqlite"), own("face/awsx")}},
		{"store/internal/rowset", []string{"errors"}, []string{"github.com/jackc/pgx/v5", module}},
		{"store/sqlite",
			[]string{own("store/internal/rowset"), own("store/internal/wipe")},
			[]string{own("operator"), own("internal/attrjson")}},
		{"store/transfer", nil, []string{own("internal/attrjson")}},
		{"store/postgres", []string{own("store/internal/rowset"), own("store/internal/wipe")}, nil},
		{"store/internal/wipe", []string{"slices"}, []string{module}},
		{"operator",
			[]string{own("alexa"), own("auth")},
			[]string{own("store/sqlite"), own("face/web")}},
		{"chime", []string{module, own("invite")}, []string{own("workdocs")}},
		{"alexa", nil, []string{own("operator")}},
		{"business", nil, []string{"net/http"}},
		{"invite", nil, []string{own("chime")}},
		{"", nil, []string{own("chime"), own("internal/attrjson")}},
		{"internal/attrjson", []string{module}, []string{own("chime")}},
		{"httpx", nil, []string{own("chime")}},
		{"fault",
			[]string{module, own("face/awsx"), "net/http"},
			[]string{own("store/sqlite"), own("face/chime"), own("iam")}},
	}...) {
		for _, imp := range tc.allowed {
			if msg := forbidden(tc.pkg, imp); msg != "" {
				t.Errorf("%s imports %s: refused (%s), want allowed", tc.pkg, imp, msg)
			}
		}
		for _, imp := range tc.refused {
			if forbidden(tc.pkg, imp) == "" {
				t.Errorf("%s imports %s: allowed, want refused", tc.pkg, imp)
			}
		}
	}
}

// own is the import path of this module's package rel.
func own(rel string) string { return module + "/" + rel }
