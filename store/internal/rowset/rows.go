package rowset

// Result is a query's result set: database/sql's *sql.Rows and pgx.Rows both are one.
type Result interface {
	Next() bool
	Err() error
}

// Collect scans every row of rs with scan, in order. It stops at the first error, of
// scan or of rs, and returns it as it is, for the backend to translate. The caller
// closes rs.
func Collect[T any, R Result](rs R, scan func(R) (*T, error)) ([]*T, error) {
	var out []*T
	for rs.Next() {
		v, err := scan(rs)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
