using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;
using ThingLedger.Client;

namespace ThingLedger.Cli.Tests.Explorer;

/// <summary>
/// `thingledger demo` on 127.0.0.1 (its simulated fleet, tokens and traffic are the explorer's
/// data) and Debian's chromium, headless, driven by Playwright. Both are stopped by process id.
/// </summary>
public sealed class ExplorerFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    private readonly StringBuilder _log = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("tl-explorer-").FullName;
    private Process? _demo;
    private IPlaywright? _playwright;

    public string Url { get; } = $"http://127.0.0.1:{CliProcess.FreePort().ToString(CultureInfo.InvariantCulture)}";

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>Where screenshots go: beside the test binaries, and into docs/screenshots when THINGLEDGER_SCREENSHOTS=docs.</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public string DemoLog
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: the browser tests need Debian's chromium (./test.sh installs it with apt-get)");
        _demo = Process.Start(CliProcess.StartInfo("demo", "--data", _directory, "--port", new Uri(Url).Port.ToString(CultureInfo.InvariantCulture),
            "--rate", "20", "--duration", "600"))!;
        _demo.OutputDataReceived += (_, e) => Append(e.Data);
        _demo.ErrorDataReceived += (_, e) => Append(e.Data);
        _demo.BeginOutputReadLine();
        _demo.BeginErrorReadLine();
        await WaitAsync(() => Task.FromResult(DemoLog.Contains("Ctrl+C stops the node", StringComparison.Ordinal)), "the demo to set up its world");
        using var client = new ThingLedgerClient(Url);
        await WaitAsync(async () => (await client.GetTelemetryStatusAsync()).AnchoredReadings >= 20, "readings to be anchored");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A new page at <paramref name="path"/> of the explorer, 1280 px wide.</summary>
    public async Task<IPage> OpenAsync(string path, int width = 1280)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
        page.SetDefaultTimeout(15_000);
        var response = await page.GotoAsync(Url + path);
        Assert.NotNull(response);
        return page;
    }

    /// <summary>Saves a full-page screenshot as a test artifact (and as docs/screenshots/NAME.png when asked to).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000, $"screenshot {name} is suspiciously small");
        if (Environment.GetEnvironmentVariable("THINGLEDGER_SCREENSHOTS") == "docs")
        {
            File.Copy(path, Path.Combine(RepositoryRoot(), "docs", "screenshots", name + ".png"), overwrite: true);
        }
    }

    public async Task<T> GetJsonAsync<T>(string path)
    {
        using var http = new HttpClient();
        return (await http.GetFromJsonAsync<T>(Url + path, System.Text.Json.JsonSerializerOptions.Web))!;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_demo is { HasExited: false })
        {
            _demo.Kill(entireProcessTree: true);
            await _demo.WaitForExitAsync();
        }
        _demo?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the exiting process: the temp folder is cleaned later.
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private async Task WaitAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_demo!.HasExited)
            {
                throw new InvalidOperationException($"the demo exited with {_demo.ExitCode} while waiting for {what}:\n{DemoLog}");
            }
            try
            {
                if (await done())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"timed out waiting for {what}:\n{DemoLog}");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ThingLedger.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("not inside the repository");
    }
}
