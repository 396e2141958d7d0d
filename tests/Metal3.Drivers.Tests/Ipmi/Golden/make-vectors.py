#!/usr/bin/python3
# Computes the cipher-suite test vectors for the Metal3 IPMI driver straight from the IPMI v2.0 formulas
# (§13.28 RAKP-HMAC-SHA1/SHA256, §13.28.4 key derivation, §13.28.4 integrity, §13.29 AES-CBC-128),
# with nothing but Python's hmac/hashlib and the cryptography module (Debian's /usr/bin/python3).
# Output: suite-vectors.txt, "name = hex" lines. Run: /usr/bin/python3 make-vectors.py > suite-vectors.txt
import hmac, hashlib
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

password, user = b'password', b'admin'
sidm = bytes.fromhex('a4a3a2a0')            # remote console session id, as on the wire (little endian)
sidc = bytes.fromhex('04030000')            # managed system session id
rm = bytes(range(0x10, 0x20))               # remote console random
rc = bytes(range(0x40, 0x50))               # managed system random
guid = bytes.fromhex('0123456789abcdef0123456789abcdef')
role = 0x14                                 # ADMINISTRATOR, name-only lookup
iv = bytes(range(0xa0, 0xb0))
plain = bytes.fromhex('2018c881043b043c')   # Set Session Privilege Level (ADMINISTRATOR) request

def out(k, v): print(f'{k} = {v.hex()}')
for suite, h, klen, icvlen in [(3, hashlib.sha1, 20, 12), (17, hashlib.sha256, 32, 16)]:
    p = f'suite{suite}.'
    rakp2 = hmac.new(password, sidm + sidc + rm + rc + guid + bytes([role, len(user)]) + user, h).digest()
    rakp3 = hmac.new(password, rc + sidm + bytes([role, len(user)]) + user, h).digest()
    sik = hmac.new(password, rm + rc + bytes([role, len(user)]) + user, h).digest()
    k1 = hmac.new(sik, b'\x01' * klen, h).digest()
    k2 = hmac.new(sik, b'\x02' * klen, h).digest()
    rakp4 = hmac.new(sik, rm + sidc + guid, h).digest()[:icvlen]
    # confidentiality trailer: pad bytes 1,2,3.. then the pad length, to a multiple of 16
    n = (16 - (len(plain) + 1) % 16) % 16
    body = plain + bytes(range(1, n + 1)) + bytes([n])
    enc = Cipher(algorithms.AES(k2[:16]), modes.CBC(iv)).encryptor()
    payload = iv + enc.update(body) + enc.finalize()
    # session wrapper from AuthType to Next Header, padded with 0xFF to a multiple of 4
    hdr = bytes([0x06, 0xc0]) + sidc + (3).to_bytes(4, 'little') + len(payload).to_bytes(2, 'little') + payload
    pad = (4 - (len(hdr) + 2) % 4) % 4
    signed = hdr + b'\xff' * pad + bytes([pad, 0x07])
    authcode = hmac.new(k1, signed, h).digest()[:icvlen]
    for k, v in [('rakp2', rakp2), ('rakp3', rakp3), ('sik', sik), ('k1', k1), ('k2', k2), ('rakp4', rakp4),
                 ('packet', bytes.fromhex('0600ff07') + signed + authcode)]:
        out(p + k, v)
for k, v in [('password', password), ('user', user), ('sidm', sidm), ('sidc', sidc), ('rm', rm), ('rc', rc),
             ('guid', guid), ('role', bytes([role])), ('iv', iv), ('plain', plain)]:
    out('input.' + k, v)
