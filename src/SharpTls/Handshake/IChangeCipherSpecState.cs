namespace SharpTls.Handshake;

/// <summary>A TLS 1.2-and-older state that expects the peer's ChangeCipherSpec (it switches the read keys).</summary>
internal interface IChangeCipherSpecState
{
    /// <summary>Handles ChangeCipherSpec and returns the next state.</summary>
    HandshakeState OnChangeCipherSpec(TlsConnection connection);
}
