package rollcall_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/rollcall/rollcall"

// TestDependencyDirection keeps the architecture checkable: faces -> core <- storage, and
// only cmd wires them together.
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

func forbidden(pkg, imp string) string {
	own := strings.HasPrefix(imp, module)
	irel := strings.TrimPrefix(strings.TrimPrefix(imp, module), "/")
	switch {
	case pkg == "":
		if own || strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
			return "the core imports the standard library only"
		}
		if imp == "net/http" || imp == "database/sql" {
			return "the core knows no transport and no database driver"
		}
	case strings.HasPrefix(pkg, "face/"):
		if strings.HasPrefix(irel, "store/") {
			return "a face never imports storage"
		}
		if strings.HasPrefix(irel, "face/") && irel != pkg {
			return "a face never imports another face"
		}
	case strings.HasPrefix(pkg, "store/"):
		if strings.HasPrefix(irel, "face/") || irel == "httpx" || strings.HasPrefix(irel, "auth") {
			return "storage knows nothing of faces, HTTP or auth"
		}
	case pkg == "mail" || strings.HasPrefix(pkg, "mail/"):
		if strings.HasPrefix(irel, "face/") || strings.HasPrefix(irel, "store/") || irel == "httpx" || imp == "net/http" {
			return "mail delivers the outbox through the Store interface: no face, storage or HTTP"
		}
	case pkg == "iam" || strings.HasPrefix(pkg, "iam/"):
		if own || strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
			return "iam imports the standard library only: callers hand it policies and requests"
		}
	case pkg == "httpx", pkg == "validate", strings.HasPrefix(pkg, "auth"):
		if own && (strings.HasPrefix(irel, "face/") || strings.HasPrefix(irel, "store/")) {
			return "shared helpers never import a face or storage"
		}
	}
	return ""
}
