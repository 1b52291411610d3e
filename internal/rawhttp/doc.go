// Package rawhttp speaks HTTP/1.1 over a bare TCP connection, for tests of what a server
// does with bytes a well-behaved client never sends: smuggled, pipelined, oversized or
// split requests. Only tests import it.
package rawhttp
