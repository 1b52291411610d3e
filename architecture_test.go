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
		if own && irel != "" && irel != "invite" && irel != "internal/attrjson" {
			return "a product package imports only the core, invite and internal/attrjson (its attribute documents): no other product, operator, face, storage or auth"
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
		if own && irel != "" || !own && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
			return "internal/attrjson encodes the products' documents: the core and the standard library only"
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
		if own && irel != "internal/atomicfile" || !own && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
			return "audit imports the standard library (and internal/atomicfile) only: the pipeline hands it calls, storage keeps its events"
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

// TestForbiddenRules: the rules refuse what the layout forbids and allow the rest.
func TestForbiddenRules(t *testing.T) {
	type rule struct {
		pkg, imp string
		refused  bool
	}
	// The core imports no product package, and no product package another, so each
	// product's attributes stay its own.
	// Each product encodes its attributes with internal/attrjson; storage reads none.
	apart := []rule{{"store/sqlite", module + "/internal/attrjson", true}, {"store/transfer", module + "/internal/attrjson", true}}
	for p := range products {
		apart = append(apart, rule{"", module + "/" + p, true}, rule{p, module + "/internal/attrjson", false})
		for q := range products {
			if q != p {
				apart = append(apart, rule{p, module + "/" + q, true})
			}
		}
	}
	for _, tc := range append(apart, []rule{
		{"face/chime", module + "/face/awsx", false},
		{"face/chime", module + "/chime", false},
		{"face/chime", module + "/workdocs", true},
		{"face/chime", module + "/face/workdocs", true},
		{"face/chime", module + "/face/facetest", true},
		{"face/chime", module + "/store/sqlite", true},
		{"face/workdocs", module + "/invite", true},
		{"face/admin", module + "/operator", false},
		{"face/web", module + "/alexa", false},
		{"face/web", module + "/internal/coretest", true},
		{"httpx/frontdoor", module + "/internal/rawhttp", true},
		{"cmd/rollcall", module + "/internal/rawhttp", true},
		{"face/facetest", module + "/store/sqlite", false},
		{"face/facetest", module + "/internal/coretest", false},
		{"face/facetest", module + "/face/chime", true},
		{"face/awsx", module + "/auth", true},
		{"face/awsx", module + "/chime", true},
		{"auth/token", module, false},
		{"auth/token", module + "/store/sqlite", true},
		{"auth/session", module + "/operator", true},
		{"auth", module + "/face/awsx", true},
		{"audit", "encoding/json", false},
		{"audit", "crypto/tls", false},
		{"audit", module + "/internal/atomicfile", false},
		{"audit", module, true},
		{"audit", module + "/store/sqlite", true},
		{"audit", module + "/httpx", true},
		{"audit", "net/http", true},
		{"audit", "database/sql", true},
		{"audit", "github.com/google/uuid", true},
		{"audit/trail", module, false},
		{"audit/trail", module + "/audit", false},
		{"audit/trail", "net/http", false},
		{"audit/trail", module + "/store/sqlite", true},
		{"audit/trail", module + "/face/awsx", true},
		{"audit/trail", module + "/chime", true},
		{"face/awsx", module + "/audit/trail", false},
		{"metrics", "github.com/prometheus/client_golang/prometheus", false},
		{"metrics", "net/http", false},
		{"metrics", module, true},
		{"metrics", module + "/httpx", true},
		{"metrics/metricstest", "github.com/prometheus/common/expfmt", false},
		{"metrics/metricstest", module + "/cmd/rollcall", true},
		{"tracing", "go.opentelemetry.io/otel/sdk/trace", false},
		{"tracing", module + "/store/sqlite", true},
		{"tracing", module + "/face/awsx", true},
		{"store/internal/rowset", "errors", false},
		{"store/internal/rowset", "github.com/jackc/pgx/v5", true},
		{"store/internal/rowset", module, true},
		{"store/sqlite", module + "/store/internal/rowset", false},
		{"store/postgres", module + "/store/internal/rowset", false},
		{"store/internal/wipe", "slices", false},
		{"store/internal/wipe", module, true},
		{"store/sqlite", module + "/store/internal/wipe", false},
		{"store/postgres", module + "/store/internal/wipe", false},
		{"operator", module + "/store/sqlite", true},
		{"face/admin", module + "/store/sqlite", true},
		{"chime", module, false},
		{"chime", module + "/invite", false},
		{"chime", module + "/workdocs", true},
		{"alexa", module + "/operator", true},
		{"business", "net/http", true},
		{"invite", module + "/chime", true},
		{"operator", module + "/alexa", false},
		{"operator", module + "/face/web", true},
		{"operator", module + "/auth", false},
		{"operator", module + "/store/sqlite", true},
		{"", module + "/chime", true},
		{"", module + "/internal/attrjson", true},
		{"internal/attrjson", module, false},
		{"internal/attrjson", module + "/chime", true},
		{"store/sqlite", module + "/operator", true},
		{"httpx", module + "/chime", true},
		{"fault", module, false},
		{"fault", module + "/face/awsx", false},
		{"fault", "net/http", false},
		{"fault", module + "/store/sqlite", true},
		{"fault", module + "/face/chime", true},
		{"fault", module + "/iam", true},
	}...) {
		if got := forbidden(tc.pkg, tc.imp) != ""; got != tc.refused {
			t.Errorf("%s imports %s: refused %v, want %v", tc.pkg, tc.imp, got, tc.refused)
		}
	}
}
