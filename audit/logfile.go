package audit

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/atomicfile"
)

// A log file is what CloudTrail delivers: a gzip archive of one JSON object,
// {"Records":[...]}, named ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz under
// AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ (CloudTrail User Guide, "Finding your
// CloudTrail log files": "bucket_name/prefix_name/AWSLogs/Account ID/CloudTrail/region/
// YYYY/MM/DD/file_name.json.gz", e.g.
// 123456789012_CloudTrail_us-west-1_20140620T1255Z_HdkvFTXOA3Vnhbc.json.gz; "CloudTrail
// log file examples" for the Records object).
//
// rollcall's choices within that format:
//   - a file holds the records of one account, one region and one hour (UTC), sorted by
//     eventTime then eventID; its name's time is the start of that hour (CloudTrail's is
//     the minute it delivered the file), so names sort in time order;
//   - UNIQUE is 16 characters derived from the file's event IDs, so exporting the same
//     events again writes the same names (an export can be repeated into the same DIR
//     without duplicating events) and files of different events never collide.

// FileName is the log file name of account's records of region in the hour starting at hour.
func FileName(account, region string, hour time.Time, unique string) string {
	return account + "_CloudTrail_" + region + "_" + hour.UTC().Format("20060102T1504Z") + "_" + unique + ".json.gz"
}

// FileDir is the directory, relative to the output directory, of account's log files of
// region for the day of t.
func FileDir(account, region string, t time.Time) string {
	return filepath.Join("AWSLogs", account, "CloudTrail", region, t.UTC().Format("2006/01/02"))
}

// Exporter writes records into CloudTrail log files under Dir. Add records in (account,
// time) order, as a store lists them, and it holds one hour of each region at a time: a
// group is written once a record of a later hour, or of another account, arrives. Records
// in another order are still all written, in more files. Close writes what is left.
type Exporter struct {
	Dir   string
	Files []string // the files written so far, relative to Dir
	// Perm is the files' mode (default 0o640: the records name users and addresses).
	Perm os.FileMode

	groups  map[groupKey][]Record
	account string
	hour    time.Time
}

type groupKey struct {
	account, region string
	hour            time.Time
}

// Add queues rec for its file, writing the files it closes.
func (x *Exporter) Add(rec Record) error {
	t, err := rec.Time()
	if err != nil {
		return fmt.Errorf("audit: record %s: eventTime %q: %w", rec.EventID, rec.EventTime, err)
	}
	if err := checkSegment("recipientAccountId", rec.RecipientAccountID); err != nil {
		return err
	}
	if err := checkSegment("awsRegion", rec.AWSRegion); err != nil {
		return err
	}
	hour := t.Truncate(time.Hour)
	if rec.RecipientAccountID != x.account || hour.After(x.hour) {
		if err := x.flush(func(k groupKey) bool { return k.account != rec.RecipientAccountID || k.hour.Before(hour) }); err != nil {
			return err
		}
		x.account, x.hour = rec.RecipientAccountID, hour
	}
	if x.groups == nil {
		x.groups = map[groupKey][]Record{}
	}
	k := groupKey{rec.RecipientAccountID, rec.AWSRegion, hour}
	x.groups[k] = append(x.groups[k], rec)
	return nil
}

// Close writes every file still open.
func (x *Exporter) Close() error {
	return x.flush(func(groupKey) bool { return true })
}

func (x *Exporter) flush(done func(groupKey) bool) error {
	var keys []groupKey
	for k := range x.groups {
		if done(k) {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.account != b.account {
			return a.account < b.account
		}
		if !a.hour.Equal(b.hour) {
			return a.hour.Before(b.hour)
		}
		return a.region < b.region
	})
	for _, k := range keys {
		name, err := x.write(k, x.groups[k])
		if err != nil {
			return err
		}
		delete(x.groups, k)
		x.Files = append(x.Files, name)
	}
	return nil
}

// write writes one log file, atomically, and returns its name relative to x.Dir.
func (x *Exporter) write(k groupKey, recs []Record) (string, error) {
	sort.SliceStable(recs, func(i, j int) bool {
		if recs[i].EventTime != recs[j].EventTime {
			return recs[i].EventTime < recs[j].EventTime
		}
		return recs[i].EventID < recs[j].EventID
	})
	sum := sha256.New()
	for _, r := range recs {
		io.WriteString(sum, r.EventID+"\n")
	}
	dir := FileDir(k.account, k.region, k.hour)
	name := filepath.Join(dir, FileName(k.account, k.region, k.hour, unique(sum.Sum(nil))))
	if err := os.MkdirAll(filepath.Join(x.Dir, dir), 0o750); err != nil {
		return "", atomicfile.NoSpace(x.Dir, err)
	}
	perm := x.Perm
	if perm == 0 {
		perm = 0o640
	}
	err := atomicfile.Write(filepath.Join(x.Dir, name), perm, func(w io.Writer) error {
		gz := gzip.NewWriter(w)
		if err := json.NewEncoder(gz).Encode(struct {
			Records []Record `json:"Records"`
		}{recs}); err != nil {
			return err
		}
		return gz.Close()
	})
	if err != nil {
		return "", fmt.Errorf("audit: log file %s: %w", name, err)
	}
	return name, nil
}

const alphanumerics = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// unique is the UNIQUE part of a file name: 16 alphanumerics from a hash.
func unique(sum []byte) string {
	var b [16]byte
	for i := range b {
		b[i] = alphanumerics[int(sum[i])%len(alphanumerics)]
	}
	return string(b[:])
}

// checkSegment refuses a value that cannot be one segment of a log file's path.
func checkSegment(field, v string) error {
	if v == "" || v == "." || v == ".." || strings.ContainsAny(v, `/\`+"\x00") {
		return errors.New("audit: " + field + " " + fmt.Sprintf("%q", v) + " cannot name a log file")
	}
	return nil
}
