using SharpTls.Crypto;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Tls12.KeyExchange;

/// <summary>
/// ECDHE (RFC 8422; X25519 by RFC 7748): the server sends a named curve and its ephemeral point, the
/// client answers its point; the pre-master secret is the shared x-coordinate (fixed length, §5.10).
/// </summary>
internal sealed class EcdheKeyExchange : ITls12KeyExchange
{
    private readonly ICryptoProvider _crypto;
    private readonly IKeyShare? _serverShare;
    private readonly IReadOnlyList<NamedGroup> _offered = [];
    private KeyShareResponse? _response;

    private EcdheKeyExchange(ICryptoProvider crypto, IKeyShare? serverShare, IReadOnlyList<NamedGroup> offered)
    {
        _crypto = crypto;
        _serverShare = serverShare;
        _offered = offered;
    }

    /// <summary>The groups usable for TLS 1.2 ECDHE.</summary>
    public static readonly NamedGroup[] Groups = [NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1, NamedGroup.Secp521r1];

    /// <summary>Server: a fresh share in <paramref name="group"/>.</summary>
    public static EcdheKeyExchange ForServer(ICryptoProvider crypto, NamedGroup group) => new(crypto, crypto.GenerateKeyShare(group), []);

    /// <summary>Client: accepts a ServerKeyExchange in one of the <paramref name="offered"/> groups.</summary>
    public static EcdheKeyExchange ForClient(ICryptoProvider crypto, IReadOnlyList<NamedGroup> offered) => new(crypto, null, offered);

    public KeyExchangeKind Kind => KeyExchangeKind.Ecdhe;

    /// <summary>The group in use (after ServerParams / ClientParams).</summary>
    public NamedGroup Group { get; private set; }

    public ServerKeyExchange? ServerParams()
    {
        Group = _serverShare!.Group;
        return new ServerKeyExchange { KeyExchange = KeyExchangeKind.Ecdhe, Group = Group, PublicKey = _serverShare.PublicKey.ToArray() };
    }

    public byte[] ServerPreMaster(ClientKeyExchange exchange) => _serverShare!.DeriveSecret(exchange.Exchange);

    public void ClientParams(ServerKeyExchange serverKeyExchange)
    {
        if (!_offered.Contains(serverKeyExchange.Group) || !Groups.Contains(serverKeyExchange.Group))
            throw TlsProtocolException.Illegal($"ServerKeyExchange uses {NamedGroups.Name(serverKeyExchange.Group)}, which we did not offer");
        Group = serverKeyExchange.Group;
        _response = _crypto.RespondKeyShare(Group, serverKeyExchange.PublicKey);
    }

    public (ClientKeyExchange Message, byte[] PreMaster) ClientExchange()
    {
        var response = _response ?? throw new InvalidOperationException("ClientExchange before ClientParams");
        _response = null;
        return (new ClientKeyExchange { KeyExchange = KeyExchangeKind.Ecdhe, Exchange = response.Share }, response.SharedSecret);
    }

    public void Dispose()
    {
        _serverShare?.Dispose();
        if (_response is { } r) System.Security.Cryptography.CryptographicOperations.ZeroMemory(r.SharedSecret);
    }
}
