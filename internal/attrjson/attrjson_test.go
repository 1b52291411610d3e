package attrjson_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/business"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/internal/attrjson"
	"github.com/rollcall/rollcall/workdocs"
)

// roundTrip decodes doc with a product's reader and encodes it again with its writer.
type roundTrip func(doc string) (string, rollcall.ProductKeys, error)

func through[T any](of func(*rollcall.User) (*T, error), attrs func(*T) any, put func(*rollcall.User, any) *rollcall.User) roundTrip {
	return func(doc string) (string, rollcall.ProductKeys, error) {
		v, err := of(&rollcall.User{ID: "u1", Attrs: doc})
		if err != nil {
			return "", rollcall.ProductKeys{}, err
		}
		u := put(&rollcall.User{ID: "u1"}, attrs(v))
		return u.Attrs, u.ProductKeys, nil
	}
}

var (
	chimeTrip = through(chime.UserOf, func(u *chime.User) any { return u.Attrs },
		func(u *rollcall.User, a any) *rollcall.User { return chime.NewUser(u, a.(chime.UserAttrs)) })
	workdocsTrip = through(workdocs.UserOf, func(u *workdocs.User) any { return u.Attrs },
		func(u *rollcall.User, a any) *rollcall.User { return workdocs.NewUser(u, a.(workdocs.UserAttrs)) })
	alexaTrip = through(alexa.UserOf, func(u *alexa.User) any { return u.Attrs },
		func(u *rollcall.User, a any) *rollcall.User { return alexa.NewUser(u, a.(alexa.UserAttrs)) })
	businessTrip = through(business.UserOf, func(u *business.User) any { return u.Attrs },
		func(u *rollcall.User, a any) *rollcall.User { return business.NewUser(u, a.(business.UserAttrs)) })
)

// TestReadsTodaysDocuments: documents as the release before this one wrote them (the
// core's UserAttrs through its encoder, which wrote what encoding/json writes) decode
// into each product's attributes and encode back byte for byte, with the keys that
// release derived from them.
func TestReadsTodaysDocuments(t *testing.T) {
	for _, c := range []struct {
		name string
		trip roundTrip
		doc  string
		keys rollcall.ProductKeys
	}{
		{"chime", chimeTrip, `{"licenseType":"Pro","invitationStatus":"Pending","registrationStatus":"Registered","invitedOn":"2026-11-22T10:31:15.123Z","registeredOn":"2026-11-22T10:31:15.123Z","personalPin":"01234567","a4bEnabled":true,"a4bRoomArn":"arn:aws:a4b:us-east-1:000000000000:room/r\u003c1\u003e\u0026","telephony":{"inboundCalling":true,"outboundCalling":false,"sms":true}}`, rollcall.ProductKeys{}},
		{"chime none", chimeTrip, ``, rollcall.ProductKeys{}},
		{"workdocs", workdocsTrip, `{"rootFolderId":"root","recycleBinFolderId":"bin","timeZoneId":"Europe/London","locale":"fr","storageType":"QUOTA","storageAllocatedInBytes":1099511627776,"storageUtilizedInBytes":12345,"tokenEpoch":3}`,
			rollcall.ProductKeys{StorageLimit: 1 << 40, StorageUsed: 12345}},
		{"workdocs quota of 0", workdocsTrip, `{"storageType":"QUOTA","storageAllocatedInBytes":0}`, rollcall.ProductKeys{}},
		{"workdocs unlimited", workdocsTrip, `{"locale":"default","storageType":"UNLIMITED"}`, rollcall.ProductKeys{StorageLimit: math.MaxInt64}},
		{"alexa", alexaTrip, `{"arn":"arn:aws:a4b:us-east-1:000000000000:user/u1","tags":[{"key":"team","value":"Zoë's \"eng\""},{"key":"k","value":""}],"enrollmentStatus":"PENDING","enrollmentInvitation":"inv-1"}`,
			rollcall.ProductKeys{Enrollment: "PENDING"}},
		{"alexa initialized", alexaTrip, `{"arn":"arn:aws:a4b:us-east-1:000000000000:user/u2"}`, rollcall.ProductKeys{Enrollment: "INITIALIZED"}},
		{"business", businessTrip, `{"groupId":"g1","role":"Finance","region":"DE","suppressNotifications":["EMAIL"]}`, rollcall.ProductKeys{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, keys, err := c.trip(c.doc)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.doc {
				t.Errorf("encoded again:\n got  %s\n want %s", got, c.doc)
			}
			if keys != c.keys {
				t.Errorf("keys %+v, want %+v", keys, c.keys)
			}
		})
	}
	if u, err := chime.UserOf(&rollcall.User{Attrs: `{"licenseType":"Pro","invitedOn":"2026-11-22T10:31:15.123Z","telephony":{"inboundCalling":true,"outboundCalling":false,"sms":true}}`}); err != nil ||
		u.Attrs.LicenseType != "Pro" || !u.Attrs.InvitedOn.Equal(time.Date(2026, 11, 22, 10, 31, 15, 123e6, time.UTC)) || u.Attrs.Telephony.OutboundCalling {
		t.Errorf("decoded %+v, %v", u, err)
	}
	if _, err := workdocs.UserOf(&rollcall.User{ID: "u9", Attrs: `{"locale":`}); rollcall.ErrorKind(err) != rollcall.Internal {
		t.Errorf("a damaged document: %v, want Internal", err)
	}
}

// TestEncodersMatchEncodingJSON: the products' encoders (Codec) write what
// encoding/json writes of each product's attributes, for every field set at random (by
// reflection, so a field the encoder forgets shows up), odd strings included.
func TestEncodersMatchEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		matchesJSON[chime.UserAttrs](t, r)
		matchesJSON[chime.AccountAttrs](t, r)
		matchesJSON[workdocs.UserAttrs](t, r)
		matchesJSON[alexa.UserAttrs](t, r)
		matchesJSON[alexa.DirectoryAttrs](t, r)
		matchesJSON[business.UserAttrs](t, r)
		matchesJSON[business.DirectoryAttrs](t, r)
	}
}

func matchesJSON[A any](t *testing.T, r *rand.Rand) {
	t.Helper()
	var a A
	fill(r, reflect.ValueOf(&a).Elem())
	want, err := json.Marshal(&a)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) == "{}" {
		want = nil // no member: no document
	}
	if got := attrjson.NewCodec[A]().Encode(&a); got != string(want) {
		t.Fatalf("%T:\n got  %s\n want %s", a, got, want)
	}
}

// TestCodecRefusesWhatItCannotEncode: a field of a shape Codec does not know, or a
// pointer that is not omitempty, panics when the codec is made (at start-up), not later.
func TestCodecRefusesWhatItCannotEncode(t *testing.T) {
	refuses := func(name string, mk func()) {
		defer func() {
			if recover() == nil {
				t.Errorf("%s: NewCodec accepted it", name)
			}
		}()
		mk()
	}
	refuses("an int", func() {
		attrjson.NewCodec[struct {
			N int `json:"n"`
		}]()
	})
	refuses("a map", func() {
		attrjson.NewCodec[struct {
			M map[string]string `json:"m,omitempty"`
		}]()
	})
	refuses("a pointer without omitempty", func() {
		attrjson.NewCodec[struct {
			P *int64 `json:"p"`
		}]()
	})
	refuses("no JSON name", func() { attrjson.NewCodec[struct{ S string }]() })
}

const oddString = "\"quote\" \\ </script> & \x00\x01\b\f\n\r\t\x1f \u2028\u2029 Zoë 🙂 \xff\xfe bad \xc3"

// fill sets v, of any shape the attributes have, at random; about a third of it stays
// zero.
func fill(r *rand.Rand, v reflect.Value) {
	if r.IntN(3) == 0 {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(oddString[r.IntN(len(oddString)):])
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int64:
		v.SetInt(r.Int64() - r.Int64())
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.UnixMilli(r.Int64N(1<<45) - 1<<44).UTC()))
			return
		}
		for i := range v.NumField() {
			fill(r, v.Field(i))
		}
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(r, p.Elem())
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1+r.IntN(3), 3)
		for i := range s.Len() {
			fill(r, s.Index(i))
		}
		v.Set(s)
	default:
		panic("fill: a field of kind " + v.Kind().String())
	}
}

// BenchmarkEncodeChimeUser: what every Chime CreateUser encodes (a new user's license
// and registration), by Codec and by encoding/json.
func BenchmarkEncodeChimeUser(b *testing.B) {
	at := time.Date(2026, 11, 22, 10, 31, 15, 123e6, time.UTC)
	a := chime.UserAttrs{LicenseType: "Pro", RegistrationStatus: "Registered", RegisteredOn: &at}
	c := attrjson.NewCodec[chime.UserAttrs]()
	b.Run("codec", func(b *testing.B) {
		for b.Loop() {
			c.Encode(&a)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			json.Marshal(&a)
		}
	})
}
