// Command logcheck checks a live Grove node's transparency log with Go's reference implementation
// (golang.org/x/mod/sumdb/note and golang.org/x/mod/sumdb/tlog), independently of Grove's Java code:
//
//   - the checkpoint at /log/checkpoint verifies with the key at /.well-known/grove/log-key;
//   - the C2SP tiles under /log/tile/ hash to the checkpoint's root (tlog.TileHashReader checks every
//     tile it reads against the signed tree, and tlog.TreeHash recomputes the root);
//   - every entry of the entry bundles under /log/tile/entries/ has the leaf hash the tiles hold;
//   - the node's inclusion proofs (/v1/log/inclusion) equal tlog.ProveRecord's and pass tlog.CheckRecord;
//   - the node's consistency proofs (/v1/log/consistency) from a few older sizes equal tlog.ProveTree's
//     and pass tlog.CheckTree.
//
// Go's sumdb paths carry the tile height (tile/8/L/N) and call entry bundles "data"; Grove serves the
// C2SP paths (tile/L/N, tile/entries/N), so this program maps Tile.Path() by dropping "8/".
//
// Usage: logcheck <node base URL>. Prints one "ok" line, or the first failure and exits 1.
// Built offline in GOPATH mode with Debian's golang-golang-x-mod-dev (see LogGoCheckTest).
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

var base string

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "logcheck: "+format+"\n", args...)
	os.Exit(1)
}

func get(path string) []byte {
	resp, err := http.Get(base + path)
	if err != nil {
		fail("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		fail("GET %s: %v", path, err)
	}
	if resp.StatusCode != 200 {
		fail("GET %s: status %d: %s", path, resp.StatusCode, body)
	}
	return body
}

// c2sp maps Go's sumdb tile path (tile/8/L/N[.p/W]) to the C2SP tlog-tiles path (tile/L/N[.p/W]).
func c2sp(t tlog.Tile) string {
	p := t.Path()
	if !strings.HasPrefix(p, "tile/8/") {
		fail("unexpected tile path %s", p)
	}
	return "tile/" + strings.TrimPrefix(p, "tile/8/")
}

type httpTiles struct{}

func (httpTiles) Height() int { return 8 }

func (httpTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		out[i] = get("/log/" + c2sp(t))
	}
	return out, nil
}

func (httpTiles) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

type proofDoc struct {
	Hashes []string `json:"hashes"`
}

func hashes(path string) []tlog.Hash {
	var doc proofDoc
	if err := json.Unmarshal(get(path), &doc); err != nil {
		fail("%s: %v", path, err)
	}
	out := make([]tlog.Hash, len(doc.Hashes))
	for i, s := range doc.Hashes {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b) != tlog.HashSize {
			fail("%s: hash %d is not 32 bytes of base64", path, i)
		}
		copy(out[i][:], b)
	}
	return out
}

func equal(a, b []tlog.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func main() {
	if len(os.Args) != 2 {
		fail("usage: logcheck <node base URL>")
	}
	base = strings.TrimSuffix(os.Args[1], "/")

	vkey := strings.TrimSpace(string(get("/.well-known/grove/log-key")))
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		fail("log key %q: %v", vkey, err)
	}
	msg := get("/log/checkpoint")
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		fail("checkpoint does not verify with %s: %v", vkey, err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 || lines[0] != verifier.Name() {
		fail("checkpoint text %q: origin is not the key name %s", n.Text, verifier.Name())
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 1 {
		fail("checkpoint size %q", lines[1])
	}
	rootBytes, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(rootBytes) != tlog.HashSize {
		fail("checkpoint root %q", lines[2])
	}
	var root tlog.Hash
	copy(root[:], rootBytes)

	tree := tlog.Tree{N: size, Hash: root}
	thr := tlog.TileHashReader(tree, httpTiles{})
	computed, err := tlog.TreeHash(size, thr)
	if err != nil {
		fail("tiles: %v", err)
	}
	if computed != root {
		fail("tiles hash to %v, checkpoint says %v", computed, root)
	}

	// entry bundles: every entry's record hash is the stored leaf hash
	for start := int64(0); start < size; start += 256 {
		w := size - start
		if w > 256 {
			w = 256
		}
		path := "tile/entries/" + strings.TrimPrefix(tlog.Tile{H: 8, L: 0, N: start / 256, W: int(w)}.Path(), "tile/8/0/")
		data := get("/log/" + path)
		for i := int64(0); i < w; i++ {
			if len(data) < 2 {
				fail("%s: entry %d is missing", path, i)
			}
			l := int(binary.BigEndian.Uint16(data))
			if len(data) < 2+l {
				fail("%s: entry %d is truncated", path, i)
			}
			entry := data[2 : 2+l]
			data = data[2+l:]
			stored, err := thr.ReadHashes([]int64{tlog.StoredHashIndex(0, start+i)})
			if err != nil {
				fail("leaf %d: %v", start+i, err)
			}
			if tlog.RecordHash(entry) != stored[0] {
				fail("entry %d does not hash to the leaf in the tiles", start+i)
			}
			if !bytes.HasPrefix(entry, []byte(`{"kind":"`)) {
				fail("entry %d is not a Grove entry: %.40q", start+i, entry)
			}
			proof, err := tlog.ProveRecord(size, start+i, thr)
			if err != nil {
				fail("prove %d: %v", start+i, err)
			}
			if err := tlog.CheckRecord(proof, size, root, start+i, tlog.RecordHash(entry)); err != nil {
				fail("check %d: %v", start+i, err)
			}
			served := hashes(fmt.Sprintf("/v1/log/inclusion?index=%d&size=%d", start+i, size))
			if !equal(served, proof) {
				fail("the node's inclusion proof of %d differs from tlog.ProveRecord's", start+i)
			}
		}
		if len(data) != 0 {
			fail("%s: %d bytes after %d entries", path, len(data), w)
		}
	}

	// consistency from older sizes
	checked := 0
	for _, old := range []int64{1, 2, 3, 7, 255, 256, 257, 511, 512, 513, size / 2, size - 1, size} {
		if old < 1 || old > size {
			continue
		}
		oldHash, err := tlog.TreeHash(old, thr)
		if err != nil {
			fail("tree hash %d: %v", old, err)
		}
		proof, err := tlog.ProveTree(size, old, thr)
		if err != nil {
			fail("prove tree %d -> %d: %v", old, size, err)
		}
		if err := tlog.CheckTree(proof, size, root, old, oldHash); err != nil {
			fail("check tree %d -> %d: %v", old, size, err)
		}
		served := hashes(fmt.Sprintf("/v1/log/consistency?from=%d&to=%d", old, size))
		if !equal(served, proof) {
			fail("the node's consistency proof %d -> %d differs from tlog.ProveTree's", old, size)
		}
		checked++
	}
	fmt.Printf("ok %s size=%d root=%s entries, inclusion and %d consistency proofs checked\n", verifier.Name(), size,
		lines[2], checked)
}
