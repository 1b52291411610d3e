// Package storetest is the conformance suite every rollcall.Store implementation runs.
// A backend's tests call RunTests with an Opener that makes a fresh, empty database and
// returns a function opening a Store on it, which the suite also calls again after
// Close to check that data survives a restart:
//
//	func TestConformance(t *testing.T) {
//		storetest.RunTests(t, func(t *testing.T) func() rollcall.Store {
//			path := filepath.Join(t.TempDir(), "rollcall.db")
//			return func() rollcall.Store {
//				s, err := sqlite.Open(path)
//				if err != nil {
//					t.Fatal(err)
//				}
//				return s
//			}
//		})
//	}
//
// Where a backend cannot pass a case, the suite changes for every backend, never for
// one. The suite pins down what the core's Tx documentation leaves open:
//
//   - Times: a Store keeps at least milliseconds and returns UTC. The suite compares
//     times after truncating both sides to the millisecond.
//   - Slices: nil and empty are the same value; the suite compares them as equal.
//   - Errors: every "returns NotFound/Conflict" of the Tx documentation, plus NotFound
//     from Message, UpdateInvitation and DeleteAccessToken when there is nothing to
//     find, and Conflict from UpdateInvitation onto a taken token hash. A write method
//     in a View returns an Internal error and writes nothing.
//   - Put methods replace every field of the stored value, CreatedAt included.
//   - A user is addressed by (DirectoryID, ID): through another directory it is
//     NotFound, and UpdateUser does not move it.
//   - UserQuery.Emails match ignoring case (strings.ToLower on both sides).
//   - Users(UserQuery): the answer is what the core's definitions say (User.Keys,
//     SortValueOf, OrderOf), for every filter, sort field, direction, cursor and page
//     size (query.go); text sorts bytewise; the derived keys follow every UpdateUser.
//     BenchQueries measures one page of each sort and filter the faces document.
//   - Messages are newest first by CreatedAt, ties broken by ID, descending.
//   - DeleteDirectoryRow deletes the directory's row and nothing it holds;
//     DeleteDirectoryContents deletes one kind of row of one directory and nothing
//     else. What deleting a directory removes is the core's rollcall.DeleteDirectory,
//     tested in the core.
//   - Update: an error from fn rolls back everything fn wrote and is returned as is;
//     an Update whose context is already done returns an error wrapping ctx.Err() and
//     writes nothing. A write that fails with Conflict undoes itself only: fn may
//     carry on, and its other writes commit (a PostgreSQL backend needs a savepoint
//     around such a statement, or ON CONFLICT DO NOTHING). Updates are serializable:
//     concurrent read-modify-writes of one row lose nothing (a backend may retry fn).
//   - View sees one snapshot for its whole fn, even while Updates commit.
//
// storetest imports the core and the standard library (testing included) only.
package storetest
