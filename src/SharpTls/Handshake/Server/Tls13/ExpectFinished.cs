using SharpTls.Handshake.Tls13;
using SharpTls.KeySchedule;
using SharpTls.Messages;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server.Tls13;

/// <summary>The client's Finished (RFC 8446 §4.4.4); then tickets, and the connection is up.</summary>
internal sealed class ExpectFinished(PendingClientFlight flight) : HandshakeState
{
    /// <summary>Ticket lifetime: 24 hours (RFC 8446 allows up to 7 days).</summary>
    private const uint TicketLifetimeSeconds = 24 * 3600;

    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.Finished) throw Unexpected(type, "the client's Finished");
        var keys = flight.Keys;
        var finished = HandshakeMessage.Decode<Finished>(message, MessageContext.Tls13 with { VerifyDataLength = keys.Transcript.HashLength });
        keys.CheckFinished(keys.ClientHandshakeSecret!, finished.VerifyData, "client");
        keys.Transcript.Add(message.Span);
        connection.ChangeReadProtection(keys.Protection(keys.ClientApplicationSecret!, flight.Options), HandshakeType.Finished);
        keys.DeriveResumptionSecret();
        connection.Info.ClientCertificateVerdict ??= new ClientCertificateVerdict(ClientCertificateStatus.None, [], flight.Options.ClientAuthFingerprint);
        SendTickets(connection);
        connection.Establish(TlsSession.FromInfo(connection.Info));
        return new Connected(keys, isServer: true,
            postHandshakeAuth: flight.Hello.Extensions.Find<Messages.Extensions.PostHandshakeAuthExtension>() is not null);
    }

    /// <summary>The ticket nonces of the first tickets (public, never written to: the encoder only reads them).</summary>
    private static readonly byte[][] Nonces = [[0], [1], [2], [3]];

    private void SendTickets(TlsConnection connection)
    {
        var options = flight.Options;
        if (!options.EnableSessionTickets || options.TicketCount <= 0
            || flight.Hello.Extensions.Find<Messages.Extensions.PskKeyExchangeModesExtension>() is null)
            return;
        var ring = connection.Listener!.TicketKeys;
        var verdict = connection.Info.ClientCertificateVerdict!;
        var keys = flight.Keys;
        byte[]? clientCertificate = Certificates.PeerChain.LeafDer(connection.Info.PeerCertificates) ?? flight.ResumedClientCertificate;
        Span<byte> ageAddBytes = stackalloc byte[4];
        // After a resumption one ticket replaces the one the client spent (tickets are single use, RFC 8446 §C.4), as
        // OpenSSL does: TicketCount is for full handshakes. Saves a ticket's derivation, sealing and record per resumption.
        int count = connection.Info.Resumed ? Math.Min(1, options.TicketCount) : options.TicketCount;
        for (int i = 0; i < count; i++)
        {
            byte[] nonce = i < Nonces.Length ? Nonces[i] : [(byte)i];
            connection.Crypto.Fill(ageAddBytes);
            uint ageAdd = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ageAddBytes);
            byte[] psk = Tls13KeySchedule.ResumptionPsk(keys.Hash, keys.ResumptionMasterSecret!, nonce);
            var state = new TicketState(ProtocolVersion.Tls13, (ushort)keys.Suite.Suite, psk,
                connection.Time.GetUtcNow().ToUnixTimeMilliseconds(), ageAdd, TicketLifetimeSeconds,
                connection.Info.ServerName, connection.Info.ApplicationProtocol, clientCertificate,
                verdict.Status, verdict.PolicyFingerprint);
            byte[] ticket;
            var w = Wire.TlsWriter.RentScratch();
            try
            {
                state.WriteTo(w);
                ticket = ring.Seal(w.WrittenSpan, connection.Crypto); // the nonce from the connection's provider, as TLS 1.2's
            }
            finally
            {
                Wire.TlsWriter.ReturnScratch(w); // wipes the encoded state (it holds the PSK)
            }
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(psk);
            // A client certificate past ~16 KB would make a ticket no client of ours (Messages.PeerLimits) would take: none then.
            if (ticket.Length > PeerLimits.MaxTicketLength) return;
            connection.SendHandshake(new NewSessionTicket
            {
                Lifetime = TicketLifetimeSeconds,
                AgeAdd = ageAdd,
                Nonce = nonce,
                Ticket = ticket,
            });
        }
    }
}
