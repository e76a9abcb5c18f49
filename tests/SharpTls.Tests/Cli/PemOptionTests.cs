using SharpTls.Cli.Commands;

namespace SharpTls.Tests.Cli;

/// <summary>
/// `listen --cafile` and `connect --cafile` read a PEM file of certificates: a file with none in it (a key, a typo'd
/// path's neighbour, junk) is refused with a message naming the option and the file, instead of becoming an empty
/// trust list that refuses every client or server certificate without saying why.
/// </summary>
public class PemOptionTests
{
    [Fact]
    public void A_cafile_without_a_certificate_is_refused_with_the_option_and_file_named()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a certificate\n");
            var e = Assert.Throws<ArgumentException>(() => ListenCommand.PemCertificates(new FileInfo(path), "--cafile"));
            Assert.Equal($"--cafile {path}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_cafile_with_certificates_gives_all_of_them()
    {
        string path = Path.GetTempFileName();
        try
        {
            var pki = Handshake.InMemoryPair.DefaultServer().Certificates[0].Certificate;
            File.WriteAllText(path, pki.ExportCertificatePem() + "\n" + pki.ExportCertificatePem());
            Assert.Equal(2, ListenCommand.PemCertificates(new FileInfo(path), "--cafile").Count);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
