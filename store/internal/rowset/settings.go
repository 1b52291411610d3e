package rowset

// Setting is a row of the settings table: a shared setting's name and value.
type Setting struct{ Name, Value string }

// Settings is the settings table, read as rows with err, as a map from name to value;
// err, if there is one, as it is.
func Settings(rows []*Setting, err error) (map[string]string, error) {
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, s := range rows {
		out[s.Name] = s.Value
	}
	return out, nil
}
