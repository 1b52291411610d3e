package sqlite

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// TestUserAttrsEncoder: the hand-written encoder knows UserAttrs as the core has it,
// and writes exactly what encoding/json writes.
func TestUserAttrsEncoder(t *testing.T) {
	if !fastUserAttrs {
		t.Fatal("rollcall.UserAttrs changed: teach appendUserAttrs and userAttrsFields its new shape (until then, encoding/json is used)")
	}
	at := time.Date(2026, 11, 22, 10, 30, 15, 123_000_000, time.UTC)
	whole := time.Date(2026, 11, 22, 10, 30, 15, 0, time.UTC)
	zero := int64(0)
	cases := []rollcall.UserAttrs{
		{},
		{LicenseType: "Pro", RegistrationStatus: "Unregistered"},
		{InvitedOn: &at, RegisteredOn: &whole, StorageAllocatedInBytes: &zero, StorageUtilizedInBytes: -7},
		{Tags: []rollcall.Tag{{}, {Key: "k", Value: "v"}}, SuppressNotifications: []string{"", "EMAIL"}},
		{Locale: oddString, Arn: "arn:aws:a4b:us-east-1:000000000000:user/x", Tags: []rollcall.Tag{{Key: oddString, Value: oddString}}},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		cases = append(cases, randomAttrs(r))
	}
	for i, a := range cases {
		want, err := json.Marshal(&a)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendUserAttrs(nil, &a); string(got) != string(want) {
			t.Fatalf("case %d:\n got  %s\n want %s", i, got, want)
		}
	}
}

const oddString = "\"quote\" \\ </script> & \x00\x01\b\f\n\r\t\x1f \u2028\u2029 Zoë 🙂 \xff\xfe bad \xc3"

// randomAttrs fills every field of a UserAttrs, at random, by reflection, so a field
// the encoder forgets shows up.
func randomAttrs(r *rand.Rand) rollcall.UserAttrs {
	var a rollcall.UserAttrs
	v := reflect.ValueOf(&a).Elem()
	str := func() string {
		if r.IntN(4) == 0 {
			return ""
		}
		return oddString[r.IntN(len(oddString)):]
	}
	for i := range v.NumField() {
		if r.IntN(3) == 0 {
			continue
		}
		f := v.Field(i)
		switch f.Interface().(type) {
		case string:
			f.SetString(str())
		case bool:
			f.SetBool(r.IntN(2) == 0)
		case int64:
			f.SetInt(r.Int64() - r.Int64())
		case *int64:
			n := r.Int64N(1 << 50)
			f.Set(reflect.ValueOf(&n))
		case *time.Time:
			t := time.UnixMilli(r.Int64N(1<<45) - 1<<44).UTC()
			f.Set(reflect.ValueOf(&t))
		case []string:
			f.Set(reflect.ValueOf([]string{str(), str()}))
		case *rollcall.ChimeTelephony:
			f.Set(reflect.ValueOf(&rollcall.ChimeTelephony{InboundCalling: r.IntN(2) == 0, OutboundCalling: r.IntN(2) == 0, SMS: r.IntN(2) == 0}))
		case []rollcall.Tag:
			f.Set(reflect.ValueOf([]rollcall.Tag{{Key: str(), Value: str()}}))
		default:
			panic("randomAttrs: a field of type " + f.Type().String())
		}
	}
	return a
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", oddString, strings.Repeat("\xe2\x80", 3)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Fatalf("%q:\n got  %s\n want %s", s, got, want)
		}
	})
}

func BenchmarkUserAttrsJSON(b *testing.B) {
	at := time.Now().UTC().Truncate(time.Millisecond)
	n := int64(1 << 40)
	a := rollcall.UserAttrs{LicenseType: "Pro", RegistrationStatus: "Registered", InvitedOn: &at, StorageAllocatedInBytes: &n,
		Tags: []rollcall.Tag{{Key: "team", Value: "eng"}}, Arn: "arn:aws:a4b:us-east-1:000000000000:user/8c7e2b9e"}
	b.Run("encoder", func(b *testing.B) {
		for b.Loop() {
			userAttrsJSON(&a)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			json.Marshal(&a)
		}
	})
}
