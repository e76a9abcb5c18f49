using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// psk_key_exchange_modes (RFC 8446 §4.2.9).
/// <code>struct { PskKeyExchangeMode ke_modes&lt;1..255&gt;; } PskKeyExchangeModes;</code>
/// </summary>
internal sealed class PskKeyExchangeModesExtension(IReadOnlyList<PskKeyExchangeMode> modes) : TlsExtension
{
    public override ExtensionType Type => ExtensionType.PskKeyExchangeModes;

    public IReadOnlyList<PskKeyExchangeMode> Modes { get; } = modes;

    public override void WriteData(TlsWriter w) => WireLists.WriteUInt8s(w, Modes, 1, 255);

    internal static PskKeyExchangeModesExtension Read(ref TlsReader r, ExtensionContext ctx)
        => new(WireLists.ReadUInt8s<PskKeyExchangeMode>(ref r, "ke_modes", 1, 255));
}
