using System.Text;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls13;

/// <summary>EncryptedExtensions (RFC 8446 §4.3.1): the ALPN choice must be one we offered.</summary>
internal sealed class ExpectEncryptedExtensions(ClientFlight flight) : HandshakeState
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.EncryptedExtensions) throw Unexpected(type, "EncryptedExtensions");
        var ee = HandshakeMessage.Decode<EncryptedExtensions>(message, MessageContext.Tls13);
        HelloTemplate.CheckSolicited(ee.Extensions, flight.Hello, "EncryptedExtensions");
        if (ee.Extensions.Find<AlpnExtension>() is { } alpn)
        {
            if (alpn.Protocols.Count != 1)
                throw TlsProtocolException.Illegal("the server's ALPN extension must name exactly one protocol");
            string chosen = Encoding.ASCII.GetString(alpn.Protocols[0]);
            if (!flight.Options.ApplicationProtocols.Contains(chosen))
                throw TlsProtocolException.Illegal($"the server chose ALPN \"{chosen}\", which we did not offer");
            connection.Info.ApplicationProtocol = chosen;
        }
        if (ee.Extensions.Find<RecordSizeLimitExtension>() is { } sizeLimit)
        {
            if (sizeLimit.Limit > Records.RecordLimits.MaxPlaintextLength + 1)
                throw TlsProtocolException.Illegal($"record_size_limit {sizeLimit.Limit} exceeds 2^14+1 in TLS 1.3 (RFC 8449 §4)");
            connection.Records.MaxFragmentLength = sizeLimit.Limit - 1;
        }
        flight.Add(message);
        return connection.Info.Resumed ? new ExpectFinished(flight) : new ExpectCertificate(flight);
    }
}
