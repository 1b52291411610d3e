package main

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/store/transfer"
)

// BenchChimeAccount is the Chime account of the dev tenant that -gen-users fills; the
// harness points the chime face at it (-chime-account), so a 1M-user run creates users
// in a directory that already holds a third of them.
const BenchChimeAccount = "00000000-0000-4000-8000-00000000be4c"

// genImport writes a `rollcall import` file (transfer.Writer, the current format) with n
// users, a third in each directory the harness loads: the Chime account above, the dev
// account's Alexa for Business directory and the dev Amazon Business account. The
// directories they need that the dev defaults do not create are in the file too;
// import with --merge.
func genImport(path string, n int) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w, err := transfer.NewWriter(f, now)
	if err != nil {
		return err
	}
	tenant := rollcall.DevAccountID
	alexaDir := rollcall.AlexaDirectoryID(tenant)
	dirs := []*rollcall.Directory{
		{ID: BenchChimeAccount, TenantID: tenant, Kind: rollcall.DirChime, Name: "bench", CreatedAt: now, UpdatedAt: now,
			Attrs: `{"accountType":"Team","accountStatus":"Active","defaultLicense":"Pro","supportedLicenses":["Basic","Pro"]}`},
		{ID: alexaDir, TenantID: tenant, Kind: rollcall.DirAlexa, Name: "Alexa for Business", CreatedAt: now, UpdatedAt: now},
	}
	for _, d := range dirs {
		if err := w.Write(d); err != nil {
			return err
		}
	}
	for i := range n {
		id := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		email := "gen-" + strconv.Itoa(i) + "@example.com"
		u := &rollcall.User{ID: id, TenantID: tenant, Email: email, Status: "Active", CreatedAt: now, UpdatedAt: now}
		switch i % 3 {
		case 0:
			u.DirectoryID, u.Kind, u.Key, u.UserType, u.DisplayName = BenchChimeAccount, rollcall.DirChime, email, chime.PrivateUser, "gen-"+strconv.Itoa(i)
			u.Attrs = `{"licenseType":"Pro","registrationStatus":"Unregistered"}` // chime.UserAttrs
		case 1:
			u.DirectoryID, u.Kind, u.Key, u.Username, u.Status = alexaDir, rollcall.DirAlexa, "gen-"+strconv.Itoa(i), "gen-"+strconv.Itoa(i), "ACTIVE"
			u.Attrs = `{"arn":"arn:aws:a4b:us-east-1:` + tenant + `:user/` + id + `"}` // alexa.UserAttrs
			u.ProductKeys.Enrollment = alexa.EnrollmentInitialized
		case 2:
			u.DirectoryID, u.TenantID, u.Kind, u.Key, u.Status = rollcall.DevBusinessID, rollcall.DevBusinessID, rollcall.DirBusiness, email, "INVITED"
			u.Attrs = `{"groupId":"` + rollcall.DevGroupID + `","region":"US"}` // business.UserAttrs
		}
		if err := w.Write(u); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	return f.Close()
}

// waitReady polls url until it answers 200 and prints the milliseconds since since (Unix
// nanoseconds): the harness's start-to-first-answer figure.
func waitReady(url string, since int64) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				fmt.Printf("%.1f\n", float64(time.Now().UnixNano()-since)/1e6)
				return nil
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer 200 in 30s", url)
}
