package site

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"go.yaml.in/yaml/v3"
)

// markdown converts page bodies. Raw HTML in Markdown is not rendered (the
// default of goldmark's HTML renderer without WithUnsafe), and neither are
// dangerous link URLs such as javascript:. Chart and table blocks are
// [dataBlock] nodes rendered by [blockRenderer].
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(blockRenderer{}, 100))),
)

// kindDataBlock is the AST kind of [dataBlock].
var kindDataBlock = ast.NewNodeKind("DataBlock")

// dataBlock replaces a fenced block whose info string is "chart" or "table":
// the spec is parsed when the page is loaded, the HTML is rendered once the
// queries have run.
type dataBlock struct {
	ast.BaseBlock
	kind  string // "chart" or "table"
	line  int    // line of the opening fence in the page file
	chart *chartSpec
	table *tableSpec
	html  []byte
}

// Kind implements [ast.Node].
func (b *dataBlock) Kind() ast.NodeKind { return kindDataBlock }

// Dump implements [ast.Node].
func (b *dataBlock) Dump(source []byte, level int) {
	ast.DumpHelper(b, source, level, map[string]string{"Kind": b.kind}, nil)
}

// blockRenderer writes the rendered HTML of data blocks.
type blockRenderer struct{}

// RegisterFuncs implements [renderer.NodeRenderer].
func (blockRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindDataBlock, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			if _, err := w.Write(n.(*dataBlock).html); err != nil {
				return ast.WalkStop, err
			}
		}
		return ast.WalkSkipChildren, nil
	})
}

// parseBody parses the Markdown body and replaces chart and table fences by
// data blocks, checking each against the page's queries.
func (p *page) parseBody() error {
	pc := parser.NewContext()
	for _, id := range p.reservedIDs() {
		pc.IDs().Put([]byte(id))
	}
	doc := markdown.Parser().Parse(text.NewReader(p.body), parser.WithContext(pc))
	var fences []*ast.FencedCodeBlock
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if fc, ok := n.(*ast.FencedCodeBlock); ok && entering {
			switch string(fc.Language(p.body)) {
			case "chart", "table":
				fences = append(fences, fc)
			}
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		return &ContentError{File: p.file, Err: err}
	}
	for _, fc := range fences {
		b, err := p.newBlock(fc)
		if err != nil {
			return err
		}
		fc.Parent().ReplaceChild(fc.Parent(), fc, b)
		p.blocks = append(p.blocks, b)
	}
	p.doc = doc
	return nil
}

// newBlock parses the YAML body of a chart or table fence.
func (p *page) newBlock(fc *ast.FencedCodeBlock) (*dataBlock, error) {
	b := &dataBlock{kind: string(fc.Language(p.body)), line: p.bodyLine}
	if fc.Info != nil {
		b.line += bytes.Count(p.body[:fc.Info.Segment.Start], []byte("\n"))
	}
	var spec bytes.Buffer
	for i := 0; i < fc.Lines().Len(); i++ {
		seg := fc.Lines().At(i)
		spec.Write(seg.Value(p.body))
	}
	fail := func(err error) error {
		return &ContentError{File: p.file, Line: b.line, Err: fmt.Errorf("%s: %w", b.kind, err)}
	}
	var err error
	var query string
	switch b.kind {
	case "chart":
		b.chart = &chartSpec{}
		if err = decodeStrict(spec.Bytes(), b.chart); err == nil {
			err = b.chart.validate()
		}
		query = b.chart.Query
	case "table":
		b.table = &tableSpec{}
		err = decodeStrict(spec.Bytes(), b.table)
		query = b.table.Query
	}
	var ye *yamlError
	if errors.As(err, &ye) {
		line, err := yamlProblem(ye.err, b.line+1)
		return nil, &ContentError{File: p.file, Line: line, Err: fmt.Errorf("%s: %w", b.kind, err)}
	}
	if err != nil {
		return nil, fail(err)
	}
	if query == "" {
		return nil, fail(errors.New("query is missing: name one of the page's queries"))
	}
	if p.query(query) == nil {
		return nil, fail(fmt.Errorf("query %q is not declared in the front matter (queries: %s)", query, p.queryNames()))
	}
	return b, nil
}

// yamlError marks an error of the YAML decoder, whose line numbers count
// from the start of the YAML.
type yamlError struct{ err error }

func (e *yamlError) Error() string { return e.err.Error() }
func (e *yamlError) Unwrap() error { return e.err }

// decodeStrict decodes YAML into v; unknown keys are errors.
func decodeStrict(src []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return &yamlError{err: err}
	}
	return nil
}

// queryNames lists the page's query names for messages.
func (p *page) queryNames() string {
	if len(p.queries) == 0 {
		return "none"
	}
	var b bytes.Buffer
	for i, q := range p.queries {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(q.name)
	}
	return b.String()
}

// renderBody renders the Markdown body, data blocks included, to HTML.
func (p *page) renderBody() ([]byte, error) {
	var buf bytes.Buffer
	if err := markdown.Renderer().Render(&buf, p.body, p.doc); err != nil {
		return nil, &ContentError{File: p.file, Err: fmt.Errorf("render markdown: %w", err)}
	}
	return buf.Bytes(), nil
}
