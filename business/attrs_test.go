package business_test

import (
	"reflect"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/business"
)

// DirectoryOf keeps what it decoded, by document, and hands out copies.
func TestDirectoryOfByDocument(t *testing.T) {
	d := &rollcall.Directory{ID: "biz"}
	business.SetDirectory(d, business.DirectoryAttrs{DefaultGroupID: "g1", DefaultRole: "Finance"})
	for range 2 {
		a, err := business.DirectoryOf(d)
		if err != nil || a.DefaultGroupID != "g1" || a.DefaultRole != "Finance" {
			t.Fatalf("DirectoryOf = %+v, %v", a, err)
		}
		a.DefaultGroupID = "changed by a caller"
	}
	business.SetDirectory(d, business.DirectoryAttrs{DefaultGroupID: "g2"})
	if a, err := business.DirectoryOf(d); err != nil || a.DefaultGroupID != "g2" || a.DefaultRole != "" {
		t.Fatalf("after the settings changed: DirectoryOf = %+v, %v", a, err)
	}
	d.Attrs = `{"defaultGroupId":`
	if _, err := business.DirectoryOf(d); !rollcall.IsKind(err, rollcall.Internal) {
		t.Fatalf("a damaged document: %v, want Internal", err)
	}
}

// DirectoryOf's cache hands out copies of DirectoryAttrs: a field that is not a
// string would share memory with the cache (and needs a deep copy there).
func TestDirectoryAttrsAreValues(t *testing.T) {
	ty := reflect.TypeFor[business.DirectoryAttrs]()
	for i := range ty.NumField() {
		if f := ty.Field(i); f.Type.Kind() != reflect.String {
			t.Errorf("DirectoryAttrs.%s is a %s: DirectoryOf's cache would share it", f.Name, f.Type)
		}
	}
}
