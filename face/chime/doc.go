// Package chime is the Amazon Chime face (API 2018-05-01, AWS REST-JSON, SigV4 service
// "chime"), with the request routing, member names, status codes and error bodies the
// official SDKs expect. It serves 21 operations:
//
//   - accounts (account.go, lifecycle.go): CreateAccount, GetAccount, ListAccounts,
//     UpdateAccount, DeleteAccount;
//   - users (user.go, lifecycle.go): CreateUser, GetUser, ListUsers, UpdateUser,
//     InviteUsers, BatchSuspendUser, BatchUnsuspendUser, BatchUpdateUser,
//     ResetPersonalPIN, LogoutUser;
//   - settings (settings.go): GetUserSettings, UpdateUserSettings, GetAccountSettings,
//     UpdateAccountSettings, and the sign-in delegate groups
//     (AssociateSigninDelegateGroupsWithAccount, DisassociateSigninDelegateGroupsFromAccount).
//
// face.go routes a request by one table in the model's terms (routeTable: method,
// requestUri, operation parameter). Requests go through the AWS pipeline of package
// face/awsx (body, SigV4, tenant, throttle), then face.go checks the URI for every
// operation (each query parameter given once, the path's accountId and userId); handlers
// check their body's members and return a value or an error (page.go pages the lists),
// and errors.go's toWire is the face's one error table: X-Amzn-ErrorType and a body
// {"Code": ..., "Message": ...}.
//
// It imports the core, its product package chime (wording.go words its errors as Chime
// does), face/awsx, httpx, validate, pagetoken, iam (the names of its
// operations) and the standard library; never a store, another face or another product's
// package.
package chime
