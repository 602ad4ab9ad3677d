package warehouse_test

import (
	"testing"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
