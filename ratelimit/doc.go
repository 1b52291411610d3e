// Package ratelimit holds per-tenant, per-operation token buckets.
//
// Limits are kept in this process: with several replicas each enforces its own buckets,
// so a tenant's effective limit is the per-replica limit times the replicas that serve it
// (see README "Rate limits"). It imports the core and the standard library.
package ratelimit
