package rowset

// A row's attrs column holds its product's document (a JSON object) as it was given: the
// backends do not read it. No document is stored as {}, as the release before wrote an
// empty one, and {} reads back as none.

// AttrsColumn is what a backend writes for the document doc.
func AttrsColumn(doc string) string {
	if doc == "" {
		return "{}"
	}
	return doc
}

// AttrsDoc is the document an attrs column holds.
func AttrsDoc(column string) string {
	if column == "{}" {
		return ""
	}
	return column
}
