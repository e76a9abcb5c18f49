using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>EndOfEarlyData (RFC 8446 §4.5): <c>struct {} EndOfEarlyData;</c></summary>
internal sealed class EndOfEarlyData : EmptyHandshakeMessage
{
    public override HandshakeType Type => HandshakeType.EndOfEarlyData;
}
