/**
 * The emulator's TLS material: a CA and a server certificate it signs (SAN IP:127.0.0.1, DNS:localhost),
 * generated at start. Node can make keys but not X.509 certificates, so the certificates are built with
 * node-forge; the RSA keys come from node:crypto (much faster than forge's pure-JS key generation).
 * Generated once per process and reused by every emulator started in it (fresh in each process).
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import forge from "node-forge";

export interface TlsMaterial {
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

let cached: TlsMaterial | undefined;

function rsaKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; privatePem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
    privatePem: privateKey,
  };
}

function serial(): string {
  // Positive serial number: clear the top bit.
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b.toString("hex");
}

export function tlsMaterial(): TlsMaterial {
  if (cached) return cached;
  const now = new Date();
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  const notAfter = new Date(now.getTime() + 30 * 24 * 60 * 60 * 1000);

  const ca = rsaKeys();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = serial();
  caCert.validity.notBefore = notBefore;
  caCert.validity.notAfter = notAfter;
  const caName = [
    { name: "commonName", value: "partnerlink emulator local CA" },
    { name: "organizationName", value: "partnerlink (local, not trusted anywhere else)" },
  ];
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const srv = rsaKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = srv.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ name: "commonName", value: "localhost" }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 7, ip: "127.0.0.1" },
        { type: 2, value: "localhost" },
      ],
    },
    { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());

  cached = {
    caCertPem: forge.pki.certificateToPem(caCert),
    serverCertPem: forge.pki.certificateToPem(cert),
    serverKeyPem: srv.privatePem,
  };
  return cached;
}
