using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X9;

using SharpTls.Wire;

namespace SharpTls.Crypto;

/// <summary>
/// ECDHE over secp256r1/384r1/521r1 with the BCL's <see cref="ECDiffieHellman"/>. The private scalar
/// is drawn from the provider (uniform in [1, n-1] by rejection), the public key goes on the wire as
/// an uncompressed point (RFC 8446 §4.2.8.2: 0x04 || X || Y), and the peer's point is validated
/// (form, length, on the curve) before use.
/// </summary>
internal sealed class EcdhKeyShare : IKeyShare
{
    private readonly ECDiffieHellman _key;
    private readonly byte[] _public;
    private readonly ECCurve _curve;
    private readonly int _fieldBytes;

    private EcdhKeyShare(NamedGroup group, ECDiffieHellman key, ECCurve curve, int fieldBytes)
    {
        Group = group;
        _key = key;
        _curve = curve;
        _fieldBytes = fieldBytes;
        ECParameters p = key.ExportParameters(false);
        _public = new byte[1 + 2 * fieldBytes];
        _public[0] = 0x04;
        p.Q.X!.CopyTo(_public, 1);
        p.Q.Y!.CopyTo(_public, 1 + fieldBytes);
    }

    public static EcdhKeyShare Create(NamedGroup group, ICryptoProvider random)
    {
        (ECCurve curve, _, int fieldBytes) = Describe(group);
        byte[] dPadded = DrawScalar(group, random);
        try
        {
            var key = ECDiffieHellman.Create(new ECParameters { Curve = curve, D = dPadded });
            return new EcdhKeyShare(group, key, curve, fieldBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dPadded);
        }
    }

    /// <summary>
    /// The private scalar, uniform in [1, n-1] by rejection sampling from the provider (masked to the bit length of n,
    /// drawn again while d == 0 or d &gt;= n), left-padded to the field's length. The caller zeroes it.
    /// </summary>
    internal static byte[] DrawScalar(NamedGroup group, ICryptoProvider random)
    {
        (_, string name, int fieldBytes) = Describe(group);
        byte[] order = Orders.GetOrAdd(group, _ => ECNamedCurveTable.GetByName(name).N.ToByteArrayUnsigned());
        byte[] d = new byte[order.Length];
        int topBits = BitLength(order[0]);
        try
        {
            do
            {
                random.Fill(d);
                d[0] &= (byte)((1 << topBits) - 1);
            }
            while (IsZero(d) || d.AsSpan().SequenceCompareTo(order) >= 0);

            byte[] dPadded = new byte[fieldBytes];
            d.CopyTo(dPadded, fieldBytes - d.Length);
            return dPadded;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(d);
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<NamedGroup, byte[]> Orders = new();

    public NamedGroup Group { get; }

    public ReadOnlyMemory<byte> PublicKey => _public;

    public byte[] DeriveSecret(ReadOnlySpan<byte> peerShare)
    {
        using ECDiffieHellman peer = ImportPoint(Group, _curve, _fieldBytes, peerShare);
        return _key.DeriveRawSecretAgreement(peer.PublicKey);
    }

    /// <summary>Decodes and validates an uncompressed point; illegal_parameter on any defect.</summary>
    internal static ECDiffieHellman ImportPoint(NamedGroup group, ECCurve curve, int fieldBytes, ReadOnlySpan<byte> point)
    {
        KeyShares.CheckLength(group, point, 1 + 2 * fieldBytes);
        if (point[0] != 0x04)
            throw KeyShares.BadShare(group, $"point is not in uncompressed form (first byte 0x{point[0]:x2})");
        var parameters = new ECParameters
        {
            Curve = curve,
            Q = new ECPoint
            {
                X = point.Slice(1, fieldBytes).ToArray(),
                Y = point.Slice(1 + fieldBytes, fieldBytes).ToArray(),
            },
        };
        try
        {
            return ECDiffieHellman.Create(parameters);
        }
        catch (CryptographicException)
        {
            throw KeyShares.BadShare(group, "point is not on the curve");
        }
    }

    internal static (ECCurve Curve, string Name, int FieldBytes) Describe(NamedGroup group) => group switch
    {
        NamedGroup.Secp256r1 => (ECCurve.NamedCurves.nistP256, "P-256", 32),
        NamedGroup.Secp384r1 => (ECCurve.NamedCurves.nistP384, "P-384", 48),
        NamedGroup.Secp521r1 => (ECCurve.NamedCurves.nistP521, "P-521", 66),
        _ => throw new NotSupportedException($"{group} is not a NIST curve"),
    };

    private static int BitLength(byte b)
    {
        int n = 0;
        while (b != 0) { n++; b >>= 1; }
        return n;
    }

    private static bool IsZero(ReadOnlySpan<byte> s)
    {
        foreach (byte b in s) if (b != 0) return false;
        return true;
    }

    public void Dispose() => _key.Dispose();
}
