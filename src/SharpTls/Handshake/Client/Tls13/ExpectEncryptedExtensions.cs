using System.Text;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls13;

/// <summary>EncryptedExtensions (RFC 8446 §4.3.1): the ALPN choice must be one we offered; max_fragment_length or record_size_limit apply.</summary>
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
        flight.Template.AcceptRecordSize(connection, ee.Extensions, tls13: true);
        flight.Add(message);
        return connection.Info.Resumed ? new ExpectFinished(flight) : new ExpectCertificate(flight);
    }
}
