// Package web is rollcall's HTML face: the page where an invitee accepts an invitation
// (/invitations/{token}) and the administrator's console (/_rollcall/console). Pages are
// rendered on the server from html/template; templates and the style sheet are embedded
// in the binary, and no page needs JavaScript.
//
// Every response carries a Content-Security-Policy without script sources,
// X-Frame-Options DENY (the message preview, framed by the console, allows its own
// origin), Referrer-Policy no-referrer (so the invitation token in the URL does not leak
// to other sites) and Cache-Control no-store. Errors are HTML pages with the right status;
// their cause goes to the request log, which records no URL path, so tokens never reach
// it.
//
// Console sessions are auth/session's: the cookie holds a random ID, the store its hash.
// The console's faults page lists package fault's rules and how often each fired.
//
// The console's tenant page shows the tenant's audit trail (timeline.go), newest first,
// paged by a cursor sealed with package pagetoken, as is the cursor of a user search that
// stops on its bound.
//
// It imports the core, invite (the invitation pages), operator (the console), alexa and
// chime (a user's enrollment or registration status in the console), audit (the
// timeline's records and cursor), auth/session, fault (the console's faults page),
// pagetoken, httpx and the standard library; never a store or another face.
package web
