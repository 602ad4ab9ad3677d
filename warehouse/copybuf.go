package warehouse

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// A copyBuf builds rows of PostgreSQL's binary COPY format. Encoding rows
// here, instead of handing pgx a []any per row, spares an interface value and
// a codec lookup per column: about a third of a load's CPU time in Go.
//
// It earns its place (issue 16: at least 15% on the end-to-end replay).
// On a quiet 2-core host on 2026-12-05, BenchmarkReplayFloor's replay of
// 200,000 postings took 5.45 and 5.66 s with it against 6.46 and 7.35 s with
// pgx.CopyFrom in its place (two alternating rounds of three: 19% and 30%
// slower, Go CPU 5.1-5.3 s against 6.9-7.7 s, peak RSS 157-159 MB against
// 161-162 MB). TestContentHashPinned pins the hashes it gives, which must
// not change if it goes.
//
// Values are encoded as the columns' types expect them (the schema is
// ours): text as UTF-8 bytes, uuid as 16 bytes, bigint big-endian,
// timestamptz as microseconds since 2000-01-01 UTC, text[] as a
// one-dimensional array, numeric as base-10000 digits.
type copyBuf struct{ b []byte }

const (
	textOID      = 25
	uuidOID      = 2950
	pgEpochMicro = 946684800 * 1_000_000 // 2000-01-01 in Unix microseconds
)

// copyHeader starts a binary COPY stream; copyTrailer ends it.
var (
	copyHeader  = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	copyTrailer = []byte{0xff, 0xff}
)

func (c *copyBuf) row(fields int) { c.b = binary.BigEndian.AppendUint16(c.b, uint16(fields)) }
func (c *copyBuf) null()          { c.b = binary.BigEndian.AppendUint32(c.b, math.MaxUint32) }

func (c *copyBuf) text(s string) {
	c.b = binary.BigEndian.AppendUint32(c.b, uint32(len(s)))
	c.b = append(c.b, s...)
}

func (c *copyBuf) uuid(id [16]byte) {
	c.b = binary.BigEndian.AppendUint32(c.b, 16)
	c.b = append(c.b, id[:]...)
}

func (c *copyBuf) int8(v int64) {
	c.b = binary.BigEndian.AppendUint32(c.b, 8)
	c.b = binary.BigEndian.AppendUint64(c.b, uint64(v))
}

// time encodes t, or NULL for the zero time.
func (c *copyBuf) time(t time.Time) {
	if t.IsZero() {
		c.null()
		return
	}
	c.int8(t.UnixMicro() - pgEpochMicro)
}

// texts encodes a text[] (empty, never NULL, for nil).
func (c *copyBuf) texts(ss []string) {
	size := 0
	for _, s := range ss {
		size += 4 + len(s)
	}
	c.array(textOID, len(ss), size)
	for _, s := range ss {
		c.text(s)
	}
}

// uuids encodes a uuid[] (empty for none).
func (c *copyBuf) uuids(ids [][16]byte) {
	c.array(uuidOID, len(ids), 20*len(ids))
	for _, id := range ids {
		c.uuid(id)
	}
}

// array starts a one-dimensional array of n elements of type oid, whose
// encoded elements take size bytes; the caller appends them.
func (c *copyBuf) array(oid uint32, n, size int) {
	if n == 0 {
		c.b = binary.BigEndian.AppendUint32(c.b, 12)
		c.b = binary.BigEndian.AppendUint32(c.b, 0) // dimensions
		c.b = binary.BigEndian.AppendUint32(c.b, 0) // has nulls
		c.b = binary.BigEndian.AppendUint32(c.b, oid)
		return
	}
	c.b = binary.BigEndian.AppendUint32(c.b, uint32(20+size))
	c.b = binary.BigEndian.AppendUint32(c.b, 1)
	c.b = binary.BigEndian.AppendUint32(c.b, 0)
	c.b = binary.BigEndian.AppendUint32(c.b, oid)
	c.b = binary.BigEndian.AppendUint32(c.b, uint32(n))
	c.b = binary.BigEndian.AppendUint32(c.b, 1) // lower bound
}

// amount encodes a salary figure as numeric, or NULL when unknown (0). f is
// finite, positive and under 1e15 (see [cleanAmount]): its shortest decimal
// form has no exponent.
func (c *copyBuf) amount(f float64) {
	if f == 0 {
		c.null()
		return
	}
	var tmp [32]byte
	dec := strconv.AppendFloat(tmp[:0], f, 'f', -1, 64)
	ip, fp, _ := strings.Cut(string(dec), ".")
	// Base-10000 digits: the integer part grouped from the point leftwards,
	// the fraction from the point rightwards.
	var digits [16]uint16
	n := 0
	lead := len(ip) % 4
	if lead == 0 {
		lead = 4
	}
	for i := 0; i < len(ip); {
		end := i + lead
		digits[n] = atoi4(ip[i:end])
		n, i, lead = n+1, end, 4
	}
	weight := n - 1
	for i := 0; i < len(fp); i += 4 {
		g := fp[i:min(i+4, len(fp))]
		d := atoi4(g)
		for range 4 - len(g) {
			d *= 10
		}
		digits[n] = d
		n++
	}
	first := 0
	for first < n && digits[first] == 0 {
		first++
		weight--
	}
	for n > first && digits[n-1] == 0 {
		n--
	}
	d := digits[first:n]
	c.b = binary.BigEndian.AppendUint32(c.b, uint32(8+2*len(d)))
	c.b = binary.BigEndian.AppendUint16(c.b, uint16(len(d)))
	c.b = binary.BigEndian.AppendUint16(c.b, uint16(int16(weight)))
	c.b = binary.BigEndian.AppendUint16(c.b, 0) // positive
	c.b = binary.BigEndian.AppendUint16(c.b, uint16(len(fp)))
	for _, v := range d {
		c.b = binary.BigEndian.AppendUint16(c.b, v)
	}
}

// atoi4 parses up to four decimal digits.
func atoi4(s string) uint16 {
	var v uint16
	for i := 0; i < len(s); i++ {
		v = v*10 + uint16(s[i]-'0')
	}
	return v
}

// copyReader is the stream a binary COPY reads: the header, the rows that
// fill appends (one or more per call, false when there are no more), the
// trailer. pgconn reads it from a goroutine of its own, which it may leave
// running when the COPY ends early (a cancelled context): [copyReader.close]
// waits for a Read under way and makes later ones fail, so that fill never
// runs once the COPY has returned.
type copyReader struct {
	mu     sync.Mutex
	closed bool
	buf    copyBuf
	off    int
	fill   func(*copyBuf) (bool, error)
	done   bool
}

var errCopyClosed = errors.New("copy already ended")

func (r *copyReader) close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
}

func newCopyReader(fill func(*copyBuf) (bool, error)) *copyReader {
	r := &copyReader{fill: fill}
	r.buf.b = append(make([]byte, 0, 128<<10), copyHeader...)
	return r
}

func (r *copyReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return 0, errCopyClosed
	}
	for !r.done && len(r.buf.b)-r.off < len(p) {
		if r.off > 0 { // keep the buffer from growing: move what is left to its start
			r.buf.b, r.off = append(r.buf.b[:0], r.buf.b[r.off:]...), 0
		}
		more, err := r.fill(&r.buf)
		if err != nil {
			return 0, err
		}
		if !more {
			r.buf.b = append(r.buf.b, copyTrailer...)
			r.done = true
		}
	}
	if r.off == len(r.buf.b) {
		return 0, io.EOF
	}
	n := copy(p, r.buf.b[r.off:])
	r.off += n
	if n < len(p) && r.off == len(r.buf.b) && r.done {
		return n, io.EOF
	}
	return n, nil
}

// copyIn copies the rows fill gives into table's columns, in binary.
func copyIn(ctx context.Context, tx pgx.Tx, table string, columns []string, fill func(*copyBuf) (bool, error)) error {
	var sql strings.Builder
	sql.WriteString("COPY " + pgx.Identifier{table}.Sanitize() + " (")
	for i, c := range columns {
		if i > 0 {
			sql.WriteString(", ")
		}
		sql.WriteString(pgx.Identifier{c}.Sanitize())
	}
	sql.WriteString(") FROM STDIN (FORMAT binary)")
	r := newCopyReader(fill)
	_, err := tx.Conn().PgConn().CopyFrom(ctx, r, sql.String())
	r.close()
	switch {
	case err != nil && ctx.Err() != nil:
		// A cancelled context ends the copy by closing the connection
		// under it, and pgconn may then report the closed connection
		// ("use of closed network connection") rather than the
		// context's error: the cancellation is the cause.
		return fmt.Errorf("copy %s: %w (%v)", table, ctx.Err(), err)
	case err != nil:
		return fmt.Errorf("copy %s: %w", table, err)
	}
	return nil
}
