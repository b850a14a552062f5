"""The cryptography of the secret ballot (README "The secret ballot").

- Each meeting gets its own Paillier key pair when its ballot opens. A member's choice on an
  item is stored only as a Paillier ciphertext: E(1) to approve, E(0) to disapprove, with fresh
  randomness each time, so that two ciphertexts of the same choice differ and a ciphertext says
  nothing without the private key.
- Paillier is additively homomorphic: the product of ciphertexts (mod n²) encrypts the sum of
  their plaintexts. Closing multiplies an item's ciphertexts and decrypts only that product.
- The private key is kept only sealed (AES-256-GCM) under a key derived with scrypt from the
  chair's and the secretary's passphrases *together*: neither passphrase alone opens it, and
  someone holding a copy of the database has to guess both at once, at scrypt's cost per guess
  (a check of each passphrase on its own would let them guess each separately).
- The public key is authenticated with an HMAC under SECRET_KEY, so that someone who can write
  to the database but does not hold the app's secret cannot slip in a key of their own and read
  the ballots cast after it.

Passphrases are compared after Unicode NFC normalisation (a Vietnamese phrase typed on a phone
and on a computer may arrive composed differently) and without surrounding spaces.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.debug import sensitive_variables
from phe import paillier

SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
NONCE_BYTES = 12
MAC_SALT = "awards.ballot_crypto.public_key"


class WrongPassphrases(ValueError):
    """The two passphrases do not open the sealed private key (one of them or both is wrong)."""


class DamagedBallot(ValueError):
    """A stored ciphertext or public key is not what the ballot wrote."""


@dataclass(frozen=True)
class SealedKey:
    """What the database keeps of a meeting's key pair while its ballot is open."""

    public_n: bytes
    public_n_mac: str
    salt: bytes
    scrypt_n: int
    nonce: bytes
    sealed_private_key: bytes


def normalise(passphrase: str) -> str:
    return unicodedata.normalize("NFC", passphrase.strip())


@sensitive_variables()
def _sealing_key(chair: str, secretary: str, *, salt: bytes, scrypt_n: int) -> bytes:
    # Length-prefixed, so that no other pair of passphrases (nor the same two swapped) gives
    # the same input.
    material = b"".join(
        len(part).to_bytes(4, "big") + part
        for part in (normalise(chair).encode(), normalise(secretary).encode())
    )
    return Scrypt(salt=salt, length=32, n=scrypt_n, r=SCRYPT_R, p=SCRYPT_P).derive(material)


def _to_bytes(number: int) -> bytes:
    return number.to_bytes((number.bit_length() + 7) // 8, "big")


def _mac(context: bytes, public_n: bytes) -> str:
    return salted_hmac(MAC_SALT, context + b"\x00" + public_n, algorithm="sha256").hexdigest()


@sensitive_variables()
def key_new(*, context: bytes, chair: str, secretary: str, bits: int, scrypt_n: int) -> SealedKey:
    """A new key pair for one meeting (`context` names it), the private half sealed."""
    public_key, private_key = paillier.generate_paillier_keypair(n_length=bits)
    public_n = _to_bytes(public_key.n)
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    key = _sealing_key(chair, secretary, salt=salt, scrypt_n=scrypt_n)
    # p and q on a fixed number of bytes each: every sealed key of a size has one length.
    half = (bits // 2 + 7) // 8
    plain = private_key.p.to_bytes(half, "big") + private_key.q.to_bytes(half, "big")
    return SealedKey(
        public_n=public_n,
        public_n_mac=_mac(context, public_n),
        salt=salt,
        scrypt_n=scrypt_n,
        nonce=nonce,
        sealed_private_key=AESGCM(key).encrypt(nonce, plain, context + b"\x00" + public_n),
    )


def public_key(sealed: SealedKey, *, context: bytes) -> paillier.PaillierPublicKey:
    """The meeting's public key, refused if it is not the one the app wrote for this meeting."""
    if not constant_time_compare(_mac(context, sealed.public_n), sealed.public_n_mac):
        raise DamagedBallot("the ballot's public key is not the one written when it opened")
    return paillier.PaillierPublicKey(int.from_bytes(sealed.public_n, "big"))


def ciphertext_size(key: paillier.PaillierPublicKey) -> int:
    """Every ciphertext of a key is stored on this many bytes, whatever its value."""
    return (key.nsquare.bit_length() + 7) // 8


def seal(key: paillier.PaillierPublicKey, choice: bool) -> bytes:
    """E(1) or E(0) with fresh randomness, on a fixed number of bytes."""
    return key.raw_encrypt(1 if choice else 0).to_bytes(ciphertext_size(key), "big")


def add(key: paillier.PaillierPublicKey, ciphertexts: Iterable[bytes]) -> int:
    """The product of the ciphertexts mod n²: a ciphertext of the sum of their choices."""
    size = ciphertext_size(key)
    product = 1  # E(0) with the randomness 1
    for item in ciphertexts:
        value = int.from_bytes(item, "big")
        if len(item) != size or not 0 < value < key.nsquare:
            raise DamagedBallot("a stored ballot is not a ciphertext of this meeting's key")
        product = product * value % key.nsquare
    return product


@sensitive_variables()
def private_key_open(
    sealed: SealedKey, *, context: bytes, chair: str, secretary: str
) -> paillier.PaillierPrivateKey:
    """The private key, opened with both passphrases (WrongPassphrases otherwise)."""
    key = _sealing_key(chair, secretary, salt=sealed.salt, scrypt_n=sealed.scrypt_n)
    try:
        plain = AESGCM(key).decrypt(
            sealed.nonce, sealed.sealed_private_key, context + b"\x00" + sealed.public_n
        )
    except InvalidTag:
        raise WrongPassphrases from None
    half = len(plain) // 2
    p, q = int.from_bytes(plain[:half], "big"), int.from_bytes(plain[half:], "big")
    public = paillier.PaillierPublicKey(int.from_bytes(sealed.public_n, "big"))
    if p * q != public.n:
        raise DamagedBallot("the sealed private key does not match the public key")
    return paillier.PaillierPrivateKey(public, p, q)
