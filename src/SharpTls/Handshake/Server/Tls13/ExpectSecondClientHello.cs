using SharpTls.KeySchedule;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server.Tls13;

/// <summary>
/// After HelloRetryRequest: the client's second ClientHello must be the first with only what
/// RFC 8446 §4.1.2 allows changed (one key share for the group we asked for, the cookie echoed,
/// PSK binders recomputed, early_data removed). Anything else is illegal_parameter.
/// </summary>
internal sealed class ExpectSecondClientHello(TlsServerPolicy options, ClientHello first, CipherSuiteInfo suite,
    Transcript transcript, NamedGroup group, byte[] cookie) : HandshakeState
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.ClientHello) throw Unexpected(type, "the second ClientHello");
        var hello = HandshakeMessage.Decode<ClientHello>(message, MessageContext.None);

        if (hello.LegacyVersion != first.LegacyVersion || !hello.Random.AsSpan().SequenceEqual(first.Random)
            || !hello.SessionId.AsSpan().SequenceEqual(first.SessionId) || !hello.CipherSuites.SequenceEqual(first.CipherSuites)
            || !hello.CompressionMethods.SequenceEqual(first.CompressionMethods))
            throw TlsProtocolException.Illegal("the second ClientHello changed legacy_version, random, session id, cipher suites or compression methods");
        if (!ServerHelloFlight.ChooseSuite(options, hello).Suite.Equals(suite.Suite))
            throw TlsProtocolException.Illegal("the second ClientHello no longer allows the cipher suite of the HelloRetryRequest");
        var versions = ExpectClientHello.OfferedVersions(hello);
        if (!versions.Contains(ProtocolVersion.Tls13))
            throw TlsProtocolException.Illegal("the second ClientHello no longer offers TLS 1.3");
        if (hello.Extensions.Find<CookieExtension>() is not { } echoed || !echoed.Cookie.AsSpan().SequenceEqual(cookie))
            throw TlsProtocolException.Illegal("the second ClientHello does not echo the HelloRetryRequest cookie");
        if (hello.Extensions.Contains(ExtensionType.EarlyData))
            throw TlsProtocolException.Illegal("early_data in the second ClientHello");
        var shares = hello.Extensions.Find<KeyShareExtension>()?.ClientShares ?? [];
        if (shares.Count != 1 || shares[0].Group != group)
            throw TlsProtocolException.Illegal($"the second ClientHello must carry exactly one key share, for {NamedGroups.Name(group)}");
        if (!string.Equals(ExpectClientHello.ServerNameOf(hello), connection.Info.ServerName, StringComparison.Ordinal))
            throw TlsProtocolException.Illegal("the second ClientHello changed server_name");
        CheckUnchangedExtensions(hello);

        return ServerHelloFlight.Respond(connection, options, hello, suite, transcript, group, shares[0].KeyExchange);
    }

    /// <summary>Extensions §4.1.2 lets the second ClientHello change: the rest must be identical.</summary>
    private static readonly ExtensionType[] MayChange =
        [ExtensionType.KeyShare, ExtensionType.Cookie, ExtensionType.PreSharedKey, ExtensionType.EarlyData, ExtensionType.Padding];

    private void CheckUnchangedExtensions(ClientHello hello)
    {
        var before = first.Extensions.Where(e => !MayChange.Contains(e.Type)).ToList();
        var after = hello.Extensions.Where(e => !MayChange.Contains(e.Type)).ToList();
        foreach (var e in before)
        {
            var again = after.Find(a => a.Type == e.Type);
            if (again is null)
                throw TlsProtocolException.Illegal($"the second ClientHello dropped {e.Name}");
            if (!again.EncodeData().AsSpan().SequenceEqual(e.EncodeData()))
                throw TlsProtocolException.Illegal($"the second ClientHello changed {e.Name}");
        }
        foreach (var a in after)
            if (!first.Extensions.Contains(a.Type))
                throw TlsProtocolException.Illegal($"the second ClientHello added {a.Name}");
    }
}
