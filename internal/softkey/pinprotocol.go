package softkey

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"

	"github.com/entra-tf/terraform-provider-entra/internal/authenticator"
	"github.com/entra-tf/terraform-provider-entra/internal/webauthn"
)

// The PIN/UV auth protocols (CTAP 2.1 §6.5). Protocol 2: ECDH on P-256,
// HKDF-SHA-256 to an HMAC key and an AES-256 key, AES-CBC with a random IV,
// full HMAC. Protocol 1: SHA-256 of the ECDH secret as both keys, AES-CBC
// with a zero IV, HMAC cut to 16 bytes.

type sharedSecret struct {
	version         uint64
	hmacKey, aesKey []byte
}

func deriveSharedVersion(version uint64, priv *ecdh.PrivateKey, peer *ecdh.PublicKey) (*sharedSecret, error) {
	z, err := priv.ECDH(peer) // the x-coordinate of the shared point
	if err != nil {
		return nil, err
	}
	if version == pinProtocolVersion1 {
		sum := sha256.Sum256(z)
		return &sharedSecret{version: version, hmacKey: sum[:], aesKey: sum[:]}, nil
	}
	salt := make([]byte, 32)
	h, err := hkdf.Key(sha256.New, z, salt, "CTAP2 HMAC key", 32)
	if err != nil {
		return nil, err
	}
	a, err := hkdf.Key(sha256.New, z, salt, "CTAP2 AES key", 32)
	if err != nil {
		return nil, err
	}
	return &sharedSecret{version: version, hmacKey: h, aesKey: a}, nil
}

func (s *sharedSecret) encrypt(plain []byte) ([]byte, error) {
	if len(plain)%aes.BlockSize != 0 {
		return nil, errors.New("plaintext is not a whole number of blocks")
	}
	block, err := aes.NewCipher(s.aesKey)
	if err != nil {
		return nil, err
	}
	if s.version == pinProtocolVersion1 {
		out := make([]byte, len(plain))
		cipher.NewCBCEncrypter(block, make([]byte, aes.BlockSize)).CryptBlocks(out, plain)
		return out, nil
	}
	out := make([]byte, aes.BlockSize+len(plain))
	if _, err := rand.Read(out[:aes.BlockSize]); err != nil {
		return nil, err
	}
	cipher.NewCBCEncrypter(block, out[:aes.BlockSize]).CryptBlocks(out[aes.BlockSize:], plain)
	return out, nil
}

func (s *sharedSecret) decrypt(ct []byte) ([]byte, error) {
	block, err := aes.NewCipher(s.aesKey)
	if err != nil {
		return nil, err
	}
	if s.version == pinProtocolVersion1 {
		if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
			return nil, errors.New("ciphertext has a bad length")
		}
		out := make([]byte, len(ct))
		cipher.NewCBCDecrypter(block, make([]byte, aes.BlockSize)).CryptBlocks(out, ct)
		return out, nil
	}
	if len(ct) < 2*aes.BlockSize || len(ct)%aes.BlockSize != 0 {
		return nil, errors.New("ciphertext has a bad length")
	}
	out := make([]byte, len(ct)-aes.BlockSize)
	cipher.NewCBCDecrypter(block, ct[:aes.BlockSize]).CryptBlocks(out, ct[aes.BlockSize:])
	return out, nil
}

// authenticate is HMAC-SHA-256 with key over message (protocol 2).
func authenticate(key, message []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(message)
	return m.Sum(nil)
}

// authenticateVersion is authenticate, cut to 16 bytes for protocol 1.
func authenticateVersion(version uint64, key, message []byte) []byte {
	mac := authenticate(key, message)
	if version == pinProtocolVersion1 {
		return mac[:16]
	}
	return mac
}

// coseKey is a COSE_Key for ECDH-ES+HKDF-256 on P-256, the key agreement
// key of the PIN protocol.
type coseKey struct {
	Kty int64  `cbor:"1,keyasint"`
	Alg int64  `cbor:"3,keyasint"`
	Crv int64  `cbor:"-1,keyasint"`
	X   []byte `cbor:"-2,keyasint"`
	Y   []byte `cbor:"-3,keyasint"`
}

const (
	coseKtyEC2          = 2
	coseAlgES256        = webauthn.COSEAlgES256
	coseAlgECDHESHKDF   = -25
	coseCrvP256         = 1
	pinProtocolVersion1 = 1
	pinProtocolVersion2 = 2
)

func coseFromECDH(pub *ecdh.PublicKey, alg int64) coseKey {
	b := pub.Bytes() // 0x04 | X | Y
	return coseKey{Kty: coseKtyEC2, Alg: alg, Crv: coseCrvP256, X: b[1:33], Y: b[33:65]}
}

func (k coseKey) ecdh() (*ecdh.PublicKey, error) {
	if k.Kty != coseKtyEC2 || k.Crv != coseCrvP256 || len(k.X) != 32 || len(k.Y) != 32 {
		return nil, errors.New("key agreement key is not a P-256 COSE key")
	}
	return ecdh.P256().NewPublicKey(append(append([]byte{4}, k.X...), k.Y...))
}

// padPIN pads a PIN to 64 bytes with zeros, as setPIN requires.
func padPIN(pin string) ([]byte, error) {
	if err := authenticator.CheckPIN(pin); err != nil {
		return nil, err
	}
	out := make([]byte, 64)
	copy(out, pin)
	return out, nil
}

func pinHash(pin string) []byte {
	sum := sha256.Sum256([]byte(pin))
	return sum[:16]
}
