// Package invite is invitations: queueing one with its mail (Queue; the text and HTML
// content of every kind of invitation is a Letter of this package, which the inviting
// product picks), finding the invitation a link belongs to, the invitee's password
// rule, and acceptance. What accepting means for the users of one product is that
// product's Rules, given to New, so this package knows no product's state.
//
// It imports the core (package rollcall) and the standard library only. Product packages
// import it to queue invitations; it never imports them, a face, storage, or net/http.
package invite
