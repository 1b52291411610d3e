package httpx

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// DecodeError says what is wrong with a request body, in words a client can act on.
type DecodeError struct{ Message string }

func (e *DecodeError) Error() string { return e.Message }

// DecodeJSON decodes a request body into v the way the real services read JSON: member
// names match exactly (encoding/json would let "email" fill Email), a duplicate member
// name is an error, and so is invalid UTF-8 (encoding/json would quietly replace it). An
// empty body is an empty object; any other body must be an object (null is not one,
// though the decoder would leave v alone). Unknown members are ignored, as AWS services
// ignore members newer clients may send.
func DecodeJSON(body []byte, v any) error {
	switch string(bytes.Trim(body, " \t\r\n")) {
	case "":
		body = []byte("{}")
	case "null":
		return &DecodeError{Message: msgNotObject}
	}
	err := json.Unmarshal(body, v, json.RejectUnknownMembers(false))
	if err == nil {
		return nil
	}
	return &DecodeError{Message: describe(err)}
}

const msgNotObject = "The request body must be a JSON object."

func describe(err error) string {
	var se *json.SemanticError
	if errors.As(err, &se) {
		field := strings.TrimPrefix(string(se.JSONPointer), "/")
		field = strings.ReplaceAll(field, "/", ".")
		if se.Err != nil && errors.Is(se.Err, jsontext.ErrDuplicateName) {
			return fmt.Sprintf("Duplicate member name in JSON object at '%s'.", field)
		}
		if field == "" {
			return msgNotObject
		}
		want := "a value of another type"
		if se.GoType != nil {
			want = kindName(se.GoType.String())
		}
		got := "value"
		if se.JSONKind != 0 {
			got = jsonKindName(se.JSONKind)
		}
		return fmt.Sprintf("Invalid type for '%s': expected %s, found %s.", field, want, got)
	}
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		if errors.Is(syn.Err, jsontext.ErrDuplicateName) {
			field := strings.ReplaceAll(strings.TrimPrefix(string(syn.JSONPointer), "/"), "/", ".")
			return fmt.Sprintf("Duplicate member name '%s' in JSON object.", field)
		}
		if strings.Contains(syn.Error(), "UTF-8") {
			return fmt.Sprintf("The request body is not valid UTF-8 (at byte %d).", syn.ByteOffset)
		}
		return fmt.Sprintf("The request body is not valid JSON (at byte %d).", syn.ByteOffset)
	}
	return "The request body is not valid JSON."
}

func kindName(goType string) string {
	goType = strings.TrimLeft(goType, "*")
	switch {
	case goType == "string":
		return "a string"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "a boolean"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	default:
		return "an object"
	}
}

func jsonKindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	case '[':
		return "a list"
	case '{':
		return "an object"
	}
	return "a value"
}
