package main

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rollcall/rollcall"
)

const adminTokenFile = "admin-token.sha256"

// adminTokenHash returns the SHA-256 of the admin token. A configured token wins; else the
// hash kept in the data directory; else a new token is generated, its hash kept, and the
// token itself returned once so it can be printed. The token is never stored in clear.
func adminTokenHash(configured, dataDir string) (hash, generated string, err error) {
	if configured != "" {
		return rollcall.HashToken(configured), "", nil
	}
	path := filepath.Join(dataDir, adminTokenFile)
	b, err := os.ReadFile(path)
	if err == nil {
		return strings.TrimSpace(string(b)), "", nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", "", err
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", "", err
	}
	generated = "rc_admin_" + base64.RawURLEncoding.EncodeToString(raw[:])
	hash = rollcall.HashToken(generated)
	if err := os.WriteFile(path, []byte(hash+"\n"), 0o600); err != nil {
		return "", "", err
	}
	return hash, generated, nil
}
