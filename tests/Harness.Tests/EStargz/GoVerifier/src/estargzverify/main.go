// Command estargzverify opens an eStargz blob with the stargz-snapshotter library, checks
// the TOC digest and every chunk digest, and prints the TOC entries as JSON on stdout.
//
// Usage: estargzverify BLOB [TOC_DIGEST]
//
// When TOC_DIGEST is given, the TOC must have that digest; otherwise the digest the
// library computed is used. Any failure is printed on stderr with exit code 1.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/containerd/stargz-snapshotter/estargz"
	digest "github.com/opencontainers/go-digest"
)

type report struct {
	TOCDigest string              `json:"tocDigest"`
	Chunks    int                 `json:"chunksVerified"`
	Entries   []*estargz.TOCEntry `json:"entries"`
}

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: estargzverify BLOB [TOC_DIGEST]")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "estargzverify:", err)
		os.Exit(1)
	}
}

func run(blobPath string, rest []string) error {
	file, err := os.Open(blobPath)
	if err != nil {
		return err
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		return err
	}
	section := io.NewSectionReader(file, 0, info.Size())

	reader, err := estargz.Open(section)
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	expected := reader.TOCDigest()
	if len(rest) == 1 {
		if expected, err = digest.Parse(rest[0]); err != nil {
			return fmt.Errorf("parse expected TOC digest: %w", err)
		}
	}
	verifiers, err := reader.VerifyTOC(expected)
	if err != nil {
		return fmt.Errorf("verify TOC: %w", err)
	}

	// Walk the TOC a second time, as written, to read every chunk back through the
	// library's own lookups, and check it against the chunk digest the TOC records.
	toc, err := readTOC(section)
	if err != nil {
		return err
	}
	chunks := 0
	for _, entry := range toc.Entries {
		if entry.Type != "reg" && entry.Type != "chunk" {
			continue
		}
		if entry.Type == "reg" && entry.Size == 0 {
			continue
		}
		name := entry.Name
		if entry.Type == "chunk" {
			name = lastRegularName(toc.Entries, entry)
		}
		if err := verifyChunk(reader, verifiers, name, entry.ChunkOffset); err != nil {
			return err
		}
		chunks++
	}

	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	return out.Encode(report{
		TOCDigest: reader.TOCDigest().String(),
		Chunks:    chunks,
		Entries:   toc.Entries,
	})
}

func verifyChunk(
	reader *estargz.Reader, verifiers estargz.TOCEntryVerifier, name string, offset int64,
) error {
	chunk, ok := reader.ChunkEntryForOffset(name, offset)
	if !ok {
		return fmt.Errorf("no chunk of %q at offset %d", name, offset)
	}
	verifier, err := verifiers.Verifier(chunk)
	if err != nil {
		return fmt.Errorf("verifier of %q at offset %d: %w", name, offset, err)
	}
	file, err := reader.OpenFile(name)
	if err != nil {
		return fmt.Errorf("open %q: %w", name, err)
	}
	data := make([]byte, chunk.ChunkSize)
	if _, err := file.ReadAt(data, chunk.ChunkOffset); err != nil && err != io.EOF {
		return fmt.Errorf("read %q at %d: %w", name, chunk.ChunkOffset, err)
	}
	if _, err := verifier.Write(data); err != nil {
		return err
	}
	if !verifier.Verified() {
		return fmt.Errorf("chunk digest mismatch in %q at offset %d", name, chunk.ChunkOffset)
	}
	return nil
}

// lastRegularName returns the name of the "reg" entry that a "chunk" entry continues,
// because chunk entries may carry an empty or repeated name.
func lastRegularName(entries []*estargz.TOCEntry, chunk *estargz.TOCEntry) string {
	name := ""
	for _, entry := range entries {
		if entry.Type == "reg" {
			name = entry.Name
		}
		if entry == chunk {
			break
		}
	}
	return cleanName(name)
}

func cleanName(name string) string {
	for len(name) > 0 && (name[0] == '/' || (len(name) > 1 && name[:2] == "./")) {
		if name[0] == '/' {
			name = name[1:]
		} else {
			name = name[2:]
		}
	}
	for len(name) > 0 && name[len(name)-1] == '/' {
		name = name[:len(name)-1]
	}
	return name
}

// readTOC decodes the TOC as stored, before the library normalises names.
func readTOC(section *io.SectionReader) (*estargz.JTOC, error) {
	tocOffset, footerSize, err := estargz.OpenFooter(section)
	if err != nil {
		return nil, fmt.Errorf("footer: %w", err)
	}
	tocSection := io.NewSectionReader(section, tocOffset, section.Size()-tocOffset-footerSize)
	toc, _, err := new(estargz.GzipDecompressor).ParseTOC(tocSection)
	if err != nil {
		return nil, fmt.Errorf("TOC: %w", err)
	}
	return toc, nil
}
