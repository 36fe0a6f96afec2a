using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ThingLedger.Cli.Tests;

/// <summary>Runs the real `thingledger` program as a child process (the build output beside the tests).</summary>
internal static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "thingledger.dll");

    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["NO_COLOR"] = "1";
        return info;
    }

    /// <summary>Runs to completion (bounded) and returns exit code and output.</summary>
    public static Task<(int Code, string Out, string Err)> RunAsync(TimeSpan limit, params string[] args) => RunAsync(StartInfo(args), limit);

    /// <summary>Runs the CLI, asserts it succeeded, and returns what it printed.</summary>
    public static async Task<string> SucceedsAsync(TimeSpan limit, params string[] args)
    {
        var run = await RunAsync(limit, args);
        Assert.True(run.Code == 0, string.Join(' ', args) + "\n" + run.Err + run.Out);
        return run.Out;
    }

    /// <summary>Runs the CLI and asserts the node refused the command with <paramref name="code"/>.</summary>
    public static async Task RefusedAsync(string code, TimeSpan limit, params string[] args)
    {
        var run = await RunAsync(limit, args);
        Assert.True(run.Code == CliRunner.Refused && run.Err.Contains(code, StringComparison.Ordinal), $"{string.Join(' ', args)}: expected {code}\n{run.Err}{run.Out}");
    }

    /// <summary>Runs any program to completion (bounded, killed with its children past the limit) and returns exit code and output.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(ProcessStartInfo start, TimeSpan limit)
    {
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish within {limit}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// On the node <paramref name="common"/> names (--data, --node): the smart-meter schema, a key
    /// <c>meter1</c>, and that key registered as gridco's meter M-0001, each step a command as a person types it.
    /// </summary>
    public static async Task RegisterMeterAsync(string[] common, TimeSpan limit)
    {
        foreach (string[] step in new[]
        {
            new[] { "schema", "register", "--builtin", "smart-meter", "--as", "gridco-admin" },
            ["keys", "new", "meter1"],
            ["device", "register", "--device-key", "meter1", "--model", "SM-2", "--serial", "M-0001", "--owner", "gridco-admin", "--as", "gridco-admin"],
        })
        {
            var done = await RunAsync(limit, [.. step, .. common]);
            Assert.True(done.Code == 0, string.Join(' ', step) + "\n" + done.Err + done.Out);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A `thingledger node run` child process on 127.0.0.1, stopped by process id.</summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private NodeProcess(Process process, string url)
    {
        _process = process;
        Url = url;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Url { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
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

    public static Task<NodeProcess> StartAsync(string dataDirectory, int port) => StartAsync(dataDirectory, port, []);

    /// <summary>Starts a node with extra arguments (options or --Section:Key=value settings) and waits until it is healthy.</summary>
    public static Task<NodeProcess> StartAsync(string dataDirectory, int port, params string[] extra)
    {
        var url = $"http://127.0.0.1:{port}";
        return StartAsync(url, CliProcess.StartInfo(["node", "run", "--data", dataDirectory, "--urls", url, "--block-interval-ms", "50", .. extra]));
    }

    /// <summary>Starts `thingledger` as <paramref name="start"/> says and waits until a node answers healthy at <paramref name="url"/>.</summary>
    public static async Task<NodeProcess> StartAsync(string url, ProcessStartInfo start)
    {
        var process = Process.Start(start)!;
        var node = new NodeProcess(process, url);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the node exited with {process.ExitCode}:\n{node.Log}");
            }
            try
            {
                if ((await http.GetAsync(url + "/health")).IsSuccessStatusCode)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        node.Dispose();
        throw new TimeoutException($"the node did not become healthy:\n{node.Log}");
    }

    public int ProcessId => _process.Id;

    /// <summary>The most memory the process has held resident so far (VmHWM), in bytes.</summary>
    public long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException("no VmHWM in /proc status");
    }

    /// <summary>SIGKILL: no shutdown code runs, as on a crash or power cut of the process.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }
        _process.Dispose();
    }
}
