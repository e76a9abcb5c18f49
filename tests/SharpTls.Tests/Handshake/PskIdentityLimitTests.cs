using SharpTls.KeySchedule;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// Issue 7 item 7: each PSK identity costs the server a ticket decryption and a peer chooses how many it sends, so the
/// server tries at most <c>MaxPskIdentitiesTried</c> (5, as Go) and ignores the rest: a valid ticket in sixth place
/// is not looked at.
/// </summary>
public class PskIdentityLimitTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(4, true)]
    [InlineData(5, false)]
    [InlineData(PeerLimits.MaxPskIdentities - 1, false)] // the most identities a hello may carry (PeerLimitsTests: one more is refused)
    public async Task OnlyTheFirstFiveIdentitiesAreTried(int forgedBefore, bool resumes)
    {
        var options = InMemoryPair.DefaultServer();
        var listener = TlsServerListener.FromOptions(options);
        var store = new ClientSessionStore();
        var client = InMemoryPair.DefaultClient();
        client.SessionStore = store;
        using (var first = new InMemoryPair(listener, client)) first.Handshake();
        var ticket = store.Take("www.contoso.test", DateTimeOffset.UtcNow)!;

        var forged = Enumerable.Range(0, forgedBefore).Select(i => new PskIdentity(Enumerable.Repeat((byte)i, 16).ToArray(), 0)).ToList();
        uint age = (uint)Math.Max(0, (DateTimeOffset.UtcNow - ticket.Received).TotalMilliseconds);
        var identities = forged.Append(new PskIdentity(ticket.Ticket, unchecked(age + ticket.AgeAdd))).ToList();
        using var share = SharpTls.Crypto.CryptoProviders.Default.GenerateKeyShare(NamedGroup.X25519);
        ClientHello Make(List<byte[]> binders)
        {
            var hello = new ClientHello
            {
                LegacyVersion = ProtocolVersion.Tls12,
                Random = new byte[32],
                SessionId = new byte[32],
                CipherSuites = [(ushort)CipherSuite.TLS_AES_128_GCM_SHA256],
                Extensions =
                [
                    new ServerNameExtension("www.contoso.test"),
                    new SupportedGroupsExtension([NamedGroup.X25519]),
                    new SignatureAlgorithmsExtension([SignatureScheme.EcdsaSecp256r1Sha256]),
                    new SupportedVersionsExtension { Versions = [ProtocolVersion.Tls13] },
                    new PskKeyExchangeModesExtension([PskKeyExchangeMode.PskDheKe]),
                    new KeyShareExtension { ClientShares = [new KeyShareEntry(NamedGroup.X25519, share.PublicKey.ToArray())] },
                    new PreSharedKeyExtension { Identities = identities, Binders = binders },
                ],
            };
            hello.Encode();
            return hello;
        }
        var placeholder = identities.Select(_ => new byte[32]).ToList();
        var draft = Make(placeholder);
        using var schedule = new Tls13KeySchedule(System.Security.Cryptography.HashAlgorithmName.SHA256, ticket.Psk);
        byte[] partial = SharpTls.Crypto.TlsHashes.Hash(System.Security.Cryptography.HashAlgorithmName.SHA256, draft.TruncatedForBinders().Span);
        placeholder[^1] = Tls13KeySchedule.FinishedVerifyData(System.Security.Cryptography.HashAlgorithmName.SHA256, schedule.BinderKey(resumption: true), partial);
        var hello = Make(placeholder);

        using var server = TlsConnection.CreateServer(listener);
        InMemoryPair.FeedAll(server, WireSurgery.FragmentPlaintextHandshake(WireSurgery.Record(ContentType.Handshake, hello.Raw.Span, 0x0301), 16384));
        Assert.True(server.Status == TlsStatus.WaitingForHost, $"{server.Status}: {server.Failure}");
        await server.AnswerHostRequestAsync(CancellationToken.None);
        Assert.True(server.Status == TlsStatus.Handshaking, $"{server.Status}: {server.Failure}");
        Assert.Equal(resumes, server.Info.Resumed);
    }
}
