package web

import (
	"testing"

	"github.com/rollcall/rollcall"
)

// TestLabels: the words the console names each kind of directory and tenant with, and
// what it falls back to for a kind it does not know.
func TestLabels(t *testing.T) {
	for _, c := range []struct {
		kind               rollcall.DirectoryKind
		product, directory string
	}{
		{rollcall.DirBusiness, "Amazon Business", "Amazon Business account"},
		{rollcall.DirChime, "Amazon Chime", "Amazon Chime account"},
		{rollcall.DirWorkDocs, "Amazon WorkDocs", "Amazon WorkDocs organization"},
		{rollcall.DirAlexa, "Alexa for Business", "Alexa for Business directory"},
		{"other", "other", "directory"},
	} {
		if got := faceLabel(c.kind); got != c.product {
			t.Errorf("faceLabel(%s) = %q, want %q", c.kind, got, c.product)
		}
		if got := directoryLabel(c.kind); got != c.directory {
			t.Errorf("directoryLabel(%s) = %q, want %q", c.kind, got, c.directory)
		}
	}
	for k, want := range map[rollcall.TenantKind]string{rollcall.TenantAWS: "AWS account",
		rollcall.TenantBusiness: "Amazon Business customer", "other": "other"} {
		if got := tenantKindLabel(k); got != want {
			t.Errorf("tenantKindLabel(%s) = %q, want %q", k, got, want)
		}
	}
}
