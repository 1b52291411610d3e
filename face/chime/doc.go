// Package chime is the Amazon Chime face (API 2018-05-01, AWS REST-JSON, SigV4 service
// "chime"): accounts (CreateAccount, GetAccount, ListAccounts, UpdateAccount,
// DeleteAccount), users and their lifecycle (user.go, lifecycle.go), and user and account
// settings and sign-in delegate groups (settings.go), with the request routing, member
// names, status codes and error bodies the official SDKs expect. Errors carry
// X-Amzn-ErrorType and a body {"Code": ..., "Message": ...}.
//
// It imports the core, httpx, validate and the standard library; never a storage
// package and never another face.
package chime
