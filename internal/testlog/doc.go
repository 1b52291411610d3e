// Package testlog holds what tests capture a server's log in.
//
// It imports the standard library only; only tests and face/facetest import it.
package testlog
