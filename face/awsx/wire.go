package awsx

import "net/http"

// RESTJSON is an AWS REST-JSON error: the shape in X-Amzn-ErrorType and a body
// {"Message": message} with extra's members merged in (Chime's "Code", WorkDocs'
// "EntityIds").
func RESTJSON(status int, shape, message string, extra map[string]any) Wire {
	body := map[string]any{"Message": message}
	for k, v := range extra {
		body[k] = v
	}
	return Wire{Status: status, Header: http.Header{"X-Amzn-Errortype": {shape}}, Body: body}
}

// JSON11 is an AWS JSON 1.1 error: {"__type": shape, "message": message} with extra's
// members merged in (ClientRequestToken).
func JSON11(status int, shape, message string, extra map[string]any) Wire {
	body := map[string]any{"__type": shape, "message": message}
	for k, v := range extra {
		body[k] = v
	}
	return Wire{Status: status, Body: body}
}
