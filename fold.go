package rollcall

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// FoldName lower-cases s and strips the accents of Latin letters, so that the query "ma"
// finds "Márcia" and "María", as WorkDocs' search does.
func FoldName(s string) string { return strings.Map(foldRune, s) }

func foldRune(r rune) rune {
	if r >= 0xC0 && r < 0x180 {
		if b := latinFold[r-0xC0]; b != '.' {
			return rune(b)
		}
	}
	return unicode.ToLower(r)
}

// appendFold appends FoldName(s) to b.
func appendFold(b []byte, s string) []byte {
	for _, r := range s { // invalid UTF-8 is RuneError, which strings.Map writes too
		if r < utf8.RuneSelf && (r < 'A' || r > 'Z') {
			b = append(b, byte(r))
			continue
		}
		b = utf8.AppendRune(b, foldRune(r))
	}
	return b
}

// latinFold is the unaccented lower-case letter of each rune from U+00C0 to U+017F
// (Latin-1 Supplement letters and Latin Extended-A); '.' keeps the rune (×, ÷, æ, ß, ...).
var latinFold = "" +
	"aaaaaa.ceeeeiiii" + // U+00C0 ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏ
	".nooooo.ouuuuy.." + // U+00D0 ÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞß
	"aaaaaa.ceeeeiiii" + // U+00E0 àáâãäåæçèéêëìíîï
	".nooooo.ouuuuy.y" + // U+00F0 ðñòóôõö÷øùúûüýþÿ
	"aaaaaaccccccccdd" + // U+0100 ĀāĂăĄąĆćĈĉĊċČčĎď
	"ddeeeeeeeeeegggg" + // U+0110 ĐđĒēĔĕĖėĘęĚěĜĝĞğ
	"gggghhhhiiiiiiii" + // U+0120 ĠġĢģĤĥĦħĨĩĪīĬĭĮį
	"ii..jjkk.lllllll" + // U+0130 İıĲĳĴĵĶķĸĹĺĻļĽľĿ
	"lllnnnnnn...oooo" + // U+0140 ŀŁłŃńŅņŇňŉŊŋŌōŎŏ
	"oo..rrrrrrssssss" + // U+0150 ŐőŒœŔŕŖŗŘřŚśŜŝŞş
	"ssttttttuuuuuuuu" + // U+0160 ŠšŢţŤťŦŧŨũŪūŬŭŮů
	"uuuuwwyyyzzzzzz." //   U+0170 ŰűŲųŴŵŶŷŸŹźŻżŽžſ
