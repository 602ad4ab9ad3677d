package warehouse_test

import (
	"strings"
	"testing"

	"github.com/jobpulse/jobpulse/warehouse"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     warehouse.Config
		wantErr string // substring; empty means valid
	}{
		{name: "default", cfg: warehouse.DefaultConfig()},
		{name: "url", cfg: warehouse.Config{URL: "postgres://u:secret@db.example.com:5432/jobs?sslmode=require"}},
		{name: "keyword url", cfg: warehouse.Config{URL: "host=127.0.0.1 dbname=jobs"}},
		{name: "url ignores data", cfg: warehouse.Config{URL: "postgres://127.0.0.1/jobs"}},
		{name: "bad url", cfg: warehouse.Config{URL: "postgres://u:secret@host:notaport/db"}, wantErr: "warehouse.url"},
		{name: "empty data", cfg: warehouse.Config{Database: "jobpulse"}, wantErr: "warehouse.data"},
		{name: "NUL in data", cfg: warehouse.Config{DataDir: "a\x00b", Database: "jobpulse"}, wantErr: "warehouse.data"},
		{name: "empty database", cfg: warehouse.Config{DataDir: "./data/pg"}, wantErr: "warehouse.database"},
		{name: "long database", cfg: warehouse.Config{DataDir: "./data/pg", Database: strings.Repeat("d", 64)}, wantErr: "warehouse.database"},
		{name: "invalid database", cfg: warehouse.Config{DataDir: "./data/pg", Database: "a\xff"}, wantErr: "warehouse.database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Validate: %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Validate: %v, want an error naming %s", err, tt.wantErr)
			case err != nil && strings.Contains(err.Error(), "secret"):
				t.Errorf("Validate error shows the password: %v", err)
			}
		})
	}
}

func TestDefaultConfig(t *testing.T) {
	if got := warehouse.DefaultConfig(); got != (warehouse.Config{DataDir: "./data/pg", Database: "jobpulse"}) {
		t.Errorf("DefaultConfig() = %+v", got)
	}
}
