using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Diagnostics;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Tests.Crypto;
using SharpTls.Wire;

namespace SharpTls.Tests.Rfc8448;

/// <summary>What the RFC 8448 replays share: keys and certificates of the trace, the ClientHello
/// substitution, record helpers, a settable clock and a key log that keeps what it is told.</summary>
internal static class Rfc8448Replay
{
    public static byte[] H(string hex) => Hex.Parse(hex);

    /// <summary>Asserts bytes equal the RFC's (hex), showing both as hex.</summary>
    public static void Same(string expectedHex, byte[] actual) => Assert.Equal(Hex.Of(Hex.Parse(expectedHex)), Hex.Of(actual));

    /// <summary>Asserts bytes equal, showing both as hex.</summary>
    public static void Same(byte[] expected, byte[] actual) => Assert.Equal(Hex.Of(expected), Hex.Of(actual));

    /// <summary>A plaintext record around one handshake message (the RFC's "complete record").</summary>
    public static byte[] HandshakeRecord(ushort version, string message)
    {
        byte[] body = H(message);
        return [(byte)ContentType.Handshake, (byte)(version >> 8), (byte)version, (byte)(body.Length >> 8), (byte)body.Length, .. body];
    }

    /// <summary>Everything the connection has queued to send, marked as sent.</summary>
    public static byte[] Drain(TlsConnection connection)
    {
        byte[] bytes = connection.PendingOutput.ToArray();
        connection.ConsumeOutput(bytes.Length);
        return bytes;
    }

    /// <summary>The RSA key of RFC 8448 §2 (§3's server key).</summary>
    public static RSA Section2Key()
    {
        var key = RSA.Create();
        key.ImportParameters(Section2Parameters());
        return key;
    }

    private static RSAParameters Section2Parameters() => new()
    {
        Modulus = H(Rfc8448Vectors.RsaModulus),
        Exponent = [0x01, 0x00, 0x01],
        D = H(Rfc8448Vectors.RsaPrivateExponent),
        P = H(Rfc8448Vectors.RsaPrime1),
        Q = H(Rfc8448Vectors.RsaPrime2),
        DP = H(Rfc8448Vectors.RsaExponent1),
        DQ = H(Rfc8448Vectors.RsaExponent2),
        InverseQ = H(Rfc8448Vectors.RsaCoefficient),
    };

    /// <summary>The DER certificate inside a one-entry TLS 1.3 Certificate message
    /// (header 4, context 1, list length 3, entry length 3, DER, extensions length 2).</summary>
    public static X509Certificate2 CertificateOf(string certificateMessage)
        => X509CertificateLoader.LoadCertificate(H(certificateMessage)[11..^2]);

    /// <summary>§3's "rsa" certificate with §2's private key.</summary>
    public static X509Certificate2 ServerRsaCertificate()
    {
        using var key = Section2Key();
        return CertificateOf(Rfc8448Vectors.Simple.Certificate).CopyWithPrivateKey(key);
    }

    /// <summary>
    /// §6's "client" RSA certificate, whose private key the RFC does not publish, made to report a
    /// private key so that it can be configured: the key attached is §2's (the same size), which does
    /// not match the certificate and must never sign. Signatures go through
    /// <see cref="ScriptedCryptoProvider.Signer"/>, which returns the RFC's.
    /// </summary>
    public static X509Certificate2 ClientCertificateWithUnusableKey()
    {
        var certificate = CertificateOf(Rfc8448Vectors.ClientAuth.ClientCertificate);
        using RSA publicKey = certificate.GetRSAPublicKey()!;
        using var standIn = new StandInRsa(publicKey.ExportParameters(false), Section2Parameters());
        return certificate.CopyWithPrivateKey(standIn);
    }

    /// <summary>An <see cref="RSA"/> that shows the certificate's public key and exports another private key.</summary>
    private sealed class StandInRsa(RSAParameters pub, RSAParameters priv) : RSA
    {
        public override RSAParameters ExportParameters(bool includePrivateParameters) => includePrivateParameters ? priv : pub;
        public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException();
    }

    /// <summary>
    /// A signer that checks the recorded signature verifies over the content the engine asks to
    /// sign (so the engine's content is the trace's), then returns it: RSA-PSS and ECDSA are
    /// randomized, so only a recorded signature can reproduce the trace's bytes.
    /// </summary>
    public static Func<SignatureScheme, X509Certificate2, byte[], byte[]> RecordedSigner(string certificateVerifyMessage, List<byte[]> signed)
        => (scheme, certificate, content) =>
        {
            var recorded = HandshakeMessage.Decode<CertificateVerify>(H(certificateVerifyMessage), MessageContext.Tls13);
            Assert.Equal(recorded.Scheme, scheme);
            Assert.True(TlsSignatures.Verify(scheme, certificate, content, recorded.Signature, tls13: true),
                "the recorded CertificateVerify signature does not verify over the content the engine signs");
            signed.Add(content);
            return recorded.Signature;
        };

    /// <summary>
    /// The ClientHello substitution (<see cref="ScriptedCryptoProvider.ClientHelloReplay"/>): the
    /// engine's hello is checked against the recorded one it stands for (same random, cipher suites,
    /// key shares, server_name, supported_versions, signature_algorithms, psk_key_exchange_modes,
    /// cookie, and supported_groups but for the groups this build lacks), then the recorded hello
    /// is sent instead, with the engine's own pre_shared_key extension (identity, obfuscated age
    /// and binder) spliced in. What the substitution changes: legacy_session_id (ours is 32 random
    /// bytes, NSS's is empty), extension order, and NSS's extra extensions (renegotiation_info,
    /// session_ticket, early_data, record_size_limit, padding).
    /// </summary>
    public static Func<ClientHello, ClientHello> ReplayClientHello(ICryptoProvider provider, params byte[][] recordedHellos)
        => built =>
        {
            bool retry = built.Extensions.Contains(ExtensionType.Cookie);
            var recorded = recordedHellos
                .Select(bytes => HandshakeMessage.Decode<ClientHello>(bytes, MessageContext.None))
                .Single(r => r.Extensions.Contains(ExtensionType.Cookie) == retry);
            Assert.Equal(Hex.Of(recorded.Random), Hex.Of(built.Random));
            Assert.Equal(recorded.CipherSuites, built.CipherSuites);
            foreach (var type in new[] { ExtensionType.ServerName, ExtensionType.SupportedVersions, ExtensionType.SignatureAlgorithms,
                         ExtensionType.PskKeyExchangeModes, ExtensionType.KeyShare, ExtensionType.Cookie })
                Assert.Equal(Hex.Of(recorded.Extensions.Get(type)?.EncodeData() ?? []), Hex.Of(built.Extensions.Get(type)?.EncodeData() ?? []));
            var groups = recorded.Extensions.Find<SupportedGroupsExtension>()!.Groups.Where(provider.SupportsGroup);
            Assert.Equal(groups, built.Extensions.Find<SupportedGroupsExtension>()!.Groups);

            var ours = built.Extensions.Find<PreSharedKeyExtension>();
            Assert.Equal(recorded.Extensions.Contains(ExtensionType.PreSharedKey), ours is not null);
            if (ours is null) return recorded;
            var spliced = new ClientHello
            {
                LegacyVersion = recorded.LegacyVersion,
                Random = recorded.Random,
                SessionId = recorded.SessionId,
                CipherSuites = recorded.CipherSuites,
                CompressionMethods = recorded.CompressionMethods,
                Extensions = new ExtensionList(recorded.Extensions.Select(e => e is PreSharedKeyExtension ? ours : e)),
            };
            spliced.Encode();
            return spliced;
        };

    /// <summary>A provider that serves the trace's private keys and randoms in the order the engine draws them.</summary>
    public static ScriptedCryptoProvider Provider(string name, params string[] script)
        => new(name, [.. script.Select(H)]);

    /// <summary>32 bytes for a draw the replay overrides (the client's legacy_session_id).</summary>
    public const string Unused32 = "5555555555555555555555555555555555555555555555555555555555555555";

    /// <summary>Client options shaped like the RFC 8448 client (NSS): its suites, groups and signature algorithms.</summary>
    public static TlsClientOptions ClientOptions(ScriptedCryptoProvider provider, TimeProvider time, SecretLog log) => new()
    {
        TargetHost = "server",
        Versions = TlsVersions.Tls13, // the RFC 8448 client offers TLS 1.3 only
        Crypto = provider,
        Time = time,
        KeyLog = log,
        SkipCertificateVerification = true, // the trace's certificates name "rsa"/"ecdsa256", not "server"
        CipherSuites = [.. Rfc8448Vectors.CipherSuites.Select(s => (CipherSuite)s)],
        Groups = [.. Rfc8448Vectors.Groups.Select(g => (NamedGroup)g)],
        SignatureSchemes = [.. Rfc8448Vectors.SignatureAlgorithms.Select(s => (SignatureScheme)s)],
    };
}

/// <summary>A clock that stands still until told.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Keeps the secrets the engine logs, by NSS label.</summary>
internal sealed class SecretLog : IKeyLog
{
    private readonly Dictionary<string, string> _secrets = [];

    public void Write(string label, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> secret)
    {
        lock (_secrets) _secrets[label] = Hex.Of(secret);
    }

    public string this[string label] { get { lock (_secrets) return _secrets[label]; } }
}

/// <summary>Opens TLS 1.3 AES-128-GCM records with the trace's published keys, independently of the engine's record layer.</summary>
internal static class TraceRecords
{
    /// <summary>Decrypts one record (header included) sealed with sequence number <paramref name="sequence"/>; returns the inner plaintext and its content type.</summary>
    public static (byte[] Content, ContentType Type) Open(string keyHex, string ivHex, ulong sequence, ReadOnlySpan<byte> record)
    {
        byte[] nonce = Hex.Parse(ivHex);
        for (int i = 0; i < 8; i++) nonce[nonce.Length - 1 - i] ^= (byte)(sequence >> (8 * i));
        int length = record[3] << 8 | record[4];
        Assert.Equal(5 + length, record.Length);
        var ciphertext = record[5..^16];
        byte[] inner = new byte[ciphertext.Length];
        using var gcm = new AesGcm(Hex.Parse(keyHex), 16);
        gcm.Decrypt(nonce, ciphertext, record[^16..], inner, record[..5]);
        int end = inner.Length - 1;
        while (end >= 0 && inner[end] == 0) end--;
        return (inner[..end], (ContentType)inner[end]);
    }

    /// <summary>Splits concatenated handshake messages (headers included).</summary>
    public static List<byte[]> Messages(byte[] content)
    {
        var list = new List<byte[]>();
        for (int at = 0; at < content.Length;)
        {
            int length = content[at + 1] << 16 | content[at + 2] << 8 | content[at + 3];
            list.Add(content[at..(at + 4 + length)]);
            at += 4 + length;
        }
        return list;
    }
}
