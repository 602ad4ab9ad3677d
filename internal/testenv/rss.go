package testenv

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
)

// ResetPeakRSS resets the process's peak resident set size, so that
// [PeakRSS] measures from here (Linux 4.0+; elsewhere it does nothing).
func ResetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// PeakRSS returns the process's peak resident set size in bytes (VmHWM),
// 0 if unknown. Benchmarks report it beside their timings.
func PeakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmHWM:")); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(string(rest)), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}
