namespace ThingLedger.Cli.Tests;

/// <summary>The checkout the tests run from.</summary>
internal static class Repository
{
    /// <summary>The folder holding ThingLedger.slnx, above the tests' build output.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ThingLedger.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("the repository root (ThingLedger.slnx) is not above the test's folder");
    }
}
