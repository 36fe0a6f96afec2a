using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ThingLedger.Cli.Tests;

/// <summary>
/// README.md's commands, taken from README.md itself and run as written (each `thingledger` is the
/// program beside these tests, started in a fresh directory that stands for the reader's), so the
/// page cannot drift from what the program does.
/// </summary>
public sealed partial class ReadmeTests : IDisposable
{
    private readonly string _cwd = Directory.CreateTempSubdirectory("tl-readme-").FullName;

    [Fact]
    public async Task Start_your_own_chain_runs_as_written()
    {
        var commands = Commands(Block("Or start your own chain"));
        Assert.Equal("thingledger init --data ./chain", commands[0]);
        Assert.True(commands.Count >= 10, string.Join('\n', commands));
        NodeProcess? node = null;
        var transcript = new StringBuilder();
        try
        {
            string? lastTx = null;
            foreach (var line in commands)
            {
                var command = line.Replace("<tx id>", lastTx ?? "<tx id>", StringComparison.Ordinal);
                var background = command.EndsWith(" &", StringComparison.Ordinal);
                var args = Words(background ? command[..^2] : command);
                Assert.Equal("thingledger", args[0]);
                var start = CliProcess.StartInfo([.. args.Skip(1)]);
                start.WorkingDirectory = _cwd;
                if (background)
                {
                    Assert.Null(node);
                    AssertFree(7070);
                    node = await NodeProcess.StartAsync(ThingLedger.Node.NodeApp.DefaultUrl, start);
                    transcript.AppendLine($"$ {command}  (healthy)");
                    continue;
                }
                var (code, output) = await RunAsync(start, TimeSpan.FromSeconds(120));
                transcript.AppendLine($"$ {command}\n{output}");
                Assert.True(code == 0, $"`{command}` exited with {code}:\n{transcript}\n{node?.Log}");
                lastTx = TxId().Matches(output).Select(m => m.Groups[1].Value).LastOrDefault() ?? lastTx;
            }
            Assert.True(File.Exists(Path.Combine(_cwd, "chain", "keys", "alice.pem")), "alice's key is not where `keys new` said");
            Assert.True(File.Exists(Path.Combine(_cwd, "receipt.json")), "the receipt did not land in the reader's directory");
            Assert.Equal("*", File.ReadAllLines(Path.Combine(_cwd, "chain", ".gitignore")).Last());
            Assert.Contains("✓", transcript.ToString(), StringComparison.Ordinal);
            // Into a pipe: plain text, and a table keeps each address on its line whole.
            Assert.DoesNotContain("\u001b", transcript.ToString(), StringComparison.Ordinal);
            Assert.Matches(@"voltmotors-admin\s+│ tl[0-9a-f]{48} │", transcript.ToString());
        }
        finally
        {
            node?.Dispose();
        }
    }

    [Fact]
    public async Task The_five_minute_tour_runs_as_written_against_the_demo()
    {
        var commands = Commands(Block("Then, in another terminal"));
        Assert.True(commands.Count >= 10, string.Join('\n', commands));
        AssertFree(7070);
        var demo = CliProcess.StartInfo("demo");
        demo.WorkingDirectory = _cwd;
        var node = await NodeProcess.StartAsync(ThingLedger.Node.NodeApp.DefaultUrl, demo);
        string? data = null;
        try
        {
            var deadline = Stopwatch.StartNew();
            while (!node.Log.Contains("try, in another terminal", StringComparison.Ordinal))
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(3), "the demo did not finish setting up:\n" + node.Log);
                await Task.Delay(200);
            }
            // What the demo prints and the tour refers to: its data folder ($DATA) and a simulated car's id.
            data = DataFolder().Match(node.Log).Groups[1].Value;
            var car = DeviceHistory().Match(node.Log).Groups[1].Value;
            Assert.True(Directory.Exists(data) && car.Length > 0, node.Log);
            using (var client = new Client.ThingLedgerClient(ThingLedger.Node.NodeApp.DefaultUrl))
            {
                // A person reads the id off the screen and types the receipt command a few seconds later.
                while (true)
                {
                    try
                    {
                        await client.GetReadingReceiptAsync(Core.Crypto.Address.Parse(car), 3);
                        break;
                    }
                    catch (Client.ThingLedgerException) when (deadline.Elapsed < TimeSpan.FromMinutes(4))
                    {
                        await Task.Delay(250);
                    }
                }
            }
            var transcript = new StringBuilder();
            foreach (var line in commands)
            {
                var command = line.Replace("$DATA", data, StringComparison.Ordinal).Replace("<device id>", car, StringComparison.Ordinal);
                var args = Words(command);
                Assert.Equal("thingledger", args[0]);
                var start = CliProcess.StartInfo([.. args.Skip(1)]);
                start.WorkingDirectory = _cwd;
                var (code, output) = await RunAsync(start, TimeSpan.FromSeconds(120));
                transcript.AppendLine($"$ {command}\n{output}");
                Assert.True(code == 0, $"`{command}` exited with {code}:\n{transcript}");
            }
            var all = transcript.ToString();
            foreach (var expected in new[] { "VOLT", "KWH", "ev@1", "smart-meter@1", "washer@1", "EVLC", "made-into /01/09506000134352/21/BAG-0004", "all 12 proofs", "FLAGGED EPCIS_ALREADY_DISPENSED", "smart-meter@3", "feeder capacity", "a valid ResidentCredential", "age_over_18" })
            {
                Assert.Contains(expected, all, StringComparison.Ordinal);
            }
            Assert.True(File.Exists(Path.Combine(_cwd, "reading.json")), "the receipt did not land in the reader's directory");
        }
        finally
        {
            node.Dispose();
            if (data is { Length: > 0 } && Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    /// <summary>The first ```sh block after the paragraph that starts with <paramref name="heading"/>.</summary>
    private static string Block(string heading)
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root(), "README.md"));
        var at = readme.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(at >= 0, $"README.md has no \"{heading}\"");
        var start = readme.IndexOf("```sh\n", at, StringComparison.Ordinal) + "```sh\n".Length;
        return readme[start..readme.IndexOf("\n```", start, StringComparison.Ordinal)];
    }

    /// <summary>The block's commands: comments dropped, `\` continuations joined.</summary>
    private static List<string> Commands(string block)
    {
        var commands = new List<string>();
        var pending = string.Empty;
        foreach (var raw in block.Split('\n'))
        {
            var line = Comment().Replace(raw, string.Empty).TrimEnd();
            if (line.Trim().Length == 0)
            {
                continue;
            }
            pending += (pending.Length == 0 ? string.Empty : " ") + line.Trim();
            if (pending.EndsWith('\\'))
            {
                pending = pending[..^1].TrimEnd();
                continue;
            }
            commands.Add(pending);
            pending = string.Empty;
        }
        return commands;
    }

    /// <summary>Splits a command line as the shell does for these commands: spaces, and double quotes around a word.</summary>
    private static List<string> Words(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        foreach (var c in command)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }
        Assert.False(quoted, $"unbalanced quotes in `{command}`");
        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }
        return words;
    }

    /// <summary>The README's node listens on the default port, so another process there (a demo left running) would answer in its place.</summary>
    private static void AssertFree(int port)
    {
        try
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            Assert.Fail($"127.0.0.1:{port} is taken ({e.SocketErrorCode}): the README's node needs it; stop whatever listens there (a demo?)");
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(ProcessStartInfo start, TimeSpan limit)
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(start, limit);
        return (code, stdout + stderr);
    }

    public void Dispose() => Directory.Delete(_cwd, recursive: true);

    [GeneratedRegex(@"\s+#\s.*$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"\btx ([0-9a-f]{64})\b")]
    private static partial Regex TxId();

    [GeneratedRegex(@"data in (\S+)")]
    private static partial Regex DataFolder();

    [GeneratedRegex(@"thingledger device history (tl[0-9a-f]{48})")]
    private static partial Regex DeviceHistory();
}
