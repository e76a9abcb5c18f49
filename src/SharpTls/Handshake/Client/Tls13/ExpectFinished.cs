using SharpTls.Crypto;
using SharpTls.Handshake.Tls13;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls13;

/// <summary>The server's Finished; then our second flight ([Certificate, CertificateVerify], Finished).</summary>
internal sealed class ExpectFinished(ClientFlight flight) : HandshakeState
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.Finished) throw Unexpected(type, "the server's Finished");
        var keys = flight.Keys;
        var options = flight.Options;
        var finished = HandshakeMessage.Decode<Finished>(message, MessageContext.Tls13 with { VerifyDataLength = keys.Transcript.HashLength });
        keys.CheckFinished(keys.ServerHandshakeSecret!, finished.VerifyData, "server");
        flight.Add(message);
        keys.DeriveApplicationSecrets(connection);
        connection.ChangeReadProtection(keys.Protection(keys.ServerApplicationSecret!, options), HandshakeType.Finished);

        if (flight.MiddleboxCompatibility && !connection.Info.HelloRetryRequested) connection.SendDummyChangeCipherSpec();
        connection.ChangeWriteProtection(keys.Protection(keys.ClientHandshakeSecret!, options));
        if (flight.CertificateRequest is { } request)
            SendClientCertificate(connection, request);
        Send(connection, new Finished { VerifyData = keys.FinishedVerifyData(keys.ClientHandshakeSecret!) });
        connection.ChangeWriteProtection(keys.Protection(keys.ClientApplicationSecret!, options));
        keys.DeriveResumptionSecret();
        connection.Establish(TlsSession.FromInfo(connection.Info));
        return new Connected(keys, isServer: false, postHandshakeAuth: options.ClientCertificate is not null);
    }

    private void SendClientCertificate(TlsConnection connection, CertificateRequest request)
    {
        var accepted = request.Extensions.Find<SignatureAlgorithmsExtension>()!.Schemes;
        var ours = flight.Options.ClientCertificate;
        var scheme = ours?.TlsSignatureScheme(Defaults.SignaturesOf(flight.Options), accepted);
        if (ours is null || scheme is null)
        {
            Send(connection, new CertificateMessage { RequestContext = [], Entries = [] });
            return;
        }
        var compression = CertificateCompression.Choose(request.Extensions, flight.Options.CertificateCompression);
        Send(connection, CertificateCompression.ForSending(new CertificateMessage { RequestContext = [], Entries = ours.Entries() }, compression, ours));
        byte[] content = TlsSignatures.Tls13SignedContent(server: false, flight.Keys.Transcript.GetCurrentHash());
        Send(connection, new CertificateVerify { Scheme = scheme, Signature = ours.Sign(connection.Crypto, scheme.Value, content) });
        connection.Info.LocalCertificate = ours.Certificate;
    }

    private void Send(TlsConnection connection, HandshakeMessage message)
    {
        byte[] bytes = message.Encode();
        flight.Add(bytes);
        connection.SendHandshake(bytes);
    }
}
