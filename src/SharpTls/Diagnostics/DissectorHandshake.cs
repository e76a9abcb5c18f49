using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Wire;

namespace SharpTls.Diagnostics;

// Handshake messages: each reader walks the wire structure (RFC 5246 §7.4, RFC 8446 §4) with a
// TlsReader, showing every length as Wireshark does. A TlsProtocolException (truncation, bad
// bounds) ends that message with a "[Malformed ...]" line.
public sealed partial class Dissector
{
    /// <summary>SHA-256("HelloRetryRequest"): the ServerHello.random of a HelloRetryRequest (RFC 8446 §4.1.3).</summary>
    private static readonly byte[] HelloRetryRequestRandom = Convert.FromHexString("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    /// <summary>Display name of a handshake type ("Client Hello").</summary>
    public static string HandshakeName(byte type) => type switch
    {
        0 => "Hello Request",
        1 => "Client Hello",
        2 => "Server Hello",
        3 => "Hello Verify Request",
        4 => "New Session Ticket",
        5 => "End of Early Data",
        6 => "Hello Retry Request",
        8 => "Encrypted Extensions",
        11 => "Certificate",
        12 => "Server Key Exchange",
        13 => "Certificate Request",
        14 => "Server Hello Done",
        15 => "Certificate Verify",
        16 => "Client Key Exchange",
        20 => "Finished",
        21 => "Certificate URL",
        22 => "Certificate Status",
        23 => "Supplemental Data",
        24 => "Key Update",
        25 => "Compressed Certificate",
        254 => "Message Hash",
        _ => $"Unknown ({type})",
    };

    private (string Name, DissectionNode Node) HandshakeMessage(byte[] message)
    {
        byte type = message[0];
        var body = message.AsSpan(4);
        string name = HandshakeName(type);
        if (type == 2 && body.Length >= 34 && body.Slice(2, 32).SequenceEqual(HelloRetryRequestRandom))
            name = "Hello Retry Request";
        var node = new DissectionNode($"Handshake Protocol: {name}");
        node.Add($"Handshake Type: {name} ({type})", "tls.handshake.type", (long)type);
        node.Add($"Length: {body.Length}", "tls.handshake.length", (long)body.Length);
        var r = new TlsReader(body);
        try
        {
            switch (type)
            {
                case 1: ClientHello(ref r, node); break;
                case 2: ServerHello(ref r, node, name == "Hello Retry Request"); break;
                case 4: NewSessionTicket(ref r, node); break;
                case 8: Extensions(ref r, node, ExtensionOwner.EncryptedExtensions); break;
                case 11: Certificate(ref r, node); break;
                case 12: ServerKeyExchange(ref r, node); break;
                case 13: CertificateRequest(ref r, node); break;
                case 15:
                    Signature(ref r, node);
                    break;
                case 16: ClientKeyExchange(ref r, node); break;
                case 20:
                    string verifyData = Hex(r.ReadBytes(r.Remaining, "verify_data"));
                    node.Add($"Verify Data: {verifyData}", "tls.handshake.verify_data", verifyData);
                    break;
                case 22:
                    CertificateStatusBody(ref r, node);
                    break;
                case 25: CompressedCertificate(ref r, node); break;
                case 24:
                    byte req = r.ReadUInt8("request_update");
                    node.Add($"Key Update Request: {SmallRegistryNames.Name((KeyUpdateRequest)req)} ({req})");
                    break;
                default:
                    if (!r.IsEmpty)
                        node.Add($"Data ({r.Remaining} bytes): {Hex(r.ReadBytes(r.Remaining, "body"), 32)}");
                    break;
            }
            if (!r.IsEmpty)
                node.Add($"[Trailing data: {r.Remaining} byte(s)]");
        }
        catch (TlsProtocolException e)
        {
            node.Add($"[Malformed {name}: {e.Reason}]", "_ws.malformed", e.Reason);
        }
        return (name, node);
    }

    private static void Random(ref TlsReader r, DissectionNode node)
    {
        var random = r.ReadBytes(32, "random");
        var rnd = node.Add($"Random: {Hex(random)}", "tls.handshake.random", Hex(random));
        uint gmt = (uint)((random[0] << 24) | (random[1] << 16) | (random[2] << 8) | random[3]);
        var time = DateTimeOffset.FromUnixTimeSeconds(gmt).UtcDateTime;
        rnd.Add($"gmt_unix_time: {time.ToString("MMM ", CultureInfo.InvariantCulture)}{time.Day,2}{time.ToString(", yyyy HH:mm:ss", CultureInfo.InvariantCulture)}.000000000 UTC",
            "tls.handshake.random_time", (long)gmt);
        rnd.Add($"random_bytes: {Hex(random[4..])}", "tls.handshake.random_bytes", Hex(random[4..]));
    }

    private static void SessionId(ref TlsReader r, DissectionNode node)
    {
        var sid = r.ReadVector8("session_id", 0, 32);
        node.Add($"Session ID Length: {sid.Length}", "tls.handshake.session_id_length", (long)sid.Length);
        if (sid.Length > 0)
            node.Add($"Session ID: {Hex(sid)}", "tls.handshake.session_id", Hex(sid));
    }

    // struct { ProtocolVersion client_version; Random random; SessionID session_id;
    //          CipherSuite cipher_suites<2..2^16-2>; CompressionMethod compression_methods<1..2^8-1>;
    //          Extension extensions<0..2^16-1>; } ClientHello;   (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2)
    private void ClientHello(ref TlsReader r, DissectionNode node)
    {
        ushort version = r.ReadUInt16("client_version");
        node.Add($"Version: {ProtocolVersions.Describe(version)}", "tls.handshake.version", (long)version);
        Random(ref r, node);
        SessionId(ref r, node);
        var suites = r.ReadVector16Reader("cipher_suites");
        int count = suites.Remaining / 2;
        node.Add($"Cipher Suites Length: {suites.Remaining}", "tls.handshake.cipher_suites_length", (long)suites.Remaining);
        var list = node.Add($"Cipher Suites ({count} suite{(count == 1 ? "" : "s")})");
        while (suites.Remaining >= 2)
        {
            ushort s = suites.ReadUInt16("cipher_suite");
            list.Add($"Cipher Suite: {CipherSuites.Describe(s)}", "tls.handshake.ciphersuite", (long)s);
        }
        var methods = r.ReadVector8("compression_methods", 1);
        node.Add($"Compression Methods Length: {methods.Length}", "tls.handshake.comp_methods_length", (long)methods.Length);
        var cm = node.Add($"Compression Methods ({methods.Length} method{(methods.Length == 1 ? "" : "s")})");
        foreach (byte m in methods)
            cm.Add($"Compression Method: {CompressionMethods.Name(m)} ({m})", "tls.handshake.comp_method", (long)m);
        if (!r.IsEmpty)
            Extensions(ref r, node, ExtensionOwner.ClientHello);
    }

    // struct { ProtocolVersion server_version; Random random; SessionID session_id; CipherSuite cipher_suite;
    //          CompressionMethod compression_method; Extension extensions<0..2^16-1>; } ServerHello;
    private void ServerHello(ref TlsReader r, DissectionNode node, bool helloRetry)
    {
        ushort version = r.ReadUInt16("server_version");
        node.Add($"Version: {ProtocolVersions.Describe(version)}", "tls.handshake.version", (long)version);
        Random(ref r, node);
        SessionId(ref r, node);
        ushort suite = r.ReadUInt16("cipher_suite");
        node.Add($"Cipher Suite: {CipherSuites.Describe(suite)}", "tls.handshake.ciphersuite", (long)suite);
        byte method = r.ReadUInt8("compression_method");
        node.Add($"Compression Method: {CompressionMethods.Name(method)} ({method})", "tls.handshake.comp_method", (long)method);
        NegotiatedVersion = version;
        NegotiatedCipherSuite = suite;
        if (!r.IsEmpty)
            Extensions(ref r, node, helloRetry ? ExtensionOwner.HelloRetryRequest : ExtensionOwner.ServerHello);
    }

    // TLS 1.2: struct { uint32 ticket_lifetime_hint; opaque ticket<0..2^16-1>; } (RFC 5077 §3.3)
    // TLS 1.3: adds ticket_age_add, ticket_nonce and extensions (RFC 8446 §4.6.1)
    private void NewSessionTicket(ref TlsReader r, DissectionNode node)
    {
        uint lifetime = r.ReadUInt32("ticket_lifetime");
        node.Add($"Session Ticket Lifetime Hint: {lifetime} seconds", "tls.handshake.session_ticket_lifetime_hint", (long)lifetime);
        if (IsTls13)
        {
            node.Add($"Session Ticket Age Add: {r.ReadUInt32("ticket_age_add")}");
            node.Add($"Session Ticket Nonce: {Hex(r.ReadVector8("ticket_nonce"))}");
        }
        var ticket = r.ReadVector16("ticket");
        node.Add($"Session Ticket Length: {ticket.Length}", "tls.handshake.session_ticket_length", (long)ticket.Length);
        node.Add($"Session Ticket: {Hex(ticket, 32)}");
        if (IsTls13)
            Extensions(ref r, node, ExtensionOwner.NewSessionTicket);
    }

    // CertificateStatus (RFC 6066 §8), also the body of status_request in a TLS 1.3 CertificateEntry:
    // struct { CertificateStatusType status_type; opaque OCSPResponse<1..2^24-1>; }
    internal static void CertificateStatusBody(ref TlsReader r, DissectionNode node)
    {
        byte statusType = r.ReadUInt8("status_type");
        node.Add($"Certificate Status Type: {(statusType == 1 ? "OCSP" : "Unknown")} ({statusType})");
        var response = r.ReadVector24("response");
        node.Add($"OCSP Response Length: {response.Length}");
        try
        {
            var lines = OcspResponseInfo.Parse(response).ToString().Split('\n');
            var ocsp = node.Add(lines[0]);
            foreach (string line in lines.Skip(1)) ocsp.Add(line.Trim());
        }
        catch (FormatException e)
        {
            node.Add($"[Malformed OCSP response: {e.Message}]", "_ws.malformed", e.Message);
        }
    }

    // TLS 1.2: opaque ASN.1Cert<1..2^24-1>; struct { ASN.1Cert certificate_list<0..2^24-1>; } Certificate;
    // TLS 1.3: struct { opaque certificate_request_context<0..2^8-1>; CertificateEntry certificate_list<0..2^24-1>; }
    private void Certificate(ref TlsReader r, DissectionNode node)
    {
        if (IsTls13)
            node.Add($"Certificate Request Context Length: {r.ReadVector8("certificate_request_context").Length}");
        var list = r.ReadVector24Reader("certificate_list");
        node.Add($"Certificates Length: {list.Remaining}", "tls.handshake.certificates_length", (long)list.Remaining);
        var certs = node.Add($"Certificates ({list.Remaining} bytes)");
        while (!list.IsEmpty)
        {
            var der = list.ReadVector24("certificate", 1);
            certs.Add($"Certificate Length: {der.Length}", "tls.handshake.certificate_length", (long)der.Length);
            certs.Add(CertificateNode(der));
            if (IsTls13)
                Extensions(ref list, certs, ExtensionOwner.Certificate);
        }
    }

    // RFC 8879 §4: struct { CertificateCompressionAlgorithm algorithm; uint24 uncompressed_length;
    //                   opaque compressed_certificate_message<1..2^24-1>; } CompressedCertificate;
    // The body is inflated (within the engine's limit, by its own checks) and shown as the Certificate it carries.
    private void CompressedCertificate(ref TlsReader r, DissectionNode node)
    {
        var algorithm = (CertificateCompressionAlgorithm)r.ReadUInt16("algorithm");
        node.Add($"Algorithm: {SmallRegistryNames.Name(algorithm)} ({(ushort)algorithm})", "tls.compress_certificate.algorithm", (long)algorithm);
        int claimed = r.ReadUInt24("uncompressed_length");
        node.Add($"Uncompressed Length: {claimed}", "tls.compress_certificate.uncompressed_length", (long)claimed);
        var compressed = r.ReadVector24("compressed_certificate_message", 1);
        node.Add($"Length: {compressed.Length}", "tls.compress_certificate.compressed_certificate_message.length", (long)compressed.Length);
        byte[] body;
        try
        {
            body = Handshake.Tls13.CertificateCompression.Decompress(algorithm, compressed, claimed);
        }
        catch (TlsProtocolException e)
        {
            node.Add($"[Not decompressed: {e.Reason}]", "_ws.malformed", e.Reason);
            return;
        }
        var inflated = node.Add($"Compressed Certificate Message ({compressed.Length} bytes, {body.Length} decompressed): Certificate");
        var cr = new TlsReader(body);
        try
        {
            Certificate(ref cr, inflated);
            if (!cr.IsEmpty) inflated.Add($"[Trailing data: {cr.Remaining} byte(s)]");
        }
        catch (TlsProtocolException e)
        {
            inflated.Add($"[Malformed Certificate: {e.Reason}]", "_ws.malformed", e.Reason);
        }
    }

    private static DissectionNode CertificateNode(ReadOnlySpan<byte> der)
    {
        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(der);
            var node = new DissectionNode($"Certificate: {cert.Subject} (issuer: {cert.Issuer})", "x509af.subject", cert.Subject);
            node.Add($"Subject: {cert.Subject}", "x509sat.subject", cert.Subject);
            node.Add($"Issuer: {cert.Issuer}", "x509sat.issuer", cert.Issuer);
            node.Add($"Serial Number: {cert.SerialNumber}", "x509af.serialNumber", cert.SerialNumber);
            node.Add($"Validity: {cert.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss} to {cert.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
            node.Add($"Signature Algorithm: {cert.SignatureAlgorithm.FriendlyName ?? cert.SignatureAlgorithm.Value}", "x509af.algorithm.id", cert.SignatureAlgorithm.Value);
            node.Add($"Public Key: {cert.PublicKey.Oid.FriendlyName ?? cert.PublicKey.Oid.Value}");
            var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
            if (san is not null)
                node.Add($"Subject Alternative Names: {string.Join(", ", san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(a => a.ToString())))}");
            node.Add($"SHA-1 Thumbprint: {cert.Thumbprint.ToLowerInvariant()}");
            return node;
        }
        catch (CryptographicException e)
        {
            return new DissectionNode($"Certificate: [not a readable X.509 certificate: {e.Message}] {Hex(der, 32)}");
        }
    }

    private CipherSuiteInfo? Suite => NegotiatedCipherSuite is { } s ? CipherSuites.Info(s) : null;

    // ServerKeyExchange (RFC 5246 §7.4.3, RFC 8422 §5.4): parameters by key exchange, then a signature.
    private void ServerKeyExchange(ref TlsReader r, DissectionNode node)
    {
        var kx = Suite?.KeyExchange;
        switch (kx)
        {
            case CipherSuiteKeyExchange.EcdheRsa or CipherSuiteKeyExchange.EcdheEcdsa or CipherSuiteKeyExchange.EcdhAnon:
            {
                var p = node.Add("EC Diffie-Hellman Server Params");
                byte curveType = r.ReadUInt8("curve_type");
                p.Add($"Curve Type: {(curveType == 3 ? "named_curve" : "explicit")} (0x{curveType:x2})");
                ushort group = r.ReadUInt16("named_curve");
                p.Add($"Named Curve: {NamedGroups.Name(group)} (0x{group:x4})", "tls.handshake.server_named_curve", (long)group);
                var point = r.ReadVector8("public", 1);
                p.Add($"Pubkey Length: {point.Length}");
                p.Add($"Pubkey: {Hex(point, 32)}");
                if (kx != CipherSuiteKeyExchange.EcdhAnon)
                    Signature(ref r, p);
                break;
            }
            case CipherSuiteKeyExchange.DheRsa or CipherSuiteKeyExchange.DheDss or CipherSuiteKeyExchange.DhAnon:
            {
                var p = node.Add("Diffie-Hellman Server Params");
                foreach (var (field, label) in new[] { ("dh_p", "p"), ("dh_g", "g"), ("dh_Ys", "pubkey") })
                {
                    var v = r.ReadVector16(field, 1);
                    p.Add($"{label} Length: {v.Length}");
                    p.Add($"{label}: {Hex(v, 32)}");
                }
                if (kx != CipherSuiteKeyExchange.DhAnon)
                    Signature(ref r, p);
                break;
            }
            default:
                node.Add($"Server Key Exchange Data ({r.Remaining} bytes): {Hex(r.ReadBytes(r.Remaining, "params"), 32)}");
                break;
        }
    }

    // digitally-signed struct: TLS 1.2 and 1.3 prefix a SignatureScheme (RFC 5246 §4.7, RFC 8446 §4.4.3).
    private void Signature(ref TlsReader r, DissectionNode node)
    {
        if (NegotiatedVersion is null or >= 0x0303)
        {
            ushort scheme = r.ReadUInt16("algorithm");
            node.Add($"Signature Algorithm: {SignatureSchemes.Name(scheme)} (0x{scheme:x4})", "tls.handshake.sig_hash_alg", (long)scheme);
        }
        var sig = r.ReadVector16("signature");
        node.Add($"Signature Length: {sig.Length}");
        node.Add($"Signature: {Hex(sig, 32)}");
    }

    // struct { ClientCertificateType certificate_types<1..2^8-1>; SignatureAndHashAlgorithm
    //          supported_signature_algorithms<2..2^16-2>; DistinguishedName certificate_authorities<0..2^16-1>; }
    private void CertificateRequest(ref TlsReader r, DissectionNode node)
    {
        if (IsTls13)
        {
            node.Add($"Certificate Request Context Length: {r.ReadVector8("certificate_request_context").Length}");
            Extensions(ref r, node, ExtensionOwner.CertificateRequest);
            return;
        }
        var types = r.ReadVector8("certificate_types", 1);
        var t = node.Add($"Certificate types count: {types.Length}");
        foreach (byte b in types)
            t.Add($"Certificate type: {SmallRegistryNames.Name((ClientCertificateType)b)} ({b})", "tls.handshake.cert_type", (long)b);
        if (NegotiatedVersion is null or >= 0x0303)
        {
            var algs = r.ReadVector16Reader("supported_signature_algorithms");
            var a = node.Add($"Signature Hash Algorithms Length: {algs.Remaining}");
            while (algs.Remaining >= 2)
            {
                ushort s = algs.ReadUInt16("algorithm");
                a.Add($"Signature Algorithm: {SignatureSchemes.Name(s)} (0x{s:x4})", "tls.handshake.sig_hash_alg", (long)s);
            }
        }
        var cas = r.ReadVector16Reader("certificate_authorities");
        var d = node.Add($"Distinguished Names Length: {cas.Remaining}");
        while (!cas.IsEmpty)
        {
            var dn = cas.ReadVector16("distinguished_name", 1);
            string text;
            try { text = new X500DistinguishedName(dn.ToArray()).Name; }
            catch (CryptographicException) { text = Hex(dn, 32); }
            d.Add($"Distinguished Name: {text}");
        }
    }

    // ClientKeyExchange (RFC 5246 §7.4.7, RFC 8422 §5.7): by key exchange of the chosen suite.
    private void ClientKeyExchange(ref TlsReader r, DissectionNode node)
    {
        switch (Suite?.KeyExchange)
        {
            case CipherSuiteKeyExchange.EcdheRsa or CipherSuiteKeyExchange.EcdheEcdsa or CipherSuiteKeyExchange.EcdhAnon
                or CipherSuiteKeyExchange.EcdhRsa or CipherSuiteKeyExchange.EcdhEcdsa:
            {
                var p = node.Add("EC Diffie-Hellman Client Params");
                var point = r.ReadVector8("ecdh_Yc", 1);
                p.Add($"Pubkey Length: {point.Length}");
                p.Add($"Pubkey: {Hex(point, 32)}");
                break;
            }
            case CipherSuiteKeyExchange.DheRsa or CipherSuiteKeyExchange.DheDss or CipherSuiteKeyExchange.DhAnon:
            {
                var p = node.Add("Diffie-Hellman Client Params");
                var y = r.ReadVector16("dh_Yc", 1);
                p.Add($"Pubkey Length: {y.Length}");
                p.Add($"Pubkey: {Hex(y, 32)}");
                break;
            }
            case CipherSuiteKeyExchange.Rsa when NegotiatedVersion != 0x0300:
            {
                var p = node.Add("RSA Encrypted PreMaster Secret");
                var epms = r.ReadVector16("encrypted_pre_master_secret", 1);
                p.Add($"Encrypted PreMaster length: {epms.Length}");
                p.Add($"Encrypted PreMaster: {Hex(epms, 32)}");
                break;
            }
            default:
                node.Add($"Client Key Exchange Data ({r.Remaining} bytes): {Hex(r.ReadBytes(r.Remaining, "exchange_keys"), 32)}");
                break;
        }
    }

    // SSL 2.0 CLIENT-HELLO (draft-hickman-netscape-ssl-00 / RFC 6101 E.1): msg_type, version,
    // cipher_specs_length, session_id_length, challenge_length, then the three vectors (3-byte specs).
    private DissectionNode Ssl2ClientHello(byte[] body)
    {
        var node = new DissectionNode("SSLv2 Record Layer: Client Hello", "tls.record");
        node.Add($"Length: {body.Length}", "tls.record.length", (long)body.Length);
        node.Add("Handshake Message Type: Client Hello (1)", "tls.handshake.type", 1L);
        var r = new TlsReader(body.AsSpan(1));
        try
        {
            ushort version = r.ReadUInt16("version");
            node.Add($"Version: {ProtocolVersions.Describe(version)}", "tls.handshake.version", (long)version);
            int specLen = r.ReadUInt16("cipher_specs_length"), sidLen = r.ReadUInt16("session_id_length"), chLen = r.ReadUInt16("challenge_length");
            node.Add($"Cipher Spec Length: {specLen}");
            node.Add($"Session ID Length: {sidLen}");
            node.Add($"Challenge Length: {chLen}");
            var specs = new TlsReader(r.ReadBytes(specLen, "cipher_specs"));
            var list = node.Add($"Cipher Specs ({specLen / 3} specs)");
            while (specs.Remaining >= 3)
            {
                byte hi = specs.ReadUInt8("cipher_spec");
                ushort lo = specs.ReadUInt16("cipher_spec");
                if (hi == 0)
                    list.Add($"Cipher Spec: {CipherSuites.Describe(lo)}", "tls.handshake.ciphersuite", (long)lo);
                else
                    list.Add($"Cipher Spec: {Ssl2CipherName(hi << 16 | lo)} (0x{hi:x2}{lo:x4})", "sslv2.handshake.cipherspec", (long)(hi << 16 | lo));
            }
            if (sidLen > 0)
                node.Add($"Session ID: {Hex(r.ReadBytes(sidLen, "session_id"))}");
            node.Add($"Challenge: {Hex(r.ReadBytes(chLen, "challenge"))}");
        }
        catch (TlsProtocolException e)
        {
            node.Add($"[Malformed SSLv2 Client Hello: {e.Reason}]", "_ws.malformed", e.Reason);
        }
        return node;
    }

    private static string Ssl2CipherName(int spec) => spec switch
    {
        0x010080 => "SSL2_RC4_128_WITH_MD5",
        0x020080 => "SSL2_RC4_128_EXPORT40_WITH_MD5",
        0x030080 => "SSL2_RC2_128_CBC_WITH_MD5",
        0x040080 => "SSL2_RC2_128_CBC_EXPORT40_WITH_MD5",
        0x050080 => "SSL2_IDEA_128_CBC_WITH_MD5",
        0x060040 => "SSL2_DES_64_CBC_WITH_MD5",
        0x0700C0 => "SSL2_DES_192_EDE3_CBC_WITH_MD5",
        _ => "Unknown",
    };
}
