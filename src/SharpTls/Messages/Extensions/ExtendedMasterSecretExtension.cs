using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>extended_master_secret (RFC 7627 §5.1): empty extension_data.</summary>
internal sealed class ExtendedMasterSecretExtension : EmptyExtension
{
    public override ExtensionType Type => ExtensionType.ExtendedMasterSecret;
}
