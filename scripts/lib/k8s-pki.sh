# The test cluster's certificates, made with openssl. Sourced, not run; needs log.sh.
# One CA signs everything: the API server's serving certificate, the client certificates
# of each component (Kubernetes reads the user from CN and the groups from O), and each
# kubelet's serving certificate. ECDSA P-256 keys: quick to make, accepted everywhere.

# pki_ca DIR: DIR/ca.key and DIR/ca.crt, kept when present (kubeconfigs embed the CA).
pki_ca() {
  local dir=$1
  [ -s "$dir/ca.crt" ] && [ -s "$dir/ca.key" ] && return 0
  mkdir -p "$dir" && chmod 700 "$dir"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$dir/ca.key" -sha256 -days 3650 -subj "/CN=compose-pulumi-test-cluster-ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -out "$dir/ca.crt"
}

# pki_cert DIR NAME SUBJECT USAGE [SAN...]: DIR/NAME.key and DIR/NAME.crt signed by the CA
# in DIR. SUBJECT is openssl's form (/O=group/CN=user); USAGE is client, server or both;
# each SAN is IP:a.b.c.d or DNS:name.
pki_cert() {
  local dir=$1 name=$2 subject=$3 usage=$4 eku ext
  shift 4
  case $usage in
    client) eku=clientAuth ;;
    server) eku=serverAuth ;;
    both) eku=serverAuth,clientAuth ;;
    *) die "pki_cert: unknown usage $usage" ;;
  esac
  ext=$(mktemp)
  {
    printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n'
    printf 'extendedKeyUsage=%s\n' "$eku"
    if [ $# -gt 0 ]; then
      local IFS=,
      printf 'subjectAltName=%s\n' "$*"
    fi
  } >"$ext"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/$name.key" 2>/dev/null
  openssl req -new -key "$dir/$name.key" -subj "$subject" -out "$dir/$name.csr"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
    -sha256 -days 365 -extfile "$ext" -out "$dir/$name.crt" 2>/dev/null
  rm -f "$ext" "$dir/$name.csr"
}

# pki_service_account_keys DIR: the key pair that signs and checks service-account tokens.
pki_service_account_keys() {
  local dir=$1
  [ -s "$dir/sa.key" ] && [ -s "$dir/sa.pub" ] && return 0
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/sa.key" 2>/dev/null
  openssl pkey -in "$dir/sa.key" -pubout -out "$dir/sa.pub"
}

# kubeconfig FILE SERVER CA CERT KEY USER: a kubeconfig with everything embedded, so it
# works from any directory and can be copied.
kubeconfig() {
  local file=$1 server=$2 ca=$3 cert=$4 key=$5 user=$6
  cat >"$file" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: test-cluster
  cluster:
    server: $server
    certificate-authority-data: $(base64 -w0 "$ca")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 "$cert")
    client-key-data: $(base64 -w0 "$key")
contexts:
- name: $user@test-cluster
  context:
    cluster: test-cluster
    user: $user
current-context: $user@test-cluster
YAML
  chmod 600 "$file"
}
