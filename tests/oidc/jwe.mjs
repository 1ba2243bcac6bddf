// jwe.mjs — decrypts (and, for a nested JWT, verifies) what authio
// encrypted, with npm jose: an implementation independent of authio's and
// of jwcrypto.  Run by tests/http/test_jwe.py.
//
// stdin: {"jwe", "privateJwk", "jwks" (the realm's, for the inner JWS),
//         "issuer", "audience"}
// stdout: {"protectedHeader", "claims", "innerHeader" (nested only)}
// Exits non-zero (message on stderr) when anything fails to decrypt or
// verify.
import { compactDecrypt, createLocalJWKSet, importJWK, jwtVerify } from 'jose';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const req = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const key = await importJWK(req.privateJwk, req.privateJwk.alg);
const { plaintext, protectedHeader } = await compactDecrypt(req.jwe, key, {
  keyManagementAlgorithms: ['RSA-OAEP-256', 'ECDH-ES'],
  contentEncryptionAlgorithms: ['A128GCM', 'A256GCM', 'A128CBC-HS256'],
});
const text = new TextDecoder().decode(plaintext);
const out = { protectedHeader };
if (protectedHeader.cty === 'JWT') {
  const { payload, protectedHeader: inner } = await jwtVerify(text,
    createLocalJWKSet(req.jwks), { issuer: req.issuer,
      audience: req.audience });
  out.claims = payload;
  out.innerHeader = inner;
} else {
  out.claims = JSON.parse(text);
}
process.stdout.write(JSON.stringify(out));
