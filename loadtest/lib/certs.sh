# Shared by protocols.sh and protocols-cases.sh: a throw-away CA and a server certificate for localhost
# and 127.0.0.1 signed by it, made with the system's openssl (EC P-256, as the Java tests' TestCerts).
#
#   make_certs DIR   writes DIR/ca.pem, DIR/ca-key.pem, DIR/server.pem, DIR/server-key.pem (PKCS#8);
#                    nginx and adaptive-lb are given the same server pair, curl trusts DIR/ca.pem

make_certs() {
  local dir=$1
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/ca-key.pem" \
    -out "$dir/ca.pem" -days 7 -subj "/CN=adaptive-lb load-test CA" >"$dir/openssl.log" 2>&1
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/server-key.pem" \
    -out "$dir/server.csr" -subj "/CN=localhost" >>"$dir/openssl.log" 2>&1
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" -CAcreateserial \
    -out "$dir/server.pem" -days 7 -extfile "$dir/server.ext" >>"$dir/openssl.log" 2>&1
}
