using SharpTls.Handshake.Tls12;
using SharpTls.KeySchedule;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls12;

/// <summary>
/// A TLS 1.2 ServerHello (RFC 5246 §7.4.1.3) answering our hello: check the suite, the
/// compression method and renegotiation_info (RFC 5746 §3.4), note whether the extended master
/// secret was accepted (RFC 7627), and start the transcript.
/// </summary>
internal static class ServerHelloHandler
{
    public static HandshakeState Accept(TlsConnection connection, HelloTemplate template, ClientHello sent, ServerHello hello, ReadOnlyMemory<byte> message)
    {
        var suite = (CipherSuite)hello.CipherSuite;
        if (!Tls12Keys.Suites.Contains(suite) || !template.Suites.Contains(suite))
            throw TlsProtocolException.Illegal($"the server chose {CipherSuites.Name(hello.CipherSuite)}, which we did not offer for TLS 1.2");
        if (hello.CompressionMethod != CompressionMethod.Null)
            throw TlsProtocolException.Illegal("compression_method must be null");
        if (hello.Extensions.Find<RenegotiationInfoExtension>() is { RenegotiatedConnection.Length: > 0 })
            throw new TlsProtocolException(AlertDescription.HandshakeFailure, "renegotiation_info is not empty on an initial handshake (RFC 5746 §3.4)");
        if (hello.Extensions.Find<EcPointFormatsExtension>() is { } formats && !formats.Formats.Contains(EcPointFormat.Uncompressed))
            throw TlsProtocolException.Illegal("ec_point_formats does not list uncompressed (RFC 8422 §5.1.2)");
        bool ems = hello.Extensions.Find<ExtendedMasterSecretExtension>() is not null;
        var info = CipherSuites.Info(suite);
        connection.Info.Version = ProtocolVersion.Tls12;
        connection.Info.CipherSuite = suite;
        connection.Records.Version = ProtocolVersion.Tls12;
        if (hello.Extensions.Find<AlpnExtension>() is { } alpn)
        {
            string chosen = System.Text.Encoding.ASCII.GetString(alpn.Protocols.Count == 1 ? alpn.Protocols[0] : []);
            if (alpn.Protocols.Count != 1 || !template.Options.ApplicationProtocols.Contains(chosen))
                throw TlsProtocolException.Illegal("ALPN: the server must select exactly one protocol we offered");
            connection.Info.ApplicationProtocol = chosen;
        }
        var transcript = new Transcript(info.PrfHash);
        transcript.Add(sent.Raw.Span);
        transcript.Add(message.Span);
        return new ExpectCertificate(new Tls12Keys(info, transcript, template.Random, hello.Random, ems), template);
    }
}
