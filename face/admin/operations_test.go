package admin_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/rollcall/rollcall/face/admin"
)

// TestOperationsListed: Operations holds every operation name the admin API's files
// annotate requests with, so none is recorded as "other" in the metrics.
func TestOperationsListed(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	annotate := regexp.MustCompile(`httpx\.Annotate\(r, (?:"admin"|Name), "([A-Za-z]+)"\)`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range annotate.FindAllSubmatch(b, -1) {
			if op := string(m[1]); !slices.Contains(admin.Operations, op) {
				t.Errorf("%s annotates %q, which admin.Operations does not list", f, op)
			}
		}
	}
}
