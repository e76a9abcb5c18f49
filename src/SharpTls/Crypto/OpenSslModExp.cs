using System.Runtime.InteropServices;

namespace SharpTls.Crypto;

/// <summary>
/// Modular exponentiation through libcrypto's constant-time Montgomery ladder (BN_mod_exp_mont_consttime), the fast path
/// of <see cref="FfdheKeyShare"/> where libcrypto loads. Measured on this machine (shared, load ~40): one ffdhe8192
/// exponentiation with our 512-bit exponent costs ~75 ms of CPU in BouncyCastle and ~10 ms in libcrypto (`openssl
/// speed ffdh8192`), so an ffdhe8192 handshake spent ~150 ms on its two. Inputs are validated by the caller.
/// </summary>
internal static class OpenSslModExp
{
    private static readonly Lazy<bool> s_available = new(() => LibCrypto.Exports(
        "BN_new", "BN_clear_free", "BN_bin2bn", "BN_bn2binpad", "BN_CTX_new", "BN_CTX_free", "BN_mod_exp_mont_consttime"));

    /// <summary>True when libcrypto loads here with the functions this path needs.</summary>
    public static bool IsAvailable => s_available.Value;

    /// <summary><paramref name="value"/>^<paramref name="exponent"/> mod <paramref name="modulus"/> (odd), big-endian, left-padded to the modulus length.</summary>
    public static byte[] ModPow(byte[] value, byte[] exponent, byte[] modulus)
    {
        IntPtr ctx = BN_CTX_new(), a = IntPtr.Zero, p = IntPtr.Zero, m = IntPtr.Zero, r = IntPtr.Zero;
        try
        {
            if (ctx == IntPtr.Zero) throw Failed("BN_CTX_new");
            a = BN_bin2bn(value, value.Length, IntPtr.Zero);
            p = BN_bin2bn(exponent, exponent.Length, IntPtr.Zero);
            m = BN_bin2bn(modulus, modulus.Length, IntPtr.Zero);
            r = BN_new();
            if (a == IntPtr.Zero || p == IntPtr.Zero || m == IntPtr.Zero || r == IntPtr.Zero) throw Failed("BN_bin2bn");
            if (BN_mod_exp_mont_consttime(r, a, p, m, ctx, IntPtr.Zero) != 1) throw Failed("BN_mod_exp_mont_consttime");
            byte[] result = new byte[modulus.Length];
            if (BN_bn2binpad(r, result, result.Length) != result.Length) throw Failed("BN_bn2binpad");
            return result;
        }
        finally
        {
            // BN_clear_free wipes the exponent (a private key) and the result before freeing them.
            foreach (IntPtr bn in (ReadOnlySpan<IntPtr>)[a, p, m, r])
                if (bn != IntPtr.Zero) BN_clear_free(bn);
            if (ctx != IntPtr.Zero) BN_CTX_free(ctx);
        }
    }

    private static System.Security.Cryptography.CryptographicException Failed(string what)
    {
        LibCrypto.ERR_clear_error();
        return new System.Security.Cryptography.CryptographicException($"libcrypto {what} failed");
    }

    [DllImport(LibCrypto.Library)]
    private static extern IntPtr BN_new();

    [DllImport(LibCrypto.Library)]
    private static extern void BN_clear_free(IntPtr a);

    [DllImport(LibCrypto.Library)]
    private static extern IntPtr BN_bin2bn(byte[] s, int len, IntPtr ret);

    [DllImport(LibCrypto.Library)]
    private static extern int BN_bn2binpad(IntPtr a, byte[] to, int tolen);

    [DllImport(LibCrypto.Library)]
    private static extern IntPtr BN_CTX_new();

    [DllImport(LibCrypto.Library)]
    private static extern void BN_CTX_free(IntPtr c);

    [DllImport(LibCrypto.Library)]
    private static extern int BN_mod_exp_mont_consttime(IntPtr rr, IntPtr a, IntPtr p, IntPtr m, IntPtr ctx, IntPtr mont);
}
