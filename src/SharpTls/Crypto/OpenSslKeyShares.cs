using System.Runtime.InteropServices;
using System.Security.Cryptography;

using SharpTls.Wire;

namespace SharpTls.Crypto;

/// <summary>
/// The measured fast path for ephemeral key exchange (bench/PROFILE.md): X25519 and X448 on libcrypto's raw
/// <c>EVP_PKEY</c> keys, and ECDH over secp256r1/384r1/521r1 on libcrypto's <c>EC_POINT</c> arithmetic with one
/// <c>EC_GROUP</c> per curve made once (read-only after creation, shared across threads). It skips what makes the
/// managed paths slow: BouncyCastle's field arithmetic, and the BCL's per-exchange key import, which validates every
/// imported key with a full scalar multiplication by the order. Private keys are still drawn from the provider (the same
/// bytes the managed paths use, so a scripted provider replays a handshake on either path and both pass the same
/// vectors); libcrypto only does the arithmetic, in its constant-time code (the X25519/X448 ladder, nistz256 or the
/// Montgomery ladder for EC scalar multiplication; the scalar's BIGNUM is flagged constant-time and cleared when freed).
/// The peer's point is decoded and checked on the curve by libcrypto; an all-zero X25519/X448 result is refused.
/// Where libcrypto (OpenSSL 3) does not load, <see cref="IsAvailable"/> is false and <see cref="KeyShares"/> keeps the
/// managed paths.
/// </summary>
internal static class OpenSslKeyShares
{
    private const int EvpPkeyX25519 = 1034;
    private const int EvpPkeyX448 = 1035;
    private const int NidP256 = 415;
    private const int NidP384 = 715;
    private const int NidP521 = 716;
    private const int PointConversionUncompressed = 4;
    private const int BnFlagConstTime = 0x04;

    private static readonly Lazy<bool> Loadable = new(Probe);
    private static readonly Lazy<IntPtr> P256 = new(() => EC_GROUP_new_by_curve_name(NidP256));
    private static readonly Lazy<IntPtr> P384 = new(() => EC_GROUP_new_by_curve_name(NidP384));
    private static readonly Lazy<IntPtr> P521 = new(() => EC_GROUP_new_by_curve_name(NidP521));

    /// <summary>True when libcrypto (OpenSSL 3) loads here with every function this path calls.</summary>
    public static bool IsAvailable => Loadable.Value;

    /// <summary>Whether this path serves <paramref name="group"/> (when <see cref="IsAvailable"/>).</summary>
    public static bool Serves(NamedGroup group) => group is NamedGroup.X25519 or NamedGroup.X448
        or NamedGroup.Secp256r1 or NamedGroup.Secp384r1 or NamedGroup.Secp521r1;

    /// <summary>Our ephemeral share, the private key drawn from <paramref name="random"/> as the managed paths draw it.</summary>
    public static IKeyShare Generate(NamedGroup group, ICryptoProvider random) => group switch
    {
        NamedGroup.X25519 or NamedGroup.X448 => Montgomery.Create(group, random),
        _ => Ec.Create(group, random),
    };

    /// <summary>A share from a known private key (RFC vectors; the managed paths have the same).</summary>
    public static IKeyShare FromPrivateKey(NamedGroup group, ReadOnlySpan<byte> privateKey) => group switch
    {
        NamedGroup.X25519 or NamedGroup.X448 => Montgomery.FromPrivateKey(group, privateKey),
        _ => Ec.FromPrivateKey(group, privateKey),
    };

    /// <summary>
    /// X25519 / X448: the private key as a libcrypto key made once (which computes the public key; the managed copy of
    /// the private bytes is zeroed right after), freed (and cleared by libcrypto) on Dispose.
    /// </summary>
    private sealed class Montgomery : IKeyShare
    {
        private readonly EvpKey _key;
        private readonly byte[] _public;

        private Montgomery(NamedGroup group, byte[] privateKey)
        {
            Group = group;
            try
            {
                IntPtr key = EVP_PKEY_new_raw_private_key(group == NamedGroup.X25519 ? EvpPkeyX25519 : EvpPkeyX448,
                    IntPtr.Zero, ref privateKey[0], (nuint)privateKey.Length);
                if (key == IntPtr.Zero) throw Failed("EVP_PKEY_new_raw_private_key");
                _key = new EvpKey(key);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(privateKey);
            }
            _public = new byte[privateKey.Length];
            nuint length = (nuint)_public.Length;
            if (EVP_PKEY_get_raw_public_key(_key.DangerousGetHandle(), ref _public[0], ref length) != 1 || length != (nuint)_public.Length)
            {
                _key.Dispose();
                throw Failed("EVP_PKEY_get_raw_public_key");
            }
        }

        public static Montgomery Create(NamedGroup group, ICryptoProvider random)
        {
            byte[] privateKey = new byte[Size(group)];
            random.Fill(privateKey);
            return new Montgomery(group, privateKey);
        }

        public static Montgomery FromPrivateKey(NamedGroup group, ReadOnlySpan<byte> privateKey)
        {
            if (privateKey.Length != Size(group)) throw new ArgumentException($"{group} private key must be {Size(group)} bytes");
            return new Montgomery(group, privateKey.ToArray());
        }

        public NamedGroup Group { get; }

        public ReadOnlyMemory<byte> PublicKey => _public;

        public byte[] DeriveSecret(ReadOnlySpan<byte> peerShare)
        {
            KeyShares.CheckLength(Group, peerShare, _public.Length);
            int type = Group == NamedGroup.X25519 ? EvpPkeyX25519 : EvpPkeyX448;
            IntPtr peer = IntPtr.Zero, ctx = IntPtr.Zero;
            byte[] secret = new byte[_public.Length];
            bool added = false;
            try
            {
                _key.DangerousAddRef(ref added);
                peer = EVP_PKEY_new_raw_public_key(type, IntPtr.Zero, ref MemoryMarshal.GetReference(peerShare), (nuint)peerShare.Length);
                if (peer == IntPtr.Zero) throw KeyShares.BadShare(Group, "libcrypto refused the public key");
                ctx = LibCrypto.EVP_PKEY_CTX_new(_key.DangerousGetHandle(), IntPtr.Zero);
                nuint length = (nuint)secret.Length;
                if (ctx == IntPtr.Zero || EVP_PKEY_derive_init(ctx) != 1 || EVP_PKEY_derive_set_peer(ctx, peer) != 1)
                    throw Failed("EVP_PKEY_derive_init");
                // libcrypto refuses an all-zero result (a small-order peer point): the derive fails.
                if (EVP_PKEY_derive(ctx, ref secret[0], ref length) != 1 || length != (nuint)secret.Length || IsAllZero(secret))
                {
                    CryptographicOperations.ZeroMemory(secret);
                    LibCrypto.ERR_clear_error();
                    throw KeyShares.BadShare(Group, "shared secret is all zeros (small-order point)");
                }
                return secret;
            }
            finally
            {
                if (ctx != IntPtr.Zero) LibCrypto.EVP_PKEY_CTX_free(ctx);
                if (peer != IntPtr.Zero) EVP_PKEY_free(peer);
                if (added) _key.DangerousRelease();
            }
        }

        public void Dispose() => _key.Dispose();

        private static int Size(NamedGroup group) => group == NamedGroup.X25519 ? 32 : 56;

        private static bool IsAllZero(ReadOnlySpan<byte> s)
        {
            int acc = 0;
            foreach (byte b in s) acc |= b;
            return acc == 0;
        }
    }

    /// <summary>An EVP_PKEY owned by a share (freed once, also if the share is never disposed).</summary>
    private sealed class EvpKey : SafeHandle
    {
        public EvpKey(IntPtr key) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(key);

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            EVP_PKEY_free(handle);
            return true;
        }
    }

    /// <summary>ECDH on a NIST curve: the scalar d (drawn as <see cref="EcdhKeyShare"/> draws it), Q = d·G.</summary>
    private sealed class Ec : IKeyShare
    {
        private readonly byte[] _d;
        private readonly byte[] _public;
        private readonly IntPtr _group;

        private Ec(NamedGroup group, byte[] d)
        {
            Group = group;
            _d = d;
            _group = GroupOf(group);
            int fieldBytes = EcdhKeyShare.Describe(group).FieldBytes;
            _public = new byte[1 + 2 * fieldBytes];
            IntPtr scalar = Scalar(d), point = EC_POINT_new(_group);
            try
            {
                if (point == IntPtr.Zero || EC_POINT_mul(_group, point, scalar, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero) != 1
                    || EC_POINT_point2oct(_group, point, PointConversionUncompressed, ref _public[0], (nuint)_public.Length, IntPtr.Zero) != (nuint)_public.Length)
                    throw Failed("EC_POINT_mul (public key)");
            }
            finally
            {
                if (point != IntPtr.Zero) EC_POINT_free(point);
                BN_clear_free(scalar);
            }
        }

        public static Ec Create(NamedGroup group, ICryptoProvider random)
        {
            // The same draws as the managed path (rejection sampling in [1, n-1]), padded to the field's length.
            byte[] d = EcdhKeyShare.DrawScalar(group, random);
            return new Ec(group, d);
        }

        public static Ec FromPrivateKey(NamedGroup group, ReadOnlySpan<byte> d) => new(group, d.ToArray());

        public NamedGroup Group { get; }

        public ReadOnlyMemory<byte> PublicKey => _public;

        public byte[] DeriveSecret(ReadOnlySpan<byte> peerShare)
        {
            int fieldBytes = (_public.Length - 1) / 2;
            KeyShares.CheckLength(Group, peerShare, _public.Length);
            if (peerShare[0] != 0x04)
                throw KeyShares.BadShare(Group, $"point is not in uncompressed form (first byte 0x{peerShare[0]:x2})");
            IntPtr peer = EC_POINT_new(_group), shared = EC_POINT_new(_group), x = BN_new(), scalar = Scalar(_d);
            byte[] secret = new byte[fieldBytes];
            try
            {
                if (peer == IntPtr.Zero || shared == IntPtr.Zero || x == IntPtr.Zero) throw Failed("EC_POINT_new");
                // oct2point refuses a point off the curve; the explicit check keeps that independent of the version.
                if (EC_POINT_oct2point(_group, peer, ref MemoryMarshal.GetReference(peerShare), (nuint)peerShare.Length, IntPtr.Zero) != 1
                    || EC_POINT_is_on_curve(_group, peer, IntPtr.Zero) != 1)
                {
                    LibCrypto.ERR_clear_error();
                    throw KeyShares.BadShare(Group, "point is not on the curve");
                }
                if (EC_POINT_mul(_group, shared, IntPtr.Zero, peer, scalar, IntPtr.Zero) != 1
                    || EC_POINT_is_at_infinity(_group, shared) == 1
                    || EC_POINT_get_affine_coordinates(_group, shared, x, IntPtr.Zero, IntPtr.Zero) != 1
                    || BN_bn2binpad(x, ref secret[0], secret.Length) != secret.Length)
                {
                    CryptographicOperations.ZeroMemory(secret);
                    LibCrypto.ERR_clear_error();
                    throw KeyShares.BadShare(Group, "the shared point is not usable");
                }
                return secret;
            }
            finally
            {
                if (peer != IntPtr.Zero) EC_POINT_free(peer);
                if (shared != IntPtr.Zero) EC_POINT_clear_free(shared);
                if (x != IntPtr.Zero) BN_clear_free(x);
                BN_clear_free(scalar);
            }
        }

        public void Dispose() => CryptographicOperations.ZeroMemory(_d);

        private static IntPtr Scalar(byte[] d)
        {
            IntPtr bn = BN_bin2bn(ref d[0], d.Length, IntPtr.Zero);
            if (bn == IntPtr.Zero) throw Failed("BN_bin2bn");
            BN_set_flags(bn, BnFlagConstTime);
            return bn;
        }

        private static IntPtr GroupOf(NamedGroup group)
        {
            IntPtr g = group switch
            {
                NamedGroup.Secp256r1 => P256.Value,
                NamedGroup.Secp384r1 => P384.Value,
                NamedGroup.Secp521r1 => P521.Value,
                _ => throw new NotSupportedException($"{group} is not a NIST curve"),
            };
            return g != IntPtr.Zero ? g : throw Failed("EC_GROUP_new_by_curve_name");
        }
    }

    private static CryptographicException Failed(string call)
    {
        LibCrypto.ERR_clear_error();
        return new CryptographicException($"libcrypto: {call} failed");
    }

    private static bool Probe() => LibCrypto.Exports(
        "EVP_PKEY_new_raw_private_key", "EVP_PKEY_new_raw_public_key", "EVP_PKEY_get_raw_public_key",
        "EVP_PKEY_CTX_new", "EVP_PKEY_derive_init", "EVP_PKEY_derive_set_peer", "EVP_PKEY_derive", "EVP_PKEY_CTX_free",
        "EVP_PKEY_free", "EC_GROUP_new_by_curve_name", "EC_POINT_new", "EC_POINT_free", "EC_POINT_clear_free",
        "EC_POINT_mul", "EC_POINT_point2oct", "EC_POINT_oct2point", "EC_POINT_is_on_curve", "EC_POINT_is_at_infinity",
        "EC_POINT_get_affine_coordinates", "BN_new", "BN_bin2bn", "BN_bn2binpad", "BN_set_flags", "BN_clear_free",
        "ERR_clear_error");

    [DllImport(LibCrypto.Library)] private static extern IntPtr EVP_PKEY_new_raw_private_key(int type, IntPtr engine, ref byte key, nuint length);
    [DllImport(LibCrypto.Library)] private static extern IntPtr EVP_PKEY_new_raw_public_key(int type, IntPtr engine, ref byte key, nuint length);
    [DllImport(LibCrypto.Library)] private static extern int EVP_PKEY_get_raw_public_key(IntPtr pkey, ref byte output, ref nuint length);
    [DllImport(LibCrypto.Library)] private static extern int EVP_PKEY_derive_init(IntPtr ctx);
    [DllImport(LibCrypto.Library)] private static extern int EVP_PKEY_derive_set_peer(IntPtr ctx, IntPtr peer);
    [DllImport(LibCrypto.Library)] private static extern int EVP_PKEY_derive(IntPtr ctx, ref byte output, ref nuint length);
    [DllImport(LibCrypto.Library)] private static extern void EVP_PKEY_free(IntPtr pkey);
    [DllImport(LibCrypto.Library)] private static extern IntPtr EC_GROUP_new_by_curve_name(int nid);
    [DllImport(LibCrypto.Library)] private static extern IntPtr EC_POINT_new(IntPtr group);
    [DllImport(LibCrypto.Library)] private static extern void EC_POINT_free(IntPtr point);
    [DllImport(LibCrypto.Library)] private static extern void EC_POINT_clear_free(IntPtr point);
    [DllImport(LibCrypto.Library)] private static extern int EC_POINT_mul(IntPtr group, IntPtr result, IntPtr generatorScalar, IntPtr point, IntPtr pointScalar, IntPtr ctx);
    [DllImport(LibCrypto.Library)] private static extern nuint EC_POINT_point2oct(IntPtr group, IntPtr point, int form, ref byte output, nuint length, IntPtr ctx);
    [DllImport(LibCrypto.Library)] private static extern int EC_POINT_oct2point(IntPtr group, IntPtr point, ref byte input, nuint length, IntPtr ctx);
    [DllImport(LibCrypto.Library)] private static extern int EC_POINT_is_on_curve(IntPtr group, IntPtr point, IntPtr ctx);
    [DllImport(LibCrypto.Library)] private static extern int EC_POINT_is_at_infinity(IntPtr group, IntPtr point);
    [DllImport(LibCrypto.Library)] private static extern int EC_POINT_get_affine_coordinates(IntPtr group, IntPtr point, IntPtr x, IntPtr y, IntPtr ctx);
    [DllImport(LibCrypto.Library)] private static extern IntPtr BN_new();
    [DllImport(LibCrypto.Library)] private static extern IntPtr BN_bin2bn(ref byte input, int length, IntPtr result);
    [DllImport(LibCrypto.Library)] private static extern int BN_bn2binpad(IntPtr bn, ref byte output, int length);
    [DllImport(LibCrypto.Library)] private static extern void BN_set_flags(IntPtr bn, int flags);
    [DllImport(LibCrypto.Library)] private static extern void BN_clear_free(IntPtr bn);
}
