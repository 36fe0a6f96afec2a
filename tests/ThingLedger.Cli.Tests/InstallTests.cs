using System.Diagnostics;

namespace ThingLedger.Cli.Tests;

/// <summary>README's first command: `./install` puts a `thingledger` launcher on the PATH that runs in the caller's directory.</summary>
public sealed class InstallTests : IDisposable
{
    private readonly string _prefix = Directory.CreateTempSubdirectory("tl-prefix-").FullName;
    private readonly string _cwd = Directory.CreateTempSubdirectory("tl-cwd-").FullName;

    [Fact]
    public async Task The_installed_command_runs_where_the_user_stands_and_its_data_is_ignored_by_git()
    {
        var (code, output) = await RunAsync(Path.Combine(Repository.Root(), "install"), Repository.Root(), TimeSpan.FromMinutes(5), "--prefix", _prefix);
        Assert.True(code == 0, output);
        Assert.Contains($"installed {_prefix}/thingledger", output, StringComparison.Ordinal);
        var launcher = Path.Combine(_prefix, "thingledger");

        (code, output) = await RunAsync(launcher, _cwd, TimeSpan.FromMinutes(3), "init", "--data", "./mychain");
        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(_cwd, "mychain", "genesis.json")), $"init did not write into the caller's directory:\n{output}");
        Assert.Equal(["# A ThingLedger data directory: private keys and databases. Never commit it.", "*"], File.ReadAllLines(Path.Combine(_cwd, "mychain", ".gitignore")));

        (code, output) = await RunAsync(launcher, _cwd, TimeSpan.FromMinutes(1), "--version");
        Assert.True(code == 0, output);
        Assert.DoesNotContain("building", output, StringComparison.Ordinal);

        (code, output) = await RunAsync(Path.Combine(Repository.Root(), "install"), Repository.Root(), TimeSpan.FromMinutes(1), "--bogus");
        Assert.Equal((2, "install: unknown option '--bogus' (try --help)"), (code, output.Trim()));
    }

    private static async Task<(int Code, string Output)> RunAsync(string program, string cwd, TimeSpan limit, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["NO_COLOR"] = "1";
        var (code, stdout, stderr) = await CliProcess.RunAsync(start, limit);
        return (code, stdout + stderr);
    }

    public void Dispose()
    {
        Directory.Delete(_prefix, recursive: true);
        Directory.Delete(_cwd, recursive: true);
    }
}
