using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>post_handshake_auth (RFC 8446 §4.2.6): <c>struct {} PostHandshakeAuth;</c></summary>
internal sealed class PostHandshakeAuthExtension : EmptyExtension
{
    public override ExtensionType Type => ExtensionType.PostHandshakeAuth;
}
