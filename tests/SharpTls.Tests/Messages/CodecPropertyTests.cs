using CsCheck;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Tests.Messages;

/// <summary>
/// Whatever the bytes, decoding either succeeds or throws <see cref="TlsProtocolException"/>:
/// every truncation and thousands of random corruptions of real encodings, under every
/// decoding context. What decodes must also re-encode to exactly the bytes it came from.
/// </summary>
public class CodecPropertyTests
{
    private static readonly MessageContext[] Contexts =
    [
        MessageContext.None,
        MessageContext.Tls13,
        new(ProtocolVersion.Tls12, KeyExchangeKind.Ecdhe),
        new(ProtocolVersion.Tls12, KeyExchangeKind.Dhe),
        new(ProtocolVersion.Tls10, KeyExchangeKind.Rsa),
        new(ProtocolVersion.Ssl3, KeyExchangeKind.Rsa),
        new(ProtocolVersion.Tls11, KeyExchangeKind.EcdhAnon),
        new(ProtocolVersion.Tls12, KeyExchangeKind.DhAnon) { VerifyDataLength = 12 },
    ];

    private static byte[] B(int n) => Enumerable.Range(7, n).Select(i => (byte)i).ToArray();

    /// <summary>Encodings of every message kind, with extensions of every kind.</summary>
    private static readonly byte[][] Corpus =
    [
        RealExampleTests.Rfc8448ClientHello,
        RealExampleTests.Rfc8448ServerHello,
        RealExampleTests.Rfc8448EncryptedExtensions,
        new ClientHello
        {
            Random = B(32), SessionId = B(32), CipherSuites = [0x0A0A, 0x1301, 0xc02f],
            Extensions =
            [
                new UnknownExtension(0x2A2A, [1]), new ServerNameExtension("a.example"), StatusRequestExtension.Ocsp(),
                new MaxFragmentLengthExtension(MaxFragmentLength.Bytes2048), new EcPointFormatsExtension([EcPointFormat.Uncompressed]),
                new SignatureAlgorithmsCertExtension([SignatureScheme.Ed25519]), new AlpnExtension("h2", "http/1.1"),
                new SignedCertificateTimestampExtension(), new PaddingExtension(5), new EncryptThenMacExtension(),
                new ExtendedMasterSecretExtension(), new CompressCertificateExtension([CertificateCompressionAlgorithm.Zlib]),
                new EarlyDataExtension(), new CookieExtension(B(3)), new CertificateAuthoritiesExtension([B(4)]),
                new PostHandshakeAuthExtension(), new HeartbeatExtension(HeartbeatMode.PeerAllowedToSend),
                new PreSharedKeyExtension { Identities = [new PskIdentity(B(5), 9)], Binders = [B(32)] },
            ],
        }.Encode(),
        ServerHello.HelloRetryRequest(B(8), 0x1302,
            [new SupportedVersionsExtension { Selected = ProtocolVersion.Tls13 }, new KeyShareExtension { SelectedGroup = NamedGroup.X25519 }, new CookieExtension(B(4))]).Encode(),
        new ServerHello
        {
            Random = B(32), CipherSuite = 0xc030,
            Extensions = [new RenegotiationInfoExtension(B(24)), new SessionTicketExtension(), new StatusRequestExtension(),
                new SignedCertificateTimestampExtension { Timestamps = [B(6)] }, new PreSharedKeyExtension { SelectedIdentity = 0 }],
        }.Encode(),
        new CertificateMessage
        {
            RequestContext = [],
            Entries = [new CertificateEntry(B(20), [new StatusRequestExtension { OcspResponse = B(3) }]), new CertificateEntry(B(9))],
        }.Encode(),
        CertificateMessage.Tls12([B(30), B(2)]).Encode(),
        new ServerKeyExchange { Group = NamedGroup.Secp256r1, PublicKey = B(65), SignatureScheme = SignatureScheme.EcdsaSecp256r1Sha256, Signature = B(70) }.Encode(),
        new ServerKeyExchange { KeyExchange = KeyExchangeKind.Dhe, DhP = B(16), DhG = [2], PublicKey = B(16), Signature = B(36) }.Encode(),
        new CertificateRequest
        {
            CertificateTypes = [ClientCertificateType.RsaSign], SignatureAlgorithms = [SignatureScheme.RsaPkcs1Sha256], CertificateAuthorities = [B(10)],
        }.Encode(),
        new CertificateRequest
        {
            Context = B(2),
            Extensions = [new SignatureAlgorithmsExtension([SignatureScheme.RsaPssRsaeSha256]), new OidFiltersExtension([new OidFilter(B(3), B(2))])],
        }.Encode(),
        new ClientKeyExchange { KeyExchange = KeyExchangeKind.Rsa, Exchange = B(64) }.Encode(),
        new ClientKeyExchange { Exchange = B(32) }.Encode(),
        new CertificateVerify { Scheme = SignatureScheme.RsaPssRsaeSha256, Signature = B(40) }.Encode(),
        new Finished { VerifyData = B(12) }.Encode(),
        new NewSessionTicket { Lifetime = 60, AgeAdd = 5, Nonce = [1], Ticket = B(20), Extensions = [new EarlyDataExtension { MaxEarlyDataSize = 1 }] }.Encode(),
        new NewSessionTicket { Lifetime = 60, Ticket = B(20) }.Encode(),
        new EncryptedExtensions { Extensions = [new RecordSizeLimitExtension(1000), new SupportedGroupsExtension([NamedGroup.X25519])] }.Encode(),
        new KeyUpdate { RequestUpdate = KeyUpdateRequest.UpdateRequested }.Encode(),
        new CertificateStatus { OcspResponse = B(10) }.Encode(),
        new ServerHelloDone().Encode(),
    ];

    /// <summary>Decodes under every context: success must round-trip; failure must be a TlsProtocolException.</summary>
    private static void DecodeEverywhere(byte[] input)
    {
        foreach (var context in Contexts)
        {
            try
            {
                var message = HandshakeMessage.Decode(input, context);
                Assert.Equal(input, message.Encode());
            }
            catch (TlsProtocolException) { }
        }
        if (input.Length > 4)
        {
            foreach (ExtensionContext ec in new[] { 1, 2, 4, 8, 16, 32, 64 })
            {
                try
                {
                    var r = new TlsReader(input.AsSpan(4));
                    ExtensionList.Read(ref r, ec);
                }
                catch (TlsProtocolException) { }
            }
        }
        try { AlertMessage.Decode(input.AsSpan(0, Math.Min(2, input.Length))); } catch (TlsProtocolException) { }
    }

    [Fact]
    public void EveryTruncationFailsCleanly()
    {
        foreach (var message in Corpus)
        {
            for (int n = 0; n < message.Length; n++)
                Assert.Throws<TlsProtocolException>(() => HandshakeMessage.Decode(message.AsMemory(0, n), Contexts[2]));
            for (int n = 0; n < message.Length; n++)
                DecodeEverywhere(message[..n]);
        }
    }

    [Fact]
    public void RandomCorruptionsDecodeOrFailCleanly()
    {
        Gen.Select(Gen.Int[0, Corpus.Length - 1], Gen.Int[1, 4], Gen.Int).Sample((index, corruptions, seed) =>
        {
            var random = new Random(seed);
            var bytes = Corpus[index].ToArray();
            for (int i = 0; i < corruptions; i++)
            {
                int at = random.Next(bytes.Length);
                bytes[at] = random.Next(3) switch { 0 => (byte)random.Next(256), 1 => (byte)(bytes[at] ^ (1 << random.Next(8))), _ => (byte)(bytes[at] + 1) };
            }
            DecodeEverywhere(bytes);
        }, iter: 5000, threads: 1);
    }

    [Fact]
    public void RandomBytesDecodeOrFailCleanly()
        => Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            DecodeEverywhere(bytes);
            // Give the random bytes a valid header for each message type too, so bodies get exercised.
            foreach (byte type in new byte[] { 1, 2, 4, 8, 11, 12, 13, 15, 16, 20, 22, 24 })
                DecodeEverywhere([type, 0, (byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes]);
        }, iter: 2000, threads: 1);
}
