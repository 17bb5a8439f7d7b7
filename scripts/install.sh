#!/bin/sh
# Installs the mallet binary for this machine (Linux or macOS, x64 or arm64), checked against
# the release's SHA256SUMS:
#   curl -fsSL https://github.com/mallet-dev/mallet/releases/latest/download/install.sh | sh
# Environment:
#   PREFIX               installs to $PREFIX/bin/mallet (default $HOME/.local)
#   MALLET_VERSION       a release tag such as v0.1.0 (default: the latest release)
#   MALLET_DOWNLOAD_URL  where mallet-<os>-<arch> and SHA256SUMS are (overrides MALLET_VERSION)
set -eu

RELEASES=https://github.com/mallet-dev/mallet/releases
if [ -n "${MALLET_VERSION:-}" ]; then
  DEFAULT_URL="$RELEASES/download/$MALLET_VERSION"
else
  DEFAULT_URL="$RELEASES/latest/download"
fi
BASE_URL=${MALLET_DOWNLOAD_URL:-$DEFAULT_URL}
BIN_DIR=${PREFIX:-$HOME/.local}/bin

fail() {
  echo "install.sh: $*" >&2
  exit 1
}

detect_os() {
  case $(uname -s) in
    Linux) echo linux ;;
    Darwin) echo darwin ;;
    *) fail "no mallet binary for $(uname -s); build from source with bun scripts/build.ts" ;;
  esac
}

detect_arch() {
  case $(uname -m) in
    x86_64 | amd64)
      # An x64 shell on Apple silicon runs under Rosetta: the native binary is the better one.
      if [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then
        echo arm64
      else
        echo x64
      fi
      ;;
    aarch64 | arm64) echo arm64 ;;
    *) fail "no mallet binary for $(uname -m); build from source with bun scripts/build.ts" ;;
  esac
}

download() { # download URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 -o "$2" "$1" || fail "could not download $1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1" || fail "could not download $1"
  else
    fail "curl or wget is needed to download $1"
  fi
}

sha256_of() { # sha256_of FILE
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    fail "sha256sum or shasum is needed to check the download"
  fi
}

main() {
  os=$(detect_os)
  arch=$(detect_arch)
  asset="mallet-$os-$arch"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  echo "install.sh: downloading $asset from $BASE_URL"
  download "$BASE_URL/$asset" "$tmp/$asset"
  download "$BASE_URL/SHA256SUMS" "$tmp/SHA256SUMS"

  expected=$(awk -v file="$asset" '$2 == file || $2 == "*" file { print $1; exit }' "$tmp/SHA256SUMS")
  [ -n "$expected" ] || fail "SHA256SUMS has no line for $asset"
  actual=$(sha256_of "$tmp/$asset")
  [ "$actual" = "$expected" ] || fail "checksum mismatch for $asset: expected $expected, got $actual"

  mkdir -p "$BIN_DIR"
  chmod 755 "$tmp/$asset"
  # Moved in from the same directory, so a running mallet is replaced, not overwritten.
  cp "$tmp/$asset" "$BIN_DIR/.mallet.new"
  mv -f "$BIN_DIR/.mallet.new" "$BIN_DIR/mallet"
  echo "install.sh: installed $("$BIN_DIR/mallet" --version) to $BIN_DIR/mallet"
  case ":$PATH:" in
    *":$BIN_DIR:"*) ;;
    *) echo "install.sh: add $BIN_DIR to your PATH" ;;
  esac
}

main
