package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rollcall/rollcall/operator"
	"gopkg.in/yaml.v3"
)

// loadSeed reads a seed file: JSON, or YAML (by extension .yaml/.yml, or when the file
// does not start with '{'). Unknown keys are errors, so a typo does not pass silently.
func loadSeed(path string) (operator.Seed, error) {
	var sd operator.Seed
	raw, err := os.ReadFile(path)
	if err != nil {
		return sd, err
	}
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".yaml" || ext == ".yml" || !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		var v any
		if err := yaml.Unmarshal(raw, &v); err != nil {
			return sd, fmt.Errorf("%s: %v", path, err)
		}
		if raw, err = json.Marshal(v); err != nil {
			return sd, fmt.Errorf("%s: %v", path, err)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sd); err != nil {
		return sd, fmt.Errorf("%s: %v", path, err)
	}
	if err := sd.Validate(); err != nil {
		return sd, fmt.Errorf("%s: %v", path, err)
	}
	return sd, nil
}
