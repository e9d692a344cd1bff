package versions

import (
	"os"
	"strings"
	"testing"
)

func TestConstantsMatchGoMod(t *testing.T) {
	raw, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	mod := string(raw)
	for path, v := range map[string]string{"github.com/consensys/gnark": Gnark, "github.com/consensys/gnark-crypto": GnarkCrypto} {
		if !strings.Contains(mod, "\t"+path+" "+v+"\n") {
			t.Errorf("go.mod does not require %s %s", path, v)
		}
	}
}
