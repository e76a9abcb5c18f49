namespace SharpTls.Hosting;

/// <summary>The host's data folder: <c>$SHARPTLS_HOME</c>, else the user's data directory (<c>~/.local/share/sharptls</c> on Linux).</summary>
public static class SharpTlsHome
{
    /// <summary>The environment variable that overrides the data folder.</summary>
    public const string Variable = "SHARPTLS_HOME";

    /// <summary>The data folder, created on first use.</summary>
    public static string DataDirectory
    {
        get
        {
            string? home = Environment.GetEnvironmentVariable(Variable);
            string dir = !string.IsNullOrEmpty(home)
                ? home
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "sharptls");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }
}
