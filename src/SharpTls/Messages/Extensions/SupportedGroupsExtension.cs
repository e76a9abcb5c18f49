using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// supported_groups, formerly elliptic_curves (RFC 8446 §4.2.7, RFC 8422 §5.1.1).
/// <code>struct { NamedGroup named_group_list&lt;2..2^16-1&gt;; } NamedGroupList;</code>
/// </summary>
internal sealed class SupportedGroupsExtension(IReadOnlyList<NamedGroup> groups) : TlsExtension
{
    public override ExtensionType Type => ExtensionType.SupportedGroups;

    public IReadOnlyList<NamedGroup> Groups { get; } = groups;

    public override void WriteData(TlsWriter w) => WireLists.WriteUInt16s(w, Groups, 2, 2, 0xFFFF);

    internal static SupportedGroupsExtension Read(ref TlsReader r, ExtensionContext ctx)
        => new(WireLists.ReadUInt16s<NamedGroup>(ref r, "named_group_list", 2, 2, 0xFFFF));
}
