package audit_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/internal/testdeps"
)

// fileName is CloudTrail's log file name: AccountID_CloudTrail_RegionName_YYYYMMDDTHHmmZ_UniqueString.json.gz.
var fileName = regexp.MustCompile(`^AWSLogs/([^/]+)/CloudTrail/([a-z0-9-]+)/(\d{4})/(\d{2})/(\d{2})/([^/]+)_CloudTrail_([a-z0-9-]+)_(\d{8}T\d{4}Z)_([A-Za-z0-9]+)\.json\.gz$`)

// TestExportGroupsByAccountRegionAndHour writes events of two accounts, two regions and two
// hours, and reads the files back as a CloudTrail reader would.
func TestExportGroupsByAccountRegionAndHour(t *testing.T) {
	base := time.Date(2026, 11, 30, 13, 59, 58, 0, time.UTC)
	var all []audit.Record
	n := 0
	for _, account := range []string{"111122223333", "444455556666"} {
		for i := 0; i < 6; i++ { // 13:59:58 .. 14:00:03: two hours
			for _, region := range []string{"us-east-1", "eu-west-1"} {
				n++
				e := mustBuild(t, audit.Call{
					Face: "chime", Operation: "CreateUser", Tenant: account, Region: region,
					Caller:   audit.Identity{Kind: audit.AccessKey, AccountID: account, AccessKeyID: "AKIA" + account},
					SourceIP: "192.0.2.1", UserAgent: "aws-cli/2.9.19", RequestID: fmt.Sprintf("req-%d", n),
					EventID: fmt.Sprintf("00000000-0000-4000-8000-%012d", n), Time: base.Add(time.Duration(i) * time.Second),
					Request: map[string]any{"Email": fmt.Sprintf("u%d@example.com", n)},
				})
				all = append(all, e.Record)
			}
		}
	}
	dir := t.TempDir()
	x := &audit.Exporter{Dir: dir}
	for _, r := range all {
		if err := x.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	// In (account, time) order a group is written as soon as a later hour or another
	// account arrives: only the last hour of the last account is still held.
	if len(x.Files) != 6 {
		t.Errorf("%d files written before Close, want 6", len(x.Files))
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	files := walk(t, dir)
	if len(files) != 8 || !slices.Equal(files, sorted(x.Files)) {
		t.Fatalf("files %q, Exporter says %q; want 8 (2 accounts x 2 regions x 2 hours)", files, x.Files)
	}
	seen := map[string]bool{}
	for _, f := range files {
		m := fileName.FindStringSubmatch(f)
		if m == nil {
			t.Fatalf("%s is not a CloudTrail log file name", f)
		}
		account, region, stamp := m[1], m[2], m[8]
		if m[6] != account || m[7] != region || m[3]+m[4]+m[5] != stamp[:8] {
			t.Errorf("%s: directory and name disagree", f)
		}
		hour, _ := time.Parse("20060102T1504Z", stamp)
		recs := readLogFile(t, filepath.Join(dir, f))
		if len(recs) != 2 && len(recs) != 4 { // 13:59:58-59, 14:00:00-03
			t.Errorf("%s: %d records", f, len(recs))
		}
		var prev string
		for _, r := range recs {
			var rec audit.Record
			if err := json.Unmarshal(r, &rec); err != nil {
				t.Fatal(err)
			}
			tm, err := rec.Time()
			if err != nil || rec.RecipientAccountID != account || rec.AWSRegion != region || !tm.Truncate(time.Hour).Equal(hour) {
				t.Errorf("%s holds %s %s %s", f, rec.RecipientAccountID, rec.AWSRegion, rec.EventTime)
			}
			if rec.EventTime+rec.EventID < prev {
				t.Errorf("%s: records out of order", f)
			}
			prev = rec.EventTime + rec.EventID
			if seen[rec.EventID] {
				t.Errorf("event %s written twice", rec.EventID)
			}
			seen[rec.EventID] = true
		}
	}
	if len(seen) != len(all) {
		t.Errorf("%d events read back, %d written", len(seen), len(all))
	}

	// Again, in another order, into the same directory: the same files, nothing doubled.
	x2 := &audit.Exporter{Dir: dir}
	for i := len(all) - 1; i >= 0; i-- {
		if err := x2.Add(all[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := x2.Close(); err != nil {
		t.Fatal(err)
	}
	if again := walk(t, dir); !slices.Equal(again, files) {
		t.Errorf("exported again: %q, want %q", again, files)
	}
}

// TestLogFileIsCloudTrailShaped checks a file against what readers of CloudTrail files
// need: a gzip member holding one JSON object whose only member is "Records", an array of
// records each with the fields every management event has, in the types CloudTrail
// writes; and, when jq is installed, that `jq '.Records[]'` reads it.
func TestLogFileIsCloudTrailShaped(t *testing.T) {
	e := mustBuild(t, createUserCall())
	dir := t.TempDir()
	x := &audit.Exporter{Dir: dir}
	if err := x.Add(e.Record); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, x.Files[0])
	recs := readLogFile(t, path)
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	var fields map[string]any
	if err := json.Unmarshal(recs[0], &fields); err != nil {
		t.Fatal(err)
	}
	for name, kind := range map[string]string{
		"eventVersion": "string", "userIdentity": "object", "eventTime": "string", "eventSource": "string",
		"eventName": "string", "awsRegion": "string", "sourceIPAddress": "string", "userAgent": "string",
		"requestParameters": "object", "responseElements": "object", "requestID": "string", "eventID": "string",
		"readOnly": "bool", "eventType": "string", "managementEvent": "bool", "recipientAccountId": "string",
		"eventCategory": "string",
	} {
		if got := kindOf(fields[name]); got != kind {
			t.Errorf("%s is %s, want %s", name, got, kind)
		}
	}
	if v := fields["eventVersion"].(string); !regexp.MustCompile(`^1\.\d+$`).MatchString(v) {
		t.Errorf("eventVersion %q", v)
	}
	if _, err := time.Parse(time.RFC3339, fields["eventTime"].(string)); err != nil {
		t.Error(err)
	}
	// Last, since a laptop without jq skips from here: read the file as CloudTrail tools do.
	jq, err := exec.LookPath("jq")
	testdeps.Require(t, err, "jq (apt-get install jq)")
	out, err := exec.Command("sh", "-c", "gzip -dc "+path+" | "+jq+" -c '.Records[] | [.eventName, .userIdentity.type, .requestParameters.Password]'").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != `["CreateUser","Root","HIDDEN_DUE_TO_SECURITY_REASONS"]` {
		t.Errorf("jq: %v: %s", err, out)
	}
}

func TestExportRefusesUnsafeNames(t *testing.T) {
	for _, account := range []string{"", "..", "a/b", `a\b`} {
		r := mustBuild(t, createUserCall()).Record
		r.RecipientAccountID = account
		if err := (&audit.Exporter{Dir: t.TempDir()}).Add(r); err == nil {
			t.Errorf("account %q accepted", account)
		}
	}
}

// readLogFile is a minimal CloudTrail reader: gunzip, one JSON object with only
// "Records", and nothing after it.
func readLogFile(t *testing.T, path string) []json.RawMessage {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var file struct {
		Records []json.RawMessage `json:"Records"`
	}
	if err := dec.Decode(&file); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if rest, _ := io.ReadAll(dec.Buffered()); len(bytes.TrimSpace(rest)) != 0 {
		t.Fatalf("%s: %q after the Records object", path, rest)
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil || len(top) != 1 || top["Records"] == nil {
		t.Fatalf("%s: top level %s", path, body[:min(len(body), 80)])
	}
	return file.Records
}

func walk(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return sorted(files)
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func kindOf(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "bool"
	case map[string]any:
		return "object"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}
