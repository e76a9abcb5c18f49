using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>encrypt_then_mac (RFC 7366 §2): empty extension_data.</summary>
internal sealed class EncryptThenMacExtension : EmptyExtension
{
    public override ExtensionType Type => ExtensionType.EncryptThenMac;
}
