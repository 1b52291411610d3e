package validate

import (
	"slices"
	"testing"
	"unicode/utf16"
)

// typical is a value each listed pattern meets in a CreateUser or DescribeUsers call.
var typical = map[string]string{
	`arn:[a-z0-9-\.]{1,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[^/].{0,1023}`: "arn:aws:a4b:us-east-1:000000000000:user/01a22cb3-5512-7fd8-aaab-5d127c686c9f",
	`.*\S.*`:                    "Acme Corporation",
	`.+@.+\..+`:                 "ada.lovelace@example.com",
	`[a-zA-Z0-9][a-zA-Z0-9_-]*`: "f9a3c1d7-b21f-4c9f-0e3f-1c5e9a6a9e00",
	`([0-9a-zA-Z]([+-.\w]*[0-9a-zA-Z])*@([0-9a-zA-Z][-\w]*[0-9a-zA-Z]\.)+[a-zA-Z]{2,9})`: "ada.lovelace@example.com",
	`([A-Za-z\-' 0-9._]|\p{IsLetter})*`:                                                  "Lovelace",
	`[a-zA-Z0-9@_+.-]*`:                                                                  "ada.lovelace@example.com",
	`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`:                                                    "cost-center",
	`[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}`:                                     "ada.lovelace@example.com",
	`[&\w+-.@]+`:       "d-0000000000",
	`[\u0020-\u00FF]+`: "correct horse battery staple",
	`[\w\-+.]+(@[a-zA-Z0-9.\-]+\.[a-zA-Z]+)?`: "ada.lovelace",
	`[&\w+-.@, ]+`:     "S-1-1-11-1111111111-2222222222-3333333333-3333",
	`[\u0020-\uFFFF]+`: "lovelace",
	`[\w,]+`:           "FULL_NAME,EMAIL",
}

// BenchmarkPattern: each listed pattern on a typical value, by its regexp and by its
// linear check.
func BenchmarkPattern(b *testing.B) {
	texts := make([]string, 0, len(linear))
	for text := range linear {
		texts = append(texts, text)
	}
	slices.Sort(texts)
	for _, text := range texts {
		v, ok := typical[text]
		if !ok {
			b.Fatalf("no typical value for %s", text)
		}
		re, match := oracle(text), linear[text]
		if !re.MatchString(v) || !match(v) {
			b.Fatalf("%s does not match %q", text, v)
		}
		b.Run(text+"/regexp", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				re.MatchString(v)
			}
		})
		b.Run(text+"/linear", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				match(v)
			}
		})
	}
}

// BenchmarkLength: a value's length in UTF-16 code units, as it was counted and as it is.
func BenchmarkLength(b *testing.B) {
	for _, v := range []string{"ada.lovelace@example.com", "Zoë Lovelace-Byron"} {
		b.Run(v+"/encode", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = len(utf16.Encode([]rune(v)))
			}
		})
		b.Run(v+"/count", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				utf16Len(v)
			}
		})
	}
}
