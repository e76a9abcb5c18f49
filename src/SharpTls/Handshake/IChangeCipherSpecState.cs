namespace SharpTls.Handshake;

/// <summary>A TLS 1.2-and-older state that expects the peer's ChangeCipherSpec (it switches the read keys).</summary>
internal interface IChangeCipherSpecState
{
    /// <summary>Handles ChangeCipherSpec and returns the next state.</summary>
    HandshakeState OnChangeCipherSpec(TlsConnection connection);
}

/// <summary>A TLS 1.2-and-older state between the peer's ChangeCipherSpec and its Finished (RFC 5246 §7.1, §7.4.9): the
/// new keys are in force but not yet confirmed, so no application data may come here (it may during a renegotiation
/// before ChangeCipherSpec, under the session in force).</summary>
internal interface IExpectFinished
{
}
