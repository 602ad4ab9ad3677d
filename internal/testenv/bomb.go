package testenv

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"sync"
)

// bombMember is the size of one gzip member of [WriteGzipBomb] once decoded.
const bombMember = 16 << 20

var member = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range bombMember / len(zeros) {
		zw.Write(zeros)
	}
	zw.Close()
	return b.Bytes()
})

// WriteGzipBomb writes to w a gzip body (members of 16 MiB of zeros, about
// 16 KiB each) that decodes to at least decoded bytes, streaming: it holds
// one member, never the body or what it decodes to. It returns the bytes
// written; it stops at the first write error (a client that hung up).
func WriteGzipBomb(w io.Writer, decoded int64) (int64, error) {
	m := member()
	var n int64
	for d := int64(0); d < decoded; d += bombMember {
		k, err := w.Write(m)
		n += int64(k)
		if err != nil {
			return n, fmt.Errorf("gzip bomb: after %d bytes: %w", n, err)
		}
	}
	return n, nil
}
