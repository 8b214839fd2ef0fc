#!/bin/sh
# A self-signed certificate for localhost, for NGINX in development only (browsers will warn):
# ops/nginx/certs/cert.pem and key.pem, valid 30 days. Production mounts a real certificate instead.
set -eu
dir="$(dirname "$0")/../ops/nginx/certs"
mkdir -p "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 30 \
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
# Readable by the unprivileged NGINX container (another user id); acceptable for a throw-away local
# key only. Keep a real key readable by NGINX's user alone.
chmod 644 "$dir/key.pem"
echo "Wrote $dir/cert.pem and $dir/key.pem (localhost, 30 days)"
