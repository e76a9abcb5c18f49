using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Diagnostics;
using SharpTls.KeySchedule;
using SharpTls.Messages;
using SharpTls.Tests.Crypto;
using SharpTls.Wire;
using static SharpTls.Tests.Rfc8448.Rfc8448Replay;
using C = SharpTls.Tests.Rfc8448.Rfc8448Vectors.ClientAuth;
using S = SharpTls.Tests.Rfc8448.Rfc8448Vectors.Simple;
using CertificateRequest = System.Security.Cryptography.X509Certificates.CertificateRequest;

namespace SharpTls.Tests.Rfc8448;

/// <summary>
/// Our server answers the RFC 8448 client's recorded ClientHello with the trace's server key and
/// random injected. The ServerHello record is the trace's byte for byte; so the handshake secrets
/// are the trace's, and the server's encrypted flight opens under the trace's published key. From
/// EncryptedExtensions on the flight is ours, not NSS's: NSS's EncryptedExtensions also carries
/// supported_groups (which this server does not send) and puts record_size_limit before server_name,
/// so the transcripts (and CertificateVerify, Finished and everything after) diverge there.
/// </summary>
public class Rfc8448ServerTests
{
    // Ours: server_name acknowledged (empty), then record_size_limit 2^14+1 (the RFC client offers one).
    private const string OurEncryptedExtensions = "0800000c 000a 0000 0000 001c 0002 4001";

    /// <summary>Feeds the recorded ClientHello, continues with <paramref name="options"/>, checks the ServerHello
    /// record and the handshake traffic secrets, and returns the server's first flight messages (decrypted).</summary>
    private static List<byte[]> Answer(string clientHello, string serverHello, TlsServerOptions options,
        string key, string iv, string clientHandshakeSecret, string serverHandshakeSecret)
    {
        var log = new SecretLog();
        options.KeyLog = log;
        options.Time = new ManualTime(new DateTimeOffset(2018, 6, 1, 0, 0, 0, TimeSpan.Zero));
        using var server = TlsConnection.CreateServer(options);
        server.Feed(HandshakeRecord(0x0301, clientHello));
        Assert.Equal(TlsStatus.WaitingForHost, server.Status);
        server.ChoosePolicy(new TlsServerPolicy(options));
        Assert.True(server.Status == TlsStatus.Handshaking, $"{server.Status}: {server.Failure}");
        byte[] output = Drain(server);

        byte[] serverHelloRecord = HandshakeRecord(0x0303, serverHello);
        Same(serverHelloRecord, output[..serverHelloRecord.Length]); // no ChangeCipherSpec: the client's session id is empty
        var (content, type) = TraceRecords.Open(key, iv, 0, output[serverHelloRecord.Length..]);
        Assert.Equal(ContentType.Handshake, type);
        Assert.Equal(clientHandshakeSecret, log[KeyLogLabels.ClientHandshakeTrafficSecret]);
        Assert.Equal(serverHandshakeSecret, log[KeyLogLabels.ServerHandshakeTrafficSecret]);
        return TraceRecords.Messages(content);
    }

    private static void FinishedOver(List<byte[]> flight, string clientHello, string serverHello, string serverHandshakeSecret)
    {
        byte[] transcript = [.. H(clientHello), .. H(serverHello), .. flight[..^1].SelectMany(m => m)];
        byte[] expected = Tls13KeySchedule.FinishedVerifyData(HashAlgorithmName.SHA256, H(serverHandshakeSecret), SHA256.HashData(transcript));
        Same([0x14, 0, 0, 0x20, .. expected], flight[^1]);
    }

    private static void SignatureOver(List<byte[]> flight, string clientHello, string serverHello, X509Certificate2 certificate, SignatureScheme scheme)
    {
        var verify = HandshakeMessage.Decode<CertificateVerify>(flight[^2], MessageContext.Tls13);
        Assert.Equal(scheme, verify.Scheme);
        byte[] transcript = [.. H(clientHello), .. H(serverHello), .. flight[..^2].SelectMany(m => m)];
        byte[] content = TlsSignatures.Tls13SignedContent(server: true, SHA256.HashData(transcript));
        Assert.True(TlsSignatures.Verify(scheme, certificate, content, verify.Signature, tls13: true));
    }

    [Fact]
    public void Section3_server_hello_is_the_rfcs_and_the_certificate_message_too()
    {
        using var certificate = ServerRsaCertificate();
        var options = new TlsServerOptions
        {
            Certificates = [new ServerCertificate(certificate)],
            Crypto = Provider("rfc8448 section 3 server", S.ServerPrivateKey, S.ServerRandom),
        };
        var flight = Answer(S.ClientHello, S.ServerHello, options, S.ServerHandshakeKey, S.ServerHandshakeIv,
            S.ClientHandshakeTrafficSecret, S.ServerHandshakeTrafficSecret);

        Assert.Equal(4, flight.Count);
        Same(OurEncryptedExtensions, flight[0]);
        Same(S.Certificate, flight[1]);
        SignatureOver(flight, S.ClientHello, S.ServerHello, certificate, SignatureScheme.RsaPssRsaeSha256); // signed with §2's key
        FinishedOver(flight, S.ClientHello, S.ServerHello, S.ServerHandshakeTrafficSecret);
    }

    [Fact]
    public void Section6_server_hello_and_certificate_request_are_the_rfcs()
    {
        // The trace's ECDSA P-256 private key is not published: the server uses a P-256 certificate of its own.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=ecdsa256", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(new DateTimeOffset(2016, 7, 30, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 7, 30, 0, 0, 0, TimeSpan.Zero));
        var options = new TlsServerOptions
        {
            Certificates = [new ServerCertificate(certificate)],
            ClientCertificateMode = ClientCertificateMode.Required,
            SignatureSchemes = [.. Rfc8448Vectors.SignatureAlgorithms.Select(s => (SignatureScheme)s)],
            CertificateCompression = false, // RFC 8448's CertificateRequest carries no compress_certificate (RFC 8879 is later)
            Crypto = Provider("rfc8448 section 6 server", C.ServerPrivateKey, C.ServerRandom),
        };
        var flight = Answer(C.ClientHello, C.ServerHello, options, C.ServerHandshakeKey, C.ServerHandshakeIv,
            C.ClientHandshakeTrafficSecret, C.ServerHandshakeTrafficSecret);

        Assert.Equal(5, flight.Count);
        Same(OurEncryptedExtensions, flight[0]);
        Same(C.CertificateRequest, flight[1]);
        var sent = HandshakeMessage.Decode<CertificateMessage>(flight[2], MessageContext.Tls13);
        Same(certificate.RawData, Assert.Single(sent.Entries).Data);
        SignatureOver(flight, C.ClientHello, C.ServerHello, certificate, SignatureScheme.EcdsaSecp256r1Sha256);
        FinishedOver(flight, C.ClientHello, C.ServerHello, C.ServerHandshakeTrafficSecret);
    }
}
