using SharpTls.Diagnostics;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>
/// TLS 1.2 details of issue 9 item 6 that already existed and are pinned here: the server's empty server_name in
/// ServerHello when it used SNI (RFC 6066 §3, seed 001's trace), and the signature_algorithms defaults of
/// RFC 5246 §7.4.1.4.1 for a client that sends none.
/// </summary>
public class Tls12ExtensionDefaultsTests
{
    private static ServerHello ServerHelloOf(HandshakeTraceCollector trace)
        => HandshakeMessage.Decode<ServerHello>(trace.Entries.First(e => e.ContentType == ContentType.Handshake && e.Bytes[0] == (byte)HandshakeType.ServerHello).Bytes,
            MessageContext.None);

    private static InMemoryPair Pair(HandshakeTraceCollector trace, string? targetHost = "www.contoso.test", System.Security.Cryptography.X509Certificates.X509Certificate2? cert = null)
    {
        var server = InMemoryPair.DefaultServer(cert ?? UnitPki.EcdsaLeaf);
        var client = InMemoryPair.DefaultClient();
        client.Versions = TlsVersions.Tls12;
        client.TargetHost = targetHost;
        client.Trace = trace;
        client.SkipCertificateVerification = targetHost is null;
        client.SessionStore = new Sessions.ClientSessionStore();
        return new InMemoryPair(server, client);
    }

    [Fact]
    public void Rfc6066_3_server_acknowledges_sni_with_an_empty_server_name_on_a_full_handshake()
    {
        // RFC 6066 §3: "A server that receives a client hello containing the "server_name" extension MAY use the
        // information ... In this event, the server SHALL include an extension of type "server_name" in the (extended)
        // server hello. The "extension_data" field of this extension SHALL be empty."
        var trace = new HandshakeTraceCollector();
        using var pair = Pair(trace);
        pair.Handshake();
        Assert.Equal("www.contoso.test", pair.Server.Info.ServerName);
        var raw = trace.Entries.First(e => e.ContentType == ContentType.Handshake && e.Bytes[0] == (byte)HandshakeType.ServerHello).Bytes;
        var sni = Assert.Single(ServerHelloOf(trace).Extensions, e => e.Type == ExtensionType.ServerName);
        Assert.Null(((ServerNameExtension)sni).HostName);
        // type 0, length 0 on the wire
        Assert.True(raw.AsSpan().IndexOf(new byte[] { 0x00, 0x00, 0x00, 0x00 }) > 38, Convert.ToHexString(raw));
    }

    [Fact]
    public void Rfc6066_3_no_server_name_without_sni_nor_when_resuming()
    {
        // Without SNI there is nothing to acknowledge; on resumption the server "MUST NOT include a server_name
        // extension in the server hello" (RFC 6066 §3).
        var none = new HandshakeTraceCollector();
        using (var pair = Pair(none, targetHost: null))
        {
            pair.Handshake();
            Assert.Null(pair.Server.Info.ServerName);
        }
        Assert.Null(ServerHelloOf(none).Extensions.Find<ServerNameExtension>());

        var first = new HandshakeTraceCollector();
        using var full = Pair(first);
        full.Handshake();
        var resumedTrace = new HandshakeTraceCollector();
        full.ClientOptions.Trace = resumedTrace;
        using var resumed = new InMemoryPair(full.ServerOptions, full.ClientOptions);
        resumed.Handshake();
        Assert.True(resumed.Client.Info.Resumed);
        Assert.Null(ServerHelloOf(resumedTrace).Extensions.Find<ServerNameExtension>());
    }

    [Theory]
    [InlineData(false, SignatureScheme.EcdsaSha1)]
    [InlineData(true, SignatureScheme.RsaPkcs1Sha1)]
    public void Rfc5246_7_4_1_4_1_a_client_without_signature_algorithms_gets_sha1_with_its_suites_key(bool rsa, SignatureScheme expected)
    {
        // RFC 5246 §7.4.1.4.1: "If the client does not send the signature_algorithms extension, the server MUST ...
        // If the negotiated key exchange algorithm is one of (RSA, DHE_RSA, DH_RSA, RSA_PSK, ECDH_RSA, ECDHE_RSA),
        // behave as if client had sent the value {sha1,rsa}. ... (ECDH_ECDSA, ECDHE_ECDSA), behave as if the client
        // had sent value {sha1,ecdsa}." The hello is re-encoded without the extension on its way to the server.
        var serverTrace = new HandshakeTraceCollector();
        using var pair = Pair(new HandshakeTraceCollector(), cert: rsa ? UnitPki.RsaLeaf : UnitPki.EcdsaLeaf);
        pair.ServerOptions.Trace = serverTrace;
        using var stripped = new InMemoryPair(pair.ServerOptions, pair.ClientOptions);
        bool first = true;
        stripped.ClientToServer = bytes =>
        {
            if (!first) return bytes;
            first = false;
            var record = Assert.Single(WireSurgery.Split(bytes));
            var hello = HandshakeMessage.Decode<ClientHello>(record.Fragment, MessageContext.None);
            var without = new ClientHello
            {
                LegacyVersion = hello.LegacyVersion, Random = hello.Random, SessionId = hello.SessionId, CipherSuites = hello.CipherSuites,
                Extensions = new ExtensionList(hello.Extensions.Where(e => e.Type != ExtensionType.SignatureAlgorithms)),
            };
            return WireSurgery.Record(ContentType.Handshake, without.Encode(), record.Version);
        };
        stripped.Pump();
        Assert.Equal(expected, stripped.Server.Info.SignatureScheme);
        var ske = serverTrace.Entries.First(e => e.Sent && e.ContentType == ContentType.Handshake && e.Bytes[0] == (byte)HandshakeType.ServerKeyExchange);
        Assert.Equal(expected, HandshakeMessage.Decode<ServerKeyExchange>(ske.Bytes, new MessageContext(ProtocolVersion.Tls12, KeyExchangeKind.Ecdhe)).SignatureScheme);
        // Our client did offer signature_algorithms (without SHA-1): it refuses the SHA-1 signature it did not offer.
        Assert.Equal(TlsStatus.Failed, stripped.Client.Status);
        Assert.Equal(AlertDescription.IllegalParameter, stripped.Client.Failure!.Alert);
    }
}
