package httpx

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// WriteJSON writes v as a JSON response with the given status and content type.
func WriteJSON(w http.ResponseWriter, status int, contentType string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"message":"internal error"}`)
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

// WriteRESTJSONError writes an AWS REST-JSON error: the shape name in X-Amzn-ErrorType
// and a body with the message. extra members (Chime's "Code") are merged into the body.
func WriteRESTJSONError(w http.ResponseWriter, status int, shape, message string, extra map[string]string) {
	body := map[string]string{"Message": message}
	for k, v := range extra {
		body[k] = v
	}
	w.Header().Set("X-Amzn-ErrorType", shape)
	WriteJSON(w, status, "application/json", body)
}

// AWSJSONContentType is the content type of the AWS JSON 1.1 protocol.
const AWSJSONContentType = "application/x-amz-json-1.1"

// WriteAWSJSONError writes an AWS JSON 1.1 error: {"__type": shape, "message": ...}.
// extra members (e.g. ClientRequestToken) are merged into the body.
func WriteAWSJSONError(w http.ResponseWriter, status int, shape, message string, extra map[string]string) {
	body := map[string]string{"__type": shape, "message": message}
	for k, v := range extra {
		body[k] = v
	}
	WriteJSON(w, status, AWSJSONContentType, body)
}
