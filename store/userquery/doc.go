// Package userquery turns a rollcall.UserQuery into one SQL statement over the users
// table, for every SQL backend (store/sqlite, store/postgres), so that both plan a user
// query the same way: scope and filters as equality and IN conditions on indexed
// columns, the prefix search as a condition on the stored search words, the order as
// ORDER BY over an index whose leading columns are the scope and the first sort key, and
// the keyset cursor as a range on those columns (see Select). The backends differ only
// in a Dialect (placeholders, how a time and a substring test are written, how a filter
// is kept off an index, whether a search's page reads its keys first).
//
// It imports the core and the standard library only: no driver, no face, HTTP or auth.
package userquery
