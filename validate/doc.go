// Package validate checks request members against the constraints the API reference pages
// state (required, length, pattern, enum, range) and words the failures the way AWS
// services do:
//
//	1 validation error detected: Value 'x' at 'userId' failed to satisfy constraint:
//	Member must have length less than or equal to 128
//
// Faces declare one table of Rules per operation. The package imports the standard
// library only.
package validate
