package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/atomicfile"
)

const adminTokenFile = "admin-token.sha256"

// adminTokenHash returns the SHA-256 of the admin token. A configured token wins; else the
// hash kept in the data directory; else a new token is generated, its hash kept, and the
// token itself returned once so it can be printed. The token is never stored in clear.
//
// The file is written atomically, so a crash or a full disk leaves it whole or absent; a
// file that is there but holds no valid hash (emptied, edited) is an error that says what
// to do, never an admin API that silently refuses every token.
func adminTokenHash(configured, dataDir string) (hash, generated string, err error) {
	if configured != "" {
		return rollcall.HashToken(configured), "", nil
	}
	path := filepath.Join(dataDir, adminTokenFile)
	b, err := os.ReadFile(path)
	if err == nil {
		hash = strings.TrimSpace(string(b))
		if !validTokenHash(hash) {
			return "", "", fmt.Errorf("%s holds no valid token hash (want 64 hex digits, found %d bytes): "+
				"delete it to have a new admin token generated and printed at the next start, or start with --admin-token", path, len(b))
		}
		return hash, "", nil
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
	if err := atomicfile.WriteFile(path, []byte(hash+"\n"), 0o600); err != nil {
		return "", "", err
	}
	return hash, generated, nil
}

// validTokenHash reports whether s is what rollcall.HashToken returns: lower-case hex of
// 32 bytes.
func validTokenHash(s string) bool {
	if len(s) != 64 || strings.ToLower(s) != s {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
