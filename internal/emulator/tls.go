package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

var (
	caOnce sync.Once
	ca     *x509.Certificate
	caKey  *ecdsa.PrivateKey
	caDER  []byte
	caErr  error
)

// newTLS returns a loopback server certificate signed by a throwaway CA.
// Clients trust the CA through SSL_CERT_FILE, exactly as they would trust a
// corporate proxy's CA, so no client code has a test-only TLS switch. Go
// reads SSL_CERT_FILE once per process, so every emulator in a process
// shares one CA.
func newTLS() (*tls.Config, []byte, error) {
	caOnce.Do(func() { ca, caKey, caDER, caErr = newCA() })
	if caErr != nil {
		return nil, nil, caErr
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(30 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, nil, err
	}
	cfg := &tls.Config{
		MinVersion: tls.VersionTLS12,
		Certificates: []tls.Certificate{{
			Certificate: [][]byte{leafDER, caDER},
			PrivateKey:  key,
		}},
	}
	return cfg, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), nil
}

// TrustCA writes the CA shared by this process's emulators to a file in dir
// and points SSL_CERT_FILE at it. Call it before the process makes any TLS
// connection: Go reads SSL_CERT_FILE once.
func TrustCA(dir string) error {
	_, caPEM, err := newTLS()
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "emulator-ca.pem")
	if err := os.WriteFile(path, caPEM, 0o644); err != nil {
		return err
	}
	return os.Setenv("SSL_CERT_FILE", path)
}

func newCA() (*x509.Certificate, *ecdsa.PrivateKey, []byte, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, nil, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "entra emulator CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(30 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, nil, nil, err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, nil, nil, err
	}
	return caCert, caKey, caDER, nil
}
