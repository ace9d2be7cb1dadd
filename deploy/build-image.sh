#!/usr/bin/env bash
# Build the meetbridge container image with buildah (no Docker daemon needed).
#
#   deploy/build-image.sh [TAG]                the base comes from the registry
#                                              (python:3.11-slim-bookworm)
#   deploy/build-image.sh --local-base [TAG]   for hosts that reach no container
#                                              registry: the base (Debian 12 with its
#                                              Python 3.11) is built here by debootstrap
#
# Needs root and buildah (apt-get install buildah; --local-base also debootstrap).
# The local base is built once and reused (REBUILD_BASE=1 builds it again).
# Behind a TLS-inspecting proxy set PIP_CA_BUNDLE to a CA file pip should trust:
# it reaches the build as a secret, never as a layer. Where buildah's OCI
# runtime cannot start the build's containers (crun: "cgroups in hybrid mode
# not supported"), set BUILDAH_ISOLATION=chroot.
# Prints the image's size and the build's duration. TAG defaults to meetbridge:dev.
set -euo pipefail
cd "$(dirname "$0")/.."

local_base=false
if [[ "${1:-}" == "--local-base" ]]; then
  local_base=true
  shift
fi
tag="${1:-meetbridge:dev}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
base_tag="localhost/meetbridge-base:bookworm"

for tool in buildah $($local_base && echo debootstrap); do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (apt-get install $tool)" >&2; exit 1; }
done

started=$(date +%s)
build_args=()
if $local_base && { [[ "${REBUILD_BASE:-0}" == 1 ]] || ! buildah inspect --type image "$base_tag" >/dev/null 2>&1; }; then
  # Debian's python3 is 3.11 in bookworm; python3-venv brings ensurepip, which
  # the official python image has built in.
  echo "building the base image $base_tag from $mirror"
  container=$(buildah from scratch)
  trap 'buildah rm "$container" >/dev/null 2>&1 || true' EXIT
  root=$(buildah mount "$container")
  debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
    bookworm "$root" "$mirror" >/dev/null
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/log/*
  buildah umount "$container" >/dev/null
  buildah config --env LANG=C.UTF-8 --cmd python3 "$container"
  buildah commit --quiet --rm "$container" "$base_tag" >/dev/null
  trap - EXIT
fi
if $local_base; then
  build_args+=(--build-arg "PYTHON_IMAGE=$base_tag")
fi
# The OCI labels and meetbridge_build_info name the version and the commit.
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' pyproject.toml)
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
build_args+=(--build-arg "VERSION=$version" --build-arg "COMMIT=$commit")
if [[ -n "${PIP_CA_BUNDLE:-}" ]]; then
  build_args+=(--secret "id=pip_ca,src=$PIP_CA_BUNDLE")
fi

buildah build --layers --format docker "${build_args[@]}" -f deploy/Dockerfile -t "$tag" .

finished=$(date +%s)
echo "built $tag in $((finished - started)) s"
buildah images --format '{{.Name}}:{{.Tag}} {{.Size}}' "$tag"
