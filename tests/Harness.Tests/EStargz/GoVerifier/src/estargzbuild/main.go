// Command estargzbuild converts a tar (or gzip tar) layer to eStargz with the
// stargz-snapshotter library's estargz.Build, the code path that
// `ctr-remote image convert --estargz` uses, and prints the result's digests.
//
// Usage: estargzbuild [-level N] [-chunk-size N] [-prioritized FILE] IN OUT
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/containerd/stargz-snapshotter/estargz"
)

func main() {
	level := flag.Int("level", 9, "gzip compression level")
	chunkSize := flag.Int("chunk-size", 0, "chunk size in bytes (0: library default)")
	prioritized := flag.String("prioritized", "", "file listing prioritized paths, one a line")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr,
			"usage: estargzbuild [-level N] [-chunk-size N] [-prioritized FILE] IN OUT")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), flag.Arg(1), *level, *chunkSize, *prioritized); err != nil {
		fmt.Fprintln(os.Stderr, "estargzbuild:", err)
		os.Exit(1)
	}
}

func run(inPath, outPath string, level, chunkSize int, prioritizedPath string) error {
	in, err := os.Open(inPath)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	options := []estargz.Option{
		estargz.WithCompressionLevel(level),
		estargz.WithChunkSize(chunkSize),
	}
	if prioritizedPath != "" {
		files, err := readLines(prioritizedPath)
		if err != nil {
			return err
		}
		var missing []string
		options = append(options,
			estargz.WithPrioritizedFiles(files),
			estargz.WithAllowPrioritizeNotFound(&missing))
	}
	blob, err := estargz.Build(io.NewSectionReader(in, 0, info.Size()), options...)
	if err != nil {
		return err
	}
	defer blob.Close()

	out, err := os.Create(outPath)
	if err != nil {
		return err
	}
	hash := sha256.New()
	size, err := io.Copy(io.MultiWriter(out, hash), blob)
	if err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]interface{}{
		"digest":    fmt.Sprintf("sha256:%x", hash.Sum(nil)),
		"size":      size,
		"diffId":    blob.DiffID().String(),
		"tocDigest": blob.TOCDigest().String(),
	})
}

func readLines(path string) ([]string, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	var lines []string
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		if line := strings.TrimSpace(scanner.Text()); line != "" {
			lines = append(lines, line)
		}
	}
	return lines, scanner.Err()
}
